import type { QueryParams } from "../../protocol/query-params.ts";
import type { XmlValue } from "../../protocol/xml.ts";
import type { RawPermission } from "./ip-permissions.ts";
import { parseTagSpecifications, type TagSpecification } from "./tags.ts";

/** CloudTrail's EC2 list shape: `{items: [...]}`, and `{}` for an empty list. */
export const itemSet = (items: readonly unknown[]): { items?: unknown[] } =>
  items.length > 0 ? { items: [...items] } : {};

/**
 * An answer shape as CloudTrail records it in `responseElements`: lists become `{items}` sets,
 * timestamps epoch milliseconds, absent members are dropped.
 */
export const cloudTrailShape = (value: XmlValue): unknown => {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return itemSet(value.map(cloudTrailShape));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined && child !== null) out[key] = cloudTrailShape(child);
    }
    return out;
  }
  return value;
};

/** `tagSpecificationSet` of a create call: `{items: [{resourceType, tags: [{key, value}]}]}`. */
export const tagSpecificationSet = (specs: readonly TagSpecification[]) =>
  itemSet(
    specs.map((spec) => ({ resourceType: spec.resourceType, tags: spec.tags.map(([key, value]) => ({ key, value })) })),
  );

/** `{tagSpecificationSet}` when the request had TagSpecifications, else nothing. */
export const tagSpecificationParameters = (params: QueryParams) => {
  const specs = parseTagSpecifications(params);
  return specs.length > 0 ? { tagSpecificationSet: tagSpecificationSet(specs) } : {};
};

/** `groupSet` of a request: `{items: [{groupId}]}`. */
export const groupIdSet = (groupIds: readonly string[]) => itemSet(groupIds.map((groupId) => ({ groupId })));

/** `ipPermissions` as CloudTrail records AuthorizeSecurityGroupIngress/RevokeSecurityGroupIngress requests. */
export const ipPermissionsSet = (permissions: readonly RawPermission[]) =>
  itemSet(
    permissions.map((permission) => ({
      ipProtocol: permission.ipProtocol,
      ...(permission.fromPort === undefined ? {} : { fromPort: permission.fromPort }),
      ...(permission.toPort === undefined ? {} : { toPort: permission.toPort }),
      groups: itemSet(
        permission.groups.map((group) => ({
          groupId: group.groupId,
          ...(group.description === undefined ? {} : { description: group.description }),
        })),
      ),
      ipRanges: itemSet(
        permission.ipRanges.map((range) => ({
          cidrIp: range.cidrIp,
          ...(range.description === undefined ? {} : { description: range.description }),
        })),
      ),
      ipv6Ranges: {},
      prefixListIds: {},
    })),
  );

/** A lower-camel-case copy of the request's own parameters: the fallback when a shape cannot be read. */
export const rawRequestParameters = (params: QueryParams): Record<string, string> =>
  Object.fromEntries(params.entries().map(([key, value]) => [key.charAt(0).toLowerCase() + key.slice(1), value]));
