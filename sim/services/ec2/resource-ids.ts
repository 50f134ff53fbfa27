import { SimError } from "../../protocol/sim-error.ts";

/** How EC2 names and reports one kind of resource: id prefix, tag resource type and error codes. */
export interface ResourceKind {
  /** Id prefix without the dash: `eni`, `sg`, `i`, … */
  readonly prefix: string;
  /** The `resourceType` of DescribeTags and TagSpecification (`network-interface`, …). */
  readonly resourceType: string;
  readonly notFoundCode: string;
  readonly malformedCode: string;
  /** Renders EC2's not-found message for one or more ids. */
  notFoundMessage(ids: readonly string[]): string;
}

const quoted = (ids: readonly string[]) => `'${ids.join(", ")}'`;

/** `The <noun> ID 'x' does not exist` / `The <noun> IDs 'x, y' do not exist`, EC2's usual wording. */
const idMessage =
  (noun: string) =>
  (ids: readonly string[]): string =>
    ids.length === 1 ? `The ${noun} ID ${quoted(ids)} does not exist` : `The ${noun} IDs ${quoted(ids)} do not exist`;

/** Network interfaces (`eni-…`). */
export const NETWORK_INTERFACE: ResourceKind = {
  prefix: "eni",
  resourceType: "network-interface",
  notFoundCode: "InvalidNetworkInterfaceID.NotFound",
  malformedCode: "InvalidNetworkInterfaceID.Malformed",
  notFoundMessage: idMessage("networkInterface"),
};

/** Instances (`i-…`). */
export const INSTANCE: ResourceKind = {
  prefix: "i",
  resourceType: "instance",
  notFoundCode: "InvalidInstanceID.NotFound",
  malformedCode: "InvalidInstanceID.Malformed",
  notFoundMessage: idMessage("instance"),
};

/** Security groups (`sg-…`). */
export const SECURITY_GROUP: ResourceKind = {
  prefix: "sg",
  resourceType: "security-group",
  notFoundCode: "InvalidGroup.NotFound",
  malformedCode: "InvalidGroupId.Malformed",
  notFoundMessage: (ids) =>
    ids.length === 1
      ? `The security group ${quoted(ids)} does not exist`
      : `The security groups ${quoted(ids)} do not exist`,
};

/** Security group rules (`sgr-…`). */
export const SECURITY_GROUP_RULE: ResourceKind = {
  prefix: "sgr",
  resourceType: "security-group-rule",
  notFoundCode: "InvalidSecurityGroupRuleId.NotFound",
  malformedCode: "InvalidSecurityGroupRuleId.Malformed",
  notFoundMessage: idMessage("security group rule"),
};

/** VPCs (`vpc-…`). */
export const VPC: ResourceKind = {
  prefix: "vpc",
  resourceType: "vpc",
  notFoundCode: "InvalidVpcID.NotFound",
  malformedCode: "InvalidVpcID.Malformed",
  notFoundMessage: idMessage("vpc"),
};

/** Subnets (`subnet-…`). */
export const SUBNET: ResourceKind = {
  prefix: "subnet",
  resourceType: "subnet",
  notFoundCode: "InvalidSubnetID.NotFound",
  malformedCode: "InvalidSubnetID.Malformed",
  notFoundMessage: idMessage("subnet"),
};

/** Trunk interface associations (`trunk-assoc-…`). */
export const TRUNK_ASSOCIATION: ResourceKind = {
  prefix: "trunk-assoc",
  resourceType: "trunk-interface-association",
  notFoundCode: "InvalidAssociationID.NotFound",
  malformedCode: "InvalidAssociationID.Malformed",
  notFoundMessage: idMessage("association"),
};

/** Network interface attachments (`eni-attach-…`). */
export const ATTACHMENT: ResourceKind = {
  prefix: "eni-attach",
  resourceType: "network-interface-attachment",
  notFoundCode: "InvalidAttachmentID.NotFound",
  malformedCode: "InvalidAttachmentID.Malformed",
  notFoundMessage: idMessage("attachment"),
};

/** Resource kinds CreateTags/DeleteTags accept, by id prefix. */
export const TAGGABLE_KINDS: readonly ResourceKind[] = [
  NETWORK_INTERFACE,
  INSTANCE,
  SECURITY_GROUP,
  SECURITY_GROUP_RULE,
  VPC,
  SUBNET,
];

/** EC2 ids: the prefix, a dash, then 8 (legacy) or 17 lower-case hex digits. */
export const isWellFormedId = (kind: ResourceKind, id: string): boolean => {
  if (!id.startsWith(`${kind.prefix}-`)) return false;
  const hex = id.slice(kind.prefix.length + 1);
  return (hex.length === 8 || hex.length === 17) && /^[0-9a-f]+$/.test(hex);
};

/** The taggable kind an id belongs to, by its prefix (longest prefix wins: `sgr-` before `sg-`). */
export const kindOfId = (id: string): ResourceKind | undefined =>
  TAGGABLE_KINDS.filter((kind) => id.startsWith(`${kind.prefix}-`)).sort(
    (a, b) => b.prefix.length - a.prefix.length,
  )[0];

/** EC2's `…Malformed` error for an id of the wrong format. */
export const malformedId = (kind: ResourceKind, id: string): SimError =>
  new SimError(kind.malformedCode, `Invalid id: "${id}" (expecting "${kind.prefix}-...")`);

/** EC2's `…NotFound` error naming every missing id. */
export const notFound = (kind: ResourceKind, ids: readonly string[]): SimError =>
  new SimError(kind.notFoundCode, kind.notFoundMessage(ids));

/** Throw EC2's Malformed error for the first badly formed id. */
export const assertWellFormed = (kind: ResourceKind, ids: readonly string[]): void => {
  const bad = ids.find((id) => !isWellFormedId(kind, id));
  if (bad !== undefined) throw malformedId(kind, bad);
};

/**
 * Resolve ids the way EC2's Describe and mutating calls do: a malformed id fails first, then
 * every missing id is named in one NotFound error.
 */
export const resolveAll = <T>(kind: ResourceKind, ids: readonly string[], get: (id: string) => T | undefined): T[] => {
  assertWellFormed(kind, ids);
  const found: T[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const item = get(id);
    if (item === undefined) missing.push(id);
    else found.push(item);
  }
  if (missing.length > 0) throw notFound(kind, missing);
  return found;
};

/** Resolve one id (Malformed, then NotFound). */
export const resolveOne = <T>(kind: ResourceKind, id: string, get: (id: string) => T | undefined): T => {
  const [item] = resolveAll(kind, [id], get);
  if (item === undefined) throw notFound(kind, [id]);
  return item;
};
