import type { QueryParams } from "../../protocol/query-params.ts";
import { invalidParameterValue, missingParameter } from "../../protocol/sim-error.ts";
import type { XmlValue } from "../../protocol/xml.ts";
import { parseCidr } from "./ip-allocation.ts";

/** One `IpPermissions.N` as the client sent it (also what CloudTrail records). */
export interface RawPermission {
  readonly ipProtocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly groups: readonly { readonly groupId: string; readonly description: string | undefined }[];
  readonly ipRanges: readonly { readonly cidrIp: string; readonly description: string | undefined }[];
}

/** One rule: a protocol, a port range and exactly one source (CIDR or security group). */
export interface RuleSpec {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all), or another protocol number. */
  readonly protocol: string;
  /** -1 where the protocol has no ports. */
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrIpv4?: string;
  readonly referencedGroupId?: string;
  readonly description?: string;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  "-1": "-1",
  all: "-1",
  tcp: "tcp",
  "6": "tcp",
  udp: "udp",
  "17": "udp",
  icmp: "icmp",
  "1": "icmp",
  icmpv6: "icmpv6",
  "58": "icmpv6",
};

/** EC2 stores tcp/udp/icmp by name and every other protocol by number. */
export const normalizeProtocol = (raw: string): string => {
  const lower = raw.toLowerCase();
  const named = PROTOCOL_NAMES[lower];
  if (named) return named;
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return String(Number(lower));
  throw invalidParameterValue(`Invalid value '${raw}' for IP protocol. Unknown protocol.`);
};

const portRange = (protocol: string, from: number | undefined, to: number | undefined): [number, number] => {
  if (protocol === "tcp" || protocol === "udp") {
    if (from === undefined || to === undefined) {
      throw invalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
    }
    if (from < 0 || to > 65535 || from > to) {
      throw invalidParameterValue(`Invalid value '${from}-${to}' for portRange. Must specify a valid port range.`);
    }
    return [from, to];
  }
  if (protocol === "icmp" || protocol === "icmpv6") {
    const type = from ?? -1;
    const code = to ?? -1;
    if (type < -1 || type > 255 || code < -1 || code > 255) {
      throw invalidParameterValue(`Invalid value '${type}' for ICMP type or '${code}' for ICMP code.`);
    }
    return [type, code];
  }
  return [-1, -1];
};

/** Read `IpPermissions.N.*`, or the legacy top-level `IpProtocol`/`FromPort`/`ToPort`/`CidrIp`. */
export const parseRawPermissions = (params: QueryParams): RawPermission[] => {
  const permissions = params.structList("IpPermissions").map((p) => ({
    ipProtocol: p.get("IpProtocol") ?? "",
    fromPort: p.int("FromPort"),
    toPort: p.int("ToPort"),
    groups: p.structList("Groups").map((g) => ({ groupId: g.get("GroupId") ?? "", description: g.get("Description") })),
    ipRanges: p
      .structList("IpRanges")
      .map((r) => ({ cidrIp: r.get("CidrIp") ?? "", description: r.get("Description") })),
    unsupported: p.structList("Ipv6Ranges").length + p.structList("PrefixListIds").length > 0,
  }));
  if (permissions.some((p) => p.unsupported)) {
    throw invalidParameterValue("IPv6 ranges and prefix lists are not supported by this simulator.");
  }
  const legacyProtocol = params.get("IpProtocol");
  const legacyCidr = params.get("CidrIp");
  if (legacyProtocol !== undefined || legacyCidr !== undefined) {
    permissions.push({
      ipProtocol: legacyProtocol ?? "-1",
      fromPort: params.int("FromPort"),
      toPort: params.int("ToPort"),
      groups: [],
      ipRanges: legacyCidr === undefined ? [] : [{ cidrIp: legacyCidr, description: undefined }],
      unsupported: false,
    });
  }
  return permissions.map(({ unsupported: _, ...permission }) => permission);
};

/** Split permissions into one rule per (protocol, ports, source), validating each as EC2 does. */
export const toRuleSpecs = (permissions: readonly RawPermission[]): RuleSpec[] => {
  if (permissions.length === 0) throw missingParameter("IpPermissions");
  const specs: RuleSpec[] = [];
  for (const permission of permissions) {
    if (permission.ipProtocol === "") throw missingParameter("ipPermissions.ipProtocol");
    const protocol = normalizeProtocol(permission.ipProtocol);
    const [fromPort, toPort] = portRange(protocol, permission.fromPort, permission.toPort);
    if (permission.groups.length === 0 && permission.ipRanges.length === 0) {
      throw invalidParameterValue(
        "Each IP permission must name at least one source: a CIDR range or a security group.",
      );
    }
    for (const group of permission.groups) {
      if (group.groupId === "") throw missingParameter("groupId");
      specs.push({
        protocol,
        fromPort,
        toPort,
        referencedGroupId: group.groupId,
        ...(group.description ? { description: group.description } : {}),
      });
    }
    for (const range of permission.ipRanges) {
      if (!parseCidr(range.cidrIp)) throw invalidParameterValue(`CIDR block ${range.cidrIp} is malformed`);
      specs.push({
        protocol,
        fromPort,
        toPort,
        cidrIpv4: range.cidrIp,
        ...(range.description ? { description: range.description } : {}),
      });
    }
  }
  return specs;
};

/** The identity of a rule within its group and direction; descriptions do not count. */
export const ruleIdentity = (spec: RuleSpec): string =>
  `${spec.protocol}|${spec.fromPort}|${spec.toPort}|${spec.cidrIpv4 ?? `sg:${spec.referencedGroupId}`}`;

/** EC2's rendering of a rule in `InvalidPermission.Duplicate` messages. */
export const describeRule = (spec: RuleSpec): string => {
  const peer = spec.cidrIpv4 ?? spec.referencedGroupId;
  if (spec.protocol === "-1") return `peer: ${peer}, ALL, ALLOW`;
  return `peer: ${peer}, ${spec.protocol.toUpperCase()}, from port: ${spec.fromPort}, to port: ${spec.toPort}, ALLOW`;
};

/**
 * Rules as DescribeSecurityGroups shows them: one `IpPermission` per (protocol, fromPort, toPort),
 * in order of first appearance, each listing its group and CIDR sources with their descriptions.
 */
export const groupIntoPermissions = (rules: readonly RuleSpec[], accountId: string): XmlValue[] => {
  const byRange = new Map<string, { spec: RuleSpec; groups: XmlValue[]; ipRanges: XmlValue[] }>();
  for (const rule of rules) {
    const key = `${rule.protocol}|${rule.fromPort}|${rule.toPort}`;
    let entry = byRange.get(key);
    if (!entry) {
      entry = { spec: rule, groups: [], ipRanges: [] };
      byRange.set(key, entry);
    }
    if (rule.referencedGroupId) {
      entry.groups.push({ description: rule.description, userId: accountId, groupId: rule.referencedGroupId });
    } else {
      entry.ipRanges.push({ cidrIp: rule.cidrIpv4, description: rule.description });
    }
  }
  return [...byRange.values()].map(({ spec, groups, ipRanges }) => ({
    ipProtocol: spec.protocol,
    ...(spec.protocol === "-1" ? {} : { fromPort: spec.fromPort, toPort: spec.toPort }),
    groups,
    ipRanges,
    ipv6Ranges: [],
    prefixListIds: [],
  }));
};
