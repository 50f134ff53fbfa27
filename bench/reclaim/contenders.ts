import { SeededRandom } from "../../sim/scenarios/seeded-random.ts";
import { CUSTODIAN_INTERVAL_SECONDS, custodianPolicy } from "./custodian-model.ts";
import { eksctlCleanup } from "./eksctl-model.ts";
import { earliestDeletions, type ModelDeletion } from "./model-deletion.ts";
import type { ReclaimScenario } from "./scenario-types.ts";
import { controllerCleaner, ENI_CLEANUP_INTERVAL_SECONDS } from "./vpc-resource-controller-model.ts";

/** Where each model comes from and what it assumes: written into the results. */
export const MODEL_SOURCES = {
  "vpc-resource-controller":
    "amazon-vpc-resource-controller-k8s pkg/aws/ec2/api/cleanup/eni_cleanup.go (ClusterENICleaner): a cycle at start, then every 30 min (config.ENICleanUpInterval); Describe status=available + eks:eni:owner in {eks-vpc-resource-controller, amazon-vpc-cni} + vpc-id + the cluster's tag; delete what the previous cycle saw, keep the rest as the new in-memory map. A restart/leader change empties the map and starts a new cycle when the controller is back; no cleaner after DeleteCluster (PR #574). Each cluster's loop has a random phase. Its node cleanup (node_cleanup.go) is part of the world, not of this model.",
  eksctl:
    "eksctl pkg/vpc/cleanup.go CleanupNetworkInterfaces, called once by `eksctl delete cluster` (pkg/actions/cluster/owned.go) when the node group stacks are gone and the cluster stack's deletion starts (modelled at node group deletion + 240 s): Describe vpc-id + status=available, delete ENIs with a group named ^eksctl-<cluster>-(cluster|nodegroup)-.+$. Nothing before, nothing after, nothing in clusters not deleted.",
  custodian:
    "Cloud Custodian periodic policy (mode periodic, rate(15 minutes), random phase): resource aws.eni, filters Status: available and Description: aws-k8s-branch-eni, action delete (c7n/resources/vpc.py DeleteNetworkInterface); no grace, no owner-tag filter (Custodian has no 'unused ENI' filter, cloud-custodian #2521).",
  "vpc-resource-controller+eksctl":
    "Both of the above at once (what an eksctl user has today): per ENI the earlier deletion wins.",
} as const;

export type ModelName = keyof typeof MODEL_SOURCES;

/** One line per model for the results table. */
export const MODEL_TITLES: Readonly<Record<ModelName, string>> = {
  "vpc-resource-controller":
    "model: VPC resource controller cleaner (eni_cleanup.go: every 30 min, delete on 2nd sighting, map in memory, gone with the cluster)",
  eksctl:
    "model: eksctl delete-time cleanup (pkg/vpc/cleanup.go: once, available + SG name ^eksctl-<cluster>-(cluster|nodegroup)-)",
  custodian:
    "model: Cloud Custodian policy (every 15 min: aws.eni, Status available + Description aws-k8s-branch-eni → delete, no grace)",
  "vpc-resource-controller+eksctl":
    "model: VPC resource controller cleaner + eksctl together (status quo of an eksctl user)",
};

/** Each alternative's deletions over the scenario's truth, with seeded phases. */
export const runModels = (scenario: ReclaimScenario, seed: number): Record<ModelName, ModelDeletion[]> => {
  const random = new SeededRandom(seed ^ 0x5eed);
  const horizon = scenario.options.horizonSeconds;
  const clusters = scenario.clusters.map((c) => c.shape.name);
  const firstCycleAt = Object.fromEntries(clusters.map((c) => [c, random.float() * ENI_CLEANUP_INTERVAL_SECONDS]));
  const clusterDeletedAt = Object.fromEntries(
    scenario.clusters.flatMap((c) => (c.deletion ? [[c.shape.name, c.deletion.clusterAt]] : [])),
  );
  const controller = controllerCleaner(scenario.truth, {
    clusters,
    firstCycleAt,
    restarts: scenario.restarts,
    clusterDeletedAt,
    horizon,
  });
  const eksctl = eksctlCleanup(
    scenario.truth,
    scenario.clusters.flatMap((c) => (c.deletion ? [{ cluster: c.shape.name, at: c.deletion.eksctlCleanupAt }] : [])),
  );
  const custodian = custodianPolicy(scenario.truth, {
    firstRunAt: random.float() * CUSTODIAN_INTERVAL_SECONDS,
    horizon,
  });
  return {
    "vpc-resource-controller": controller,
    eksctl,
    custodian,
    "vpc-resource-controller+eksctl": earliestDeletions(controller, eksctl),
  };
};
