import { availableAt, type ModelDeletion } from "./model-deletion.ts";
import type { ControllerRestart } from "./scenario-types.ts";
import type { EniTruth } from "./truth.ts";

/** `config.ENICleanUpInterval`. */
export const ENI_CLEANUP_INTERVAL_SECONDS = 30 * 60;

/** `CommonNetworkInterfaceFilters`: the owner tag values the cleaner asks for. */
const CLEANER_OWNERS = new Set(["eks-vpc-resource-controller", "amazon-vpc-cni"]);

export interface ControllerCleanerOptions {
  readonly clusters: readonly string[];
  /** When each cluster's cleaner loop runs first (its phase), seconds from the start. */
  readonly firstCycleAt: Readonly<Record<string, number>>;
  readonly restarts: readonly ControllerRestart[];
  /** When a deleted cluster's controller went away with it. */
  readonly clusterDeletedAt: Readonly<Record<string, number>>;
  readonly horizon: number;
  readonly intervalSeconds?: number;
}

/**
 * The VPC resource controller's periodic cleaner, `ClusterENICleaner` in
 * `pkg/aws/ec2/api/cleanup/eni_cleanup.go`: every 30 minutes (`Start`: a cycle, then sleep), Describe
 * `status=available` + owner tag (controller or VPC CNI) + `vpc-id` + the cluster's tag; an ENI already
 * in `availableENIs` (seen by the previous cycle) is deleted, the others become the new map
 * (`UpdateAvailableENIsIfNeeded` replaces it). The map lives in memory: a restart or leader change
 * empties it, and the new leader's loop starts with a cycle when it comes up. A deleted cluster has no
 * controller any more, so no cleaner.
 */
export const controllerCleaner = (truth: readonly EniTruth[], options: ControllerCleanerOptions): ModelDeletion[] => {
  const interval = options.intervalSeconds ?? ENI_CLEANUP_INTERVAL_SECONDS;
  const deletions: ModelDeletion[] = [];
  const deleted = new Set<string>();
  for (const cluster of options.clusters) {
    const end = Math.min(options.horizon, options.clusterDeletedAt[cluster] ?? Number.POSITIVE_INFINITY);
    const restarts = options.restarts.filter((r) => r.cluster === cluster);
    let seen = new Set<string>();
    let lastCycle = Number.NEGATIVE_INFINITY;
    let t = options.firstCycleAt[cluster] ?? 0;
    while (t < end) {
      const restart = restarts.find((r) => r.at > lastCycle && r.at <= t);
      if (restart) {
        seen = new Set();
        lastCycle = restart.at;
        t = restart.end;
        continue;
      }
      const candidates = availableAt(
        truth,
        t,
        deleted,
        (eni) =>
          eni.cluster === cluster && eni.clusterTagged && eni.owner !== undefined && CLEANER_OWNERS.has(eni.owner),
      );
      const next = new Set<string>();
      for (const eni of candidates) {
        if (seen.has(eni.key)) {
          deletions.push({ key: eni.key, at: t });
          deleted.add(eni.key);
        } else {
          next.add(eni.key);
        }
      }
      seen = next;
      lastCycle = t;
      t += interval;
    }
  }
  return deletions.sort((a, b) => a.at - b.at);
};
