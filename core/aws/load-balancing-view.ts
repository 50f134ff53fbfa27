import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ObservedTargetGroup, Tags } from "../model/observed.ts";
import { TAGS } from "../model/tags.ts";
import { mapWithLimit } from "../support/map-with-limit.ts";
import type { Elbv2TargetReader } from "./elbv2-target-reader.ts";
import type { ObservationRun } from "./observation-run.ts";
import { tagsOf, toObservedLoadBalancer, toObservedTargetGroup } from "./to-observed.ts";

/** A cluster's target group with the VPC its IP targets live in. */
export interface ClusterTargetGroup {
  readonly cluster: string;
  readonly group: ObservedTargetGroup;
  readonly vpcId: string;
}

/** DescribeTargetHealth is one call per group: a few in flight, not a burst. */
const TARGET_HEALTH_CONCURRENCY = 4;

/**
 * Read the ELBv2 side of the run's clusters: their target groups (tagged `elbv2.k8s.aws/cluster`)
 * with targets, and the load balancers in front of them. Calls: DescribeTargetGroups pages (400),
 * DescribeTags for the candidate groups and their load balancers together (20 ARNs a call), one
 * DescribeTargetHealth per cluster group, and DescribeLoadBalancers pages (400) when any group has one.
 *
 * @param vpcIds when given, only groups in these VPCs are candidates (fewer DescribeTags calls).
 */
export const readLoadBalancing = async (
  run: ObservationRun,
  reader: Elbv2TargetReader,
  vpcIds: ReadonlySet<string> | undefined,
): Promise<ClusterTargetGroup[]> => {
  const listed = await reader.targetGroups(run);
  if (listed.error) {
    run.fail("target-groups", listed.error);
    run.fail("load-balancers", listed.error);
  }
  const candidates = listed.items.filter(
    (group) => group.TargetGroupArn !== undefined && (!vpcIds || vpcIds.has(group.VpcId ?? "")),
  );
  if (candidates.length === 0) return [];

  const lbArnsOf = (group: TargetGroup) => group.LoadBalancerArns ?? [];
  const arns = [...new Set(candidates.flatMap((g) => [g.TargetGroupArn ?? "", ...lbArnsOf(g)]))];
  const tagged = await reader.tags(arns, run);
  const tagsByArn = new Map<string, Tags>(
    tagged.items.flatMap((d) => (d.ResourceArn ? [[d.ResourceArn, tagsOf(d.Tags)] as const] : [])),
  );
  if (tagged.error && candidates.some((g) => tagged.failedKeys.has(g.TargetGroupArn ?? ""))) {
    // Groups whose tags are unknown could belong to any cluster.
    run.fail("target-groups", tagged.error);
  }

  const owned = candidates.flatMap((group) => {
    const cluster = tagsByArn.get(group.TargetGroupArn ?? "")?.[TAGS.elbv2Cluster];
    return cluster !== undefined && run.draft(cluster) ? [{ cluster, group }] : [];
  });
  if (tagged.error) {
    const lbFailed = new Set(
      owned.filter((o) => lbArnsOf(o.group).some((a) => tagged.failedKeys.has(a))).map((o) => o.cluster),
    );
    if (lbFailed.size > 0) run.fail("load-balancers", tagged.error, (d) => lbFailed.has(d.cluster.name));
  }

  const reads = await mapWithLimit(owned, TARGET_HEALTH_CONCURRENCY, async (o) => ({
    ...o,
    read: await reader.targets(o.group.TargetGroupArn ?? "", run),
  }));
  const result: ClusterTargetGroup[] = [];
  for (const { cluster, group, read } of reads) {
    const draft = run.draft(cluster);
    if (!draft) continue;
    if (read.kind === "failed") {
      run.fail("target-groups", read.error, (d) => d === draft);
      continue;
    }
    // A group deleted since it was listed has no targets and needs no rules.
    if (read.kind === "gone") continue;
    const observed = toObservedTargetGroup(group, tagsByArn.get(group.TargetGroupArn ?? "") ?? {}, read.targets);
    draft.targetGroups.push(observed);
    result.push({ cluster, group: observed, vpcId: group.VpcId ?? "" });
  }

  const wantedLbs = new Set(result.flatMap((r) => r.group.loadBalancerArns));
  if (wantedLbs.size === 0) return result;
  const balancers = await reader.loadBalancers(run);
  if (balancers.error) {
    const affected = new Set(result.filter((r) => r.group.loadBalancerArns.length > 0).map((r) => r.cluster));
    run.fail("load-balancers", balancers.error, (d) => affected.has(d.cluster.name));
  }
  const byArn = new Map(
    balancers.items.flatMap((lb) => (lb.LoadBalancerArn ? [[lb.LoadBalancerArn, lb] as const] : [])),
  );
  for (const { cluster, group } of result) {
    const draft = run.draft(cluster);
    for (const arn of group.loadBalancerArns) {
      const balancer = byArn.get(arn);
      // Absent from a complete listing: deleted since the group was read.
      if (balancer && draft) draft.loadBalancers.set(arn, toObservedLoadBalancer(balancer, tagsByArn.get(arn) ?? {}));
    }
  }
  return result;
};
