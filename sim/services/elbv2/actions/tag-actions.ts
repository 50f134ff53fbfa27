import type { QueryAction } from "../../query-service.ts";
import { cloudTrailRequest } from "../cloudtrail-shape.ts";
import { validationError } from "../elbv2-errors.ts";
import { tagsParam } from "./elbv2-params.ts";

/** DescribeTags takes at most this many ARNs. */
const MAX_DESCRIBE_TAGS_ARNS = 20;

export const AddTags: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    const arns = params.memberList("ResourceArns");
    const tags = tagsParam(params);
    if (arns.length === 0) throw validationError("At least one resource ARN must be specified");
    if (tags.size === 0) throw validationError("At least one tag must be specified");
    for (const arn of arns) world.elbv2.requireResource(arn);
    for (const arn of arns) world.elbv2.tags.add(arn, tags);
    return { result: {} };
  },
};

export const RemoveTags: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    const arns = params.memberList("ResourceArns");
    const keys = params.memberList("TagKeys");
    if (arns.length === 0) throw validationError("At least one resource ARN must be specified");
    for (const arn of arns) world.elbv2.requireResource(arn);
    for (const arn of arns) world.elbv2.tags.remove(arn, keys);
    return { result: {} };
  },
};

export const DescribeTags: QueryAction = {
  mutating: false,
  run: ({ params, world }) => {
    const arns = params.memberList("ResourceArns");
    if (arns.length === 0) throw validationError("At least one resource ARN must be specified");
    if (arns.length > MAX_DESCRIBE_TAGS_ARNS) {
      throw validationError(
        `1 validation error detected: Value '[${arns.join(", ")}]' at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIBE_TAGS_ARNS}`,
      );
    }
    for (const arn of arns) world.elbv2.requireResource(arn);
    return { result: { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: world.elbv2.tags.of(arn) })) } };
  },
};
