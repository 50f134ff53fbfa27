import type { Config } from "../config.ts";
import { type ClusterSnapshot, isComplete, type SnapshotPart, type SnapshotScope } from "../model/cluster-snapshot.ts";
import type { Finding } from "../model/finding.ts";
import type { ObservedEni, ObservedTarget, ObservedTargetGroup, SecurityGroupRule } from "../model/observed.ts";
import type { DesiredRule, PlannedAction } from "../model/planned-action.ts";
import { LBC_RULE_DESCRIPTION, TAGS } from "../model/tags.ts";
import { bindingPorts } from "./lbc-binding-ports.ts";
import { resolveEndpointSecurityGroup } from "./lbc-endpoint-security-group.ts";
import { type EndpointPermission, mergeRestricted } from "./lbc-restricted-merge.ts";
import { compareText, listInWords, sortedUnique } from "./ordering.ts";

/** What the LBC's bindings of a cluster need, as far as the snapshot tells. */
export interface DesiredBackendRules {
  /** The merged rules, in `compareRules` order. */
  readonly rules: readonly DesiredRule[];
  /** Target group names needing each rule, by `ruleKey`. */
  readonly neededBy: ReadonlyMap<string, readonly string[]>;
  /** `backend-rule-unresolved` findings: targets or load balancers no rule could be computed for. */
  readonly findings: readonly Finding[];
  /** Targets, ENIs and load balancers whose needs are unknown; while any is, no rule can be called stale. */
  readonly gaps: readonly string[];
}

export interface BackendRuleDecision {
  readonly findings: readonly Finding[];
  /** Authorizations first, then revocations. */
  readonly actions: readonly PlannedAction[];
}

/** Parts whose partial read makes "no target group needs this rule" unprovable. */
const REVOKE_PARTS: readonly SnapshotPart[] = ["security-groups", "target-groups", "load-balancers", "target-enis"];

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { "6": "tcp", "17": "udp" };
const normalizeProtocol = (protocol: string): string => PROTOCOL_NAMES[protocol] ?? protocol.toLowerCase();

/** Identity of a rule for matching: group, protocol, ports and source; descriptions never matter beyond the label. */
export const ruleKey = (rule: DesiredRule | SecurityGroupRule): string => {
  const source = "sourceGroupId" in rule ? rule.sourceGroupId : undefined;
  return `${rule.groupId}|${normalizeProtocol(rule.protocol)}|${rule.fromPort}|${rule.toPort}|${source ?? ""}`;
};

const describeRule = (rule: { protocol: string; fromPort: number; toPort: number; groupId: string }, source?: string) =>
  `${normalizeProtocol(rule.protocol)} ${rule.fromPort}-${rule.toPort}${source === undefined ? "" : ` from ${source}`} on ${rule.groupId}`;

const ruleTarget = (rule: DesiredRule): string =>
  `${rule.groupId}:${rule.protocol}:${rule.fromPort}-${rule.toPort}<-${rule.sourceGroupId}`;

/** Finds the ENI a target sends traffic to: the ENI owning the IP (ip mode) or the node's primary ENI (instance mode). */
const endpointIndex = (snapshot: ClusterSnapshot) => {
  const byIp = new Map<string, ObservedEni>();
  const primaryByInstance = new Map<string, ObservedEni>();
  const enis = [...snapshot.targetEnis.values(), ...snapshot.branchEnis.values()].sort((a, b) =>
    compareText(a.eniId, b.eniId),
  );
  // Lowest ENI id wins should two ENIs ever claim the same address, so the choice is stable.
  for (const eni of enis) {
    for (const ip of eni.privateIps) if (!byIp.has(ip)) byIp.set(ip, eni);
    const instanceId = eni.attachment?.instanceId;
    if (instanceId !== undefined && eni.attachment?.deviceIndex === 0 && !primaryByInstance.has(instanceId)) {
      primaryByInstance.set(instanceId, eni);
    }
  }
  return (group: ObservedTargetGroup, target: ObservedTarget): ObservedEni | undefined =>
    group.targetType === "ip" ? byIp.get(target.id) : primaryByInstance.get(target.id);
};

/**
 * The rules the LBC's target group bindings need on endpoint security groups, mirroring the LBC's
 * restricted mode: for every ip or instance target group behind a load balancer, the source is the
 * cluster's backend SG when the load balancer carries it (else the load balancer's own groups), the
 * endpoint group is resolved as `resolveEndpointSGForENI` does, ports are the target port (pod port
 * or NodePort) plus a distinct health-check port, and ports merge per group, protocol and source.
 */
export const desiredBackendRules = (snapshot: ClusterSnapshot): DesiredBackendRules => {
  const cluster = snapshot.cluster.name;
  const observedAt = snapshot.observedAt.toISOString();
  const findings = new Map<string, Finding>();
  const gaps = new Set<string>();
  const unresolved = (resourceId: string, detail: string, blocksRevoke: boolean) => {
    if (blocksRevoke) gaps.add(resourceId);
    findings.set(resourceId, {
      cluster,
      kind: "backend-rule-unresolved",
      resourceId,
      detail,
      action: blocksRevoke ? "report only; stale rules are not revoked until this is resolved" : "report only",
      observedAt,
    });
  };

  const permissions: EndpointPermission[] = [];
  const neededBy = new Map<string, readonly string[]>();
  // Restricted mode merges per endpoint group, protocol and source: remember who contributed.
  const groupsByTriple = new Map<string, Set<string>>();
  const endpointEni = endpointIndex(snapshot);
  const groups = [...snapshot.targetGroups].sort((a, b) => compareText(a.arn, b.arn));
  for (const group of groups) {
    if ((group.targetType !== "ip" && group.targetType !== "instance") || group.loadBalancerArns.length === 0) continue;
    const sources = new Set<string>();
    for (const arn of group.loadBalancerArns) {
      const balancer = snapshot.loadBalancers.get(arn);
      if (balancer === undefined) {
        unresolved(arn, `Load balancer ${arn} of target group ${group.name} was not observed.`, true);
      } else if (
        snapshot.backendSecurityGroupId !== undefined &&
        balancer.securityGroupIds.includes(snapshot.backendSecurityGroupId)
      ) {
        sources.add(snapshot.backendSecurityGroupId);
      } else if (balancer.securityGroupIds.length === 0) {
        // Without security groups the LBC writes CIDR rules, never group-sourced ones: nothing unknown here.
        unresolved(
          arn,
          `Load balancer ${arn} has no security groups, so no group-sourced backend rule applies to target group ${group.name}.`,
          false,
        );
      } else {
        for (const id of balancer.securityGroupIds) sources.add(id);
      }
    }
    if (sources.size === 0) continue;

    for (const target of group.targets) {
      const where = `target ${target.id}:${target.port} of target group ${group.name}`;
      const eni = endpointEni(group, target);
      if (eni === undefined) {
        unresolved(target.id, `No observed ENI serves ${where}.`, true);
        continue;
      }
      const endpoint = resolveEndpointSecurityGroup(eni, snapshot.securityGroups, cluster);
      if ("error" in endpoint) {
        unresolved(eni.eniId, `${endpoint.error} (${where}).`, true);
        continue;
      }
      const ports = bindingPorts(group.protocol, target.port, group.healthCheckPort);
      if (ports === undefined) {
        unresolved(
          group.arn,
          `Target group ${group.name} (protocol ${group.protocol}, health-check port ${group.healthCheckPort}) has no LBC backend rule semantics.`,
          true,
        );
        continue;
      }
      for (const sourceGroupId of sources) {
        for (const { protocol, port } of ports) {
          permissions.push({ groupId: endpoint.groupId, sourceGroupId, protocol, port });
          const triple = `${endpoint.groupId}|${protocol}|${sourceGroupId}`;
          const contributors = groupsByTriple.get(triple) ?? new Set<string>();
          groupsByTriple.set(triple, contributors.add(group.name));
        }
      }
    }
  }

  const rules = mergeRestricted(permissions);
  for (const rule of rules) {
    const triple = `${rule.groupId}|${rule.protocol}|${rule.sourceGroupId}`;
    neededBy.set(ruleKey(rule), sortedUnique(groupsByTriple.get(triple) ?? []));
  }
  return {
    rules,
    neededBy,
    findings: [...findings.values()].sort((a, b) => compareText(a.resourceId, b.resourceId)),
    gaps: sortedUnique(gaps),
  };
};

interface ActualRule {
  readonly rule: SecurityGroupRule;
  readonly groupId: string;
}

/** Scopes that read a cluster's whole load-balancing side, which backend-rule decisions need. */
const LOAD_BALANCING_VIEWS: ReadonlySet<SnapshotScope["kind"]> = new Set(["full", "load-balancing", "target-group"]);

/**
 * Reconcile the LBC's labelled backend rules (`elbv2.k8s.aws/targetGroupBinding=shared`) with what
 * the cluster's bindings need. Only rules whose source is the cluster's backend SG or one of its
 * load balancers' groups are considered. Missing rules are authorized; stale ones revoked, but only
 * when the security groups, target groups, load balancers and target ENIs were all read completely
 * and every target resolved (authorize before revoke, as the LBC does). After the cluster is
 * deleted, every labelled rule sourced from its backend SG is stale, so that group can be deleted.
 * Rules in skip-tagged groups are never touched; `BACKEND_RULES=report` only reports. Only a
 * snapshot of the whole load-balancing side decides: what a rule is needed for depends on every
 * binding of the cluster.
 */
export const decideBackendRules = (
  snapshot: ClusterSnapshot,
  config: Pick<Config, "backendRules">,
): BackendRuleDecision => {
  const cluster = snapshot.cluster.name;
  const observedAt = snapshot.observedAt.toISOString();
  const backend = snapshot.backendSecurityGroupId;
  const deleted = snapshot.cluster.status === "deleted";
  if (!LOAD_BALANCING_VIEWS.has(snapshot.scope.kind) || (deleted && backend === undefined)) {
    return { findings: [], actions: [] };
  }

  const desired: DesiredBackendRules = deleted
    ? { rules: [], neededBy: new Map(), findings: [], gaps: [] }
    : desiredBackendRules(snapshot);
  const sources = new Set<string>(backend === undefined ? [] : [backend]);
  if (!deleted)
    for (const balancer of snapshot.loadBalancers.values()) for (const id of balancer.securityGroupIds) sources.add(id);

  const actual: ActualRule[] = [];
  const groups = [...snapshot.securityGroups.values()].sort((a, b) => compareText(a.groupId, b.groupId));
  for (const group of groups) {
    const labelled = group.ingress.filter(
      (rule) =>
        rule.description === LBC_RULE_DESCRIPTION &&
        rule.sourceGroupId !== undefined &&
        sources.has(rule.sourceGroupId),
    );
    for (const rule of labelled.sort((a, b) => compareText(a.ruleId, b.ruleId)))
      actual.push({ rule, groupId: group.groupId });
  }
  const actualKeys = new Set(actual.map(({ rule, groupId }) => ruleKey({ ...rule, groupId })));
  const desiredKeys = new Set(desired.rules.map(ruleKey));

  const reportOnly = config.backendRules === "report" ? "report only (BACKEND_RULES=report)" : undefined;
  const skipped = (groupId: string): string | undefined => {
    const group = snapshot.securityGroups.get(groupId);
    if (group === undefined) return `report only: ${groupId} was not observed`;
    return TAGS.skip in group.tags ? `report only: ${groupId} is tagged ${TAGS.skip}` : undefined;
  };
  const revokeHolds = [
    ...REVOKE_PARTS.filter((part) => !isComplete(snapshot, part)).map(
      (part) => `${part} could not be read completely (${snapshot.incomplete.get(part)})`,
    ),
    ...(desired.gaps.length > 0 ? [`the needs of ${listInWords(desired.gaps)} could not be resolved`] : []),
  ];

  const findings: Finding[] = [];
  const authorizations: PlannedAction[] = [];
  for (const rule of desired.rules) {
    if (actualKeys.has(ruleKey(rule))) continue;
    const neededBy = desired.neededBy.get(ruleKey(rule)) ?? [];
    const detail = `The LBC's restricted-mode rules need ${describeRule(rule, rule.sourceGroupId)} for target group(s) ${listInWords(neededBy)}, but no rule labelled ${LBC_RULE_DESCRIPTION} allows it.`;
    const hold = reportOnly ?? skipped(rule.groupId);
    findings.push({
      cluster,
      kind: "backend-rule-missing",
      resourceId: ruleTarget(rule),
      detail,
      action: hold ?? `authorize ${describeRule(rule, rule.sourceGroupId)}`,
      observedAt,
    });
    if (hold === undefined) authorizations.push({ kind: "authorize-rule", cluster, rule, reason: detail });
  }

  const revocations: PlannedAction[] = [];
  for (const { rule, groupId } of actual) {
    if (desiredKeys.has(ruleKey({ ...rule, groupId }))) continue;
    const what = `Rule ${rule.ruleId} (${describeRule({ ...rule, groupId }, rule.sourceGroupId)})`;
    const detail = deleted
      ? `${what} is sourced from the backend SG ${backend} of deleted cluster ${cluster} and keeps that group from being deleted.`
      : `${what} is labelled ${LBC_RULE_DESCRIPTION} but no current target group binding needs it.`;
    const hold =
      reportOnly ??
      skipped(groupId) ??
      (revokeHolds.length > 0 ? `report only: revoke held, ${listInWords(revokeHolds)}` : undefined);
    findings.push({
      cluster,
      kind: "backend-rule-stale",
      resourceId: rule.ruleId,
      detail,
      action: hold ?? `revoke ${rule.ruleId}`,
      observedAt,
    });
    if (hold === undefined)
      revocations.push({ kind: "revoke-rule", cluster, rule: { ...rule, groupId }, reason: detail });
  }

  return {
    findings: [...findings, ...desired.findings],
    actions: [...authorizations, ...revocations],
  };
};
