import type { SecurityGroup, SecurityGroupRule } from "@aws-sdk/client-ec2";
import { TAGS } from "../model/tags.ts";
import type { Ec2SnapshotReader } from "./ec2-snapshot-reader.ts";
import type { ObservationRun } from "./observation-run.ts";
import type { PartialRead } from "./page-reads.ts";
import type { SnapshotDraft } from "./snapshot-draft.ts";
import { tagsOf, toObservedSecurityGroup } from "./to-observed.ts";

/** The LBC marks its shared backend SG with this `elbv2.k8s.aws/resource` value. */
export const BACKEND_SG_RESOURCE = "backend-sg";

/** The server-side filter that finds every LBC backend SG of the account (one call for all clusters). */
export const backendSecurityGroupFilters = () => [{ Name: `tag:${TAGS.elbv2Resource}`, Values: [BACKEND_SG_RESOURCE] }];

/**
 * Record each cluster's backend SG from the backend-SG lookup and keep the groups for the SG read.
 * When several carry the same cluster (not something the LBC does), the lowest id is taken and
 * the others are still read as the cluster's groups.
 */
export const applyBackendSecurityGroups = (
  run: ObservationRun,
  read: PartialRead<SecurityGroup>,
  pool: Map<string, SecurityGroup>,
): Map<string, string[]> => {
  if (read.error) run.fail("security-groups", read.error);
  const byCluster = new Map<string, string[]>();
  for (const group of read.items) {
    const cluster = tagsOf(group.Tags)[TAGS.elbv2Cluster];
    if (group.GroupId === undefined || cluster === undefined) continue;
    pool.set(group.GroupId, group);
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), group.GroupId].sort());
  }
  for (const draft of run.drafts) {
    const ids = byCluster.get(draft.cluster.name);
    if (ids?.[0] !== undefined) draft.backendSecurityGroupId = ids[0];
  }
  return byCluster;
};

const referencedSources = (group: SecurityGroup): string[] =>
  (group.IpPermissions ?? []).flatMap((p) =>
    (p.UserIdGroupPairs ?? []).flatMap((pair) => (pair.GroupId ? [pair.GroupId] : [])),
  );

export interface SecurityGroupReadOptions {
  /** Also find every group with an ingress rule sourced from a backend or LB SG (stale LBC rules live there). */
  readonly referencing: boolean;
  /** Backend SGs by cluster (all of them, when several), from `applyBackendSecurityGroups`. */
  readonly backendByCluster: ReadonlyMap<string, readonly string[]>;
  /** Groups every cluster's view includes regardless (the subject of a security-group scope). */
  readonly extraGroupIds?: readonly string[];
}

/**
 * Read, for each cluster, the security groups its snapshot needs: those of its branch ENIs and target
 * ENIs, its backend SG, its load balancers' SGs and (optionally) the groups referencing those in an
 * ingress rule; then the ingress rules, with rule ids, of every group that has any.
 * Calls: DescribeSecurityGroups with `ip-permission.group-id` (200 sources a call), by id for the
 * rest (see `securityGroupsById`), DescribeSecurityGroupRules with `group-id` (200 groups a call).
 */
export const readSecurityGroups = async (
  run: ObservationRun,
  reader: Ec2SnapshotReader,
  pool: Map<string, SecurityGroup>,
  options: SecurityGroupReadOptions,
): Promise<void> => {
  const demand = new Map<SnapshotDraft, Set<string>>();
  const sources = new Map<SnapshotDraft, Set<string>>();
  for (const draft of run.drafts) {
    const ids = new Set<string>(options.extraGroupIds ?? []);
    for (const eni of [...draft.branchEnis.values(), ...draft.targetEnis.values()]) {
      for (const id of eni.securityGroupIds) ids.add(id);
    }
    const lbcSources = new Set<string>(options.backendByCluster.get(draft.cluster.name) ?? []);
    for (const lb of draft.loadBalancers.values()) for (const id of lb.securityGroupIds) lbcSources.add(id);
    for (const id of lbcSources) ids.add(id);
    demand.set(draft, ids);
    sources.set(draft, lbcSources);
  }

  if (options.referencing) {
    const allSources = [...new Set([...sources.values()].flatMap((s) => [...s]))];
    if (allSources.length > 0) {
      const read = await reader.securityGroupsReferencing(allSources, run);
      for (const group of read.items) if (group.GroupId) pool.set(group.GroupId, group);
      if (read.error) {
        const error = read.error;
        run.fail("security-groups", error, (d) => [...(sources.get(d) ?? [])].some((s) => read.failedKeys.has(s)));
      }
      for (const [draft, own] of sources) {
        for (const group of read.items) {
          if (group.GroupId && referencedSources(group).some((s) => own.has(s))) demand.get(draft)?.add(group.GroupId);
        }
      }
    }
  }

  const missing = [...new Set([...demand.values()].flatMap((ids) => [...ids]))].filter((id) => !pool.has(id));
  if (missing.length > 0) {
    const vpcIds = [
      ...new Set(
        run.drafts.flatMap((d) => [
          ...(d.cluster.vpcId ? [d.cluster.vpcId] : []),
          ...[...d.branchEnis.values(), ...d.targetEnis.values()].map((e) => e.vpcId),
        ]),
      ),
    ].filter((id) => id !== "");
    const read = await reader.securityGroupsById(missing, vpcIds, run);
    for (const group of read.items) if (group.GroupId) pool.set(group.GroupId, group);
    if (read.error) {
      const error = read.error;
      run.fail("security-groups", error, (d) => [...(demand.get(d) ?? [])].some((id) => read.failedKeys.has(id)));
    }
  }

  // Groups without any ingress permission have no ingress rule to read.
  const withIngress = [...new Set([...demand.values()].flatMap((ids) => [...ids]))].filter(
    (id) => (pool.get(id)?.IpPermissions?.length ?? 0) > 0,
  );
  const rulesByGroup = new Map<string, SecurityGroupRule[]>();
  if (withIngress.length > 0) {
    const rules = await reader.securityGroupRules(withIngress, run);
    for (const rule of rules.items) {
      if (!rule.GroupId) continue;
      const list = rulesByGroup.get(rule.GroupId);
      if (list) list.push(rule);
      else rulesByGroup.set(rule.GroupId, [rule]);
    }
    if (rules.error) {
      const error = rules.error;
      run.fail("security-groups", error, (d) => [...(demand.get(d) ?? [])].some((id) => rules.failedKeys.has(id)));
    }
  }

  for (const [draft, ids] of demand) {
    for (const id of ids) {
      const group = pool.get(id);
      if (group) draft.securityGroups.set(id, toObservedSecurityGroup(group, rulesByGroup.get(id) ?? []));
    }
  }
};
