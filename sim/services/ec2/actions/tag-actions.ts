import type { QueryParams } from "../../../protocol/query-params.ts";
import type { QueryAction } from "../../query-service.ts";
import { itemSet } from "../cloudtrail-shapes.ts";
import { compileFilters, parseFilters } from "../filters.ts";
import { encodeNextToken, readPaging } from "../pagination.ts";
import { parseTagList } from "../tags.ts";
import { mutatingAction, readAction } from "./action-kit.ts";

/** CloudTrail's shape of CreateTags/DeleteTags: `resourcesSet` and `tagSet` item sets. */
const tagChangeParameters = (params: QueryParams) => ({
  resourcesSet: itemSet(params.list("ResourceId").map((resourceId) => ({ resourceId }))),
  tagSet: itemSet(
    parseTagList(params).map((tag) => ({ key: tag.key, ...(tag.value === undefined ? {} : { value: tag.value }) })),
  ),
});

/** CreateTags, DeleteTags, DescribeTags. */
export const tagActions: Record<string, QueryAction> = {
  CreateTags: mutatingAction({
    requestParameters: tagChangeParameters,
    run: ({ params, ec2 }) => {
      ec2.tags.create(params.list("ResourceId"), parseTagList(params));
      return { result: { return: true } };
    },
  }),

  DeleteTags: mutatingAction({
    requestParameters: tagChangeParameters,
    run: ({ params, ec2 }) => {
      ec2.tags.delete(params.list("ResourceId"), parseTagList(params));
      return { result: { return: true } };
    },
  }),

  DescribeTags: readAction(({ params, ec2 }) => {
    const filters = parseFilters(params);
    const query = compileFilters(ec2.tags.filters, filters);
    const cursor = readPaging(params, "DescribeTags", { min: 5, max: 1000 }, false);
    const resourceIds = filters
      .filter((filter) => filter.name === "resource-id" && !filter.values.some((value) => /[*?\\]/.test(value)))
      .flatMap((filter) => filter.values);
    const page = ec2.tags.describe(query, resourceIds, cursor);
    return {
      tagSet: page.entries.map((entry) => ({
        resourceId: entry.resource.id,
        resourceType: entry.kind.resourceType,
        key: entry.key,
        value: entry.value,
      })),
      nextToken: page.next && encodeNextToken("DescribeTags", page.next.seq, page.next.key),
    };
  }),
};
