import type { DesiredRule } from "../model/planned-action.ts";
import { compareText } from "./ordering.ts";

/** One port a binding needs on one endpoint group from one source group. */
export interface EndpointPermission {
  readonly groupId: string;
  readonly sourceGroupId: string;
  readonly protocol: string;
  readonly port: number;
}

const ALL_PORTS = { fromPort: 0, toPort: 65535 } as const;

/** Orders rules by group, protocol, source, then ports. */
export const compareRules = (a: DesiredRule, b: DesiredRule): number =>
  compareText(a.groupId, b.groupId) ||
  compareText(a.protocol, b.protocol) ||
  compareText(a.sourceGroupId, b.sourceGroupId) ||
  a.fromPort - b.fromPort ||
  a.toPort - b.toPort;

/**
 * The LBC's restricted mode (`computeRestrictedIngressPermissionsPerSG`): per endpoint group,
 * protocol and source group, the ports of every binding merge into one rule from the lowest to the
 * highest port; a permission on port 0 opens every port, as it does in the LBC.
 */
export const mergeRestricted = (permissions: Iterable<EndpointPermission>): DesiredRule[] => {
  const merged = new Map<string, DesiredRule>();
  for (const permission of permissions) {
    const key = `${permission.groupId}|${permission.protocol}|${permission.sourceGroupId}`;
    const range = permission.port === 0 ? ALL_PORTS : { fromPort: permission.port, toPort: permission.port };
    const known = merged.get(key);
    merged.set(key, {
      groupId: permission.groupId,
      protocol: permission.protocol,
      sourceGroupId: permission.sourceGroupId,
      fromPort: Math.min(known?.fromPort ?? range.fromPort, range.fromPort),
      toPort: Math.max(known?.toPort ?? range.toPort, range.toPort),
    });
  }
  return [...merged.values()].sort(compareRules);
};
