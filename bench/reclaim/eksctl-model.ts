import { availableAt, type ModelDeletion } from "./model-deletion.ts";
import type { EniTruth } from "./truth.ts";

/** `fmtSecurityGroupNameRegexForCluster` in eksctl's `pkg/vpc/cleanup.go`. */
export const eksctlGroupPattern = (cluster: string): RegExp =>
  new RegExp(`^eksctl-${cluster.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(cluster|nodegroup)-.+$`);

/**
 * eksctl's delete-time cleanup, `CleanupNetworkInterfaces` in `pkg/vpc/cleanup.go`, run once by
 * `eksctl delete cluster` (`pkg/actions/cluster/owned.go`: after the node group stacks are deleted,
 * as the cluster stack's deletion starts): Describe `vpc-id` + `status=available`, delete every ENI
 * with a security group whose name matches `^eksctl-<cluster>-(cluster|nodegroup)-.+$`. Branch ENIs
 * carrying only pod groups (or the EKS cluster group, `eks-cluster-sg-…`) are never matched, and
 * nothing runs before or after that moment.
 */
export const eksctlCleanup = (
  truth: readonly EniTruth[],
  runs: readonly { readonly cluster: string; readonly at: number }[],
): ModelDeletion[] => {
  const deleted = new Set<string>();
  const deletions: ModelDeletion[] = [];
  for (const run of runs) {
    const pattern = eksctlGroupPattern(run.cluster);
    for (const eni of availableAt(
      truth,
      run.at,
      deleted,
      (e) => e.cluster === run.cluster && e.securityGroups.some((name) => pattern.test(name)),
    )) {
      deletions.push({ key: eni.key, at: run.at });
      deleted.add(eni.key);
    }
  }
  return deletions;
};
