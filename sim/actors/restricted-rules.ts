import type { RuleProtocol } from "./tgb-ports.ts";

/** One security group ingress rule from a source security group, as the LBC writes them. */
export interface BackendRule {
  /** The endpoint security group the rule is on. */
  readonly groupId: string;
  readonly protocol: RuleProtocol;
  readonly fromPort: number;
  readonly toPort: number;
  /** The backend security group (or the LB's managed group when the backend group is disabled). */
  readonly sourceGroupId: string;
}

/** A stable identity of a rule, for sets and comparisons. */
export const backendRuleKey = (rule: BackendRule): string =>
  `${rule.groupId}|${rule.protocol}|${rule.fromPort}-${rule.toPort}|${rule.sourceGroupId}`;

const byKey = (a: BackendRule, b: BackendRule): number => {
  const [ka, kb] = [backendRuleKey(a), backendRuleKey(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/**
 * Restricted mode, the LBC's default (`computeRestrictedIngressPermissionsPerSG`): all permissions of all
 * bindings on one endpoint group, with one protocol and one source group, merge into a single rule from the
 * lowest to the highest port. A 0-0 permission means every port, as the LBC reads it. Sorted by key.
 */
export const mergeRestricted = (permissions: Iterable<BackendRule>): BackendRule[] => {
  const merged = new Map<string, BackendRule>();
  for (const p of permissions) {
    const [fromPort, toPort] = p.fromPort === 0 && p.toPort === 0 ? [0, 65535] : [p.fromPort, p.toPort];
    const key = `${p.groupId}|${p.protocol}|${p.sourceGroupId}`;
    const seen = merged.get(key);
    merged.set(
      key,
      seen
        ? { ...seen, fromPort: Math.min(seen.fromPort, fromPort), toPort: Math.max(seen.toPort, toPort) }
        : { groupId: p.groupId, protocol: p.protocol, fromPort, toPort, sourceGroupId: p.sourceGroupId },
    );
  }
  return [...merged.values()].sort(byKey);
};

/** `--disable-restricted-sg-rules`: identical permissions collapse, nothing merges. Sorted by key. */
export const dedupeUnrestricted = (permissions: Iterable<BackendRule>): BackendRule[] => {
  const unique = new Map<string, BackendRule>();
  for (const p of permissions) unique.set(backendRuleKey(p), p);
  return [...unique.values()].sort(byKey);
};
