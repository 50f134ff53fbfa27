import type { QueryParams } from "../../protocol/query-params.ts";
import { invalidParameterValue, SimError } from "../../protocol/sim-error.ts";

/** EC2's limit of user tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** One `TagSpecification.N` of a create call. */
export interface TagSpecification {
  readonly resourceType: string;
  readonly tags: readonly (readonly [string, string])[];
}

/** A tag as CreateTags/DeleteTags name it; DeleteTags may omit the value. */
export interface TagInput {
  readonly key: string;
  readonly value: string | undefined;
}

/** Read `TagSpecification.N.ResourceType` and `TagSpecification.N.Tag.M.Key/Value`. */
export const parseTagSpecifications = (params: QueryParams): TagSpecification[] =>
  params.structList("TagSpecification").map((spec) => ({
    resourceType: spec.get("ResourceType") ?? "",
    tags: spec.structList("Tag").map((tag) => [tag.get("Key") ?? "", tag.get("Value") ?? ""] as const),
  }));

/** Read `Tag.N.Key` / `Tag.N.Value` (CreateTags, DeleteTags). */
export const parseTagList = (params: QueryParams): TagInput[] =>
  params.structList("Tag").map((tag) => ({ key: tag.get("Key") ?? "", value: tag.get("Value") }));

/** Reject keys and values EC2 refuses (empty or oversized keys, the reserved `aws:` prefix). */
export const validateTag = (key: string, value: string): void => {
  if (key === "") throw invalidParameterValue("Tag key cannot be empty");
  if (key.length > 128) throw invalidParameterValue(`Tag key exceeds the maximum length of 128 characters: ${key}`);
  if (value.length > 256) throw invalidParameterValue(`Tag value exceeds the maximum length of 256 characters`);
  if (key.toLowerCase().startsWith("aws:")) {
    throw invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
  }
};

/** EC2's answer when a resource would carry more than 50 tags. */
export const tagLimitExceeded = (): SimError =>
  new SimError("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");

/**
 * The tags a create call puts on a resource of `resourceType`. Every specification must name a
 * type this operation creates (`allowed`), as EC2 checks.
 */
export const tagsForResource = (
  specs: readonly TagSpecification[],
  resourceType: string,
  allowed: readonly string[] = [resourceType],
): Map<string, string> => {
  for (const spec of specs) {
    if (!allowed.includes(spec.resourceType)) {
      throw invalidParameterValue(`'${spec.resourceType}' is not a valid taggable resource type for this operation.`);
    }
  }
  const tags = new Map<string, string>();
  for (const spec of specs.filter((s) => s.resourceType === resourceType)) {
    for (const [key, value] of spec.tags) {
      validateTag(key, value);
      if (tags.has(key)) throw invalidParameterValue(`Duplicate tag key '${key}' specified.`);
      tags.set(key, value);
    }
  }
  if (tags.size > MAX_TAGS_PER_RESOURCE) throw tagLimitExceeded();
  return tags;
};

/** A resource's tags in EC2's `tagSet` item shape. */
export const tagItems = (tags: ReadonlyMap<string, string>): { key: string; value: string }[] =>
  [...tags].map(([key, value]) => ({ key, value }));
