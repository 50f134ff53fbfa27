import type { EniTruth } from "./truth.ts";

/** The VPC resource controller's generation: before 2025 it did not tag branch ENIs with their node. */
export type ControllerGeneration = "current" | "pre-2025";

export interface ClusterShape {
  readonly name: string;
  readonly nodes: number;
  readonly podsPerNode: number;
  readonly instanceType: string;
  readonly controller: ControllerGeneration;
  /** Seconds from the start when `eksctl delete cluster` deletes the node group (then the cluster). */
  readonly deleteAt?: number;
}

/** Rates and delays of the damage (seconds unless named otherwise). */
export interface DamageOptions {
  /** Per live cluster, over the damage period. */
  readonly podDeletionsPerHour: number;
  readonly nodeTerminationsPerHour: number;
  /** Per cluster over the damage period: leader changes / restarts of the VPC resource controller. */
  readonly controllerRestarts: number;
  readonly restartDowntime: readonly [number, number];
  /** How long a torn-down pod's branch ENI is `available` before the controller's delete (retries). */
  readonly teardownWindow: readonly [number, number];
  /** Share of teardowns whose delete fails `MaxDeleteRetries` times: the controller forgets the ENI. */
  readonly teardownFailureRate: number;
  /** After a termination, when the controller's node cleanup runs. */
  readonly nodeCleanupDelay: readonly [number, number];
  /** Share of node cleanups that fail as a whole (Describe throttled, 3-min timeout; only logged). */
  readonly nodeCleanupFailureRate: number;
  /** Share of a running cleanup's deletes that fail (each error only logged; no retry). */
  readonly nodeCleanupDeleteFailureRate: number;
  /** VPC CNI ENIs `available` between create and attach, per live cluster over the damage period. */
  readonly cniTrapsPerCluster: number;
  readonly cniTrapWindow: readonly [number, number];
  /** ENIs with the branch description but another (or no) owner tag, per cluster, from the start. */
  readonly lookAlikesPerCluster: number;
  /** A Deployment replaces a deleted pod after this long. */
  readonly replacementPodDelay: readonly [number, number];
  /** Pods of a terminated node are recreated elsewhere after this long. */
  readonly displacedPodDelay: readonly [number, number];
  /** The node group launches a replacement node after this long. */
  readonly replacementNodeDelay: readonly [number, number];
  /** eksctl's ENI cleanup runs this long after the node group deletion began (nodegroup stack gone). */
  readonly eksctlCleanupAfter: number;
  /** EKS DeleteCluster this long after the node group deletion began: the controller is gone. */
  readonly deleteClusterAfter: number;
}

export interface ScenarioOptions {
  readonly seed: number;
  /** Damage happens in [0, damageSeconds); then a quiet tail until the horizon. */
  readonly damageSeconds: number;
  readonly horizonSeconds: number;
  readonly clusters: readonly ClusterShape[];
  readonly damage: DamageOptions;
}

/** A security group of a cluster: its role in the scenario and its name in EC2. */
export interface GroupPlan {
  readonly role: "cluster" | "shared-node" | "web" | "api" | "db-client" | "worker";
  /** The name it gets (EKS names the cluster SG itself: `eks-cluster-sg-<cluster>-<digits>`). */
  readonly name: string;
}

/** A SecurityGroupPolicy: which groups its pods' branch ENIs carry. */
export interface PolicyPlan {
  readonly name: string;
  readonly roles: readonly GroupPlan["role"][];
  readonly weight: number;
}

export interface NodePlan {
  readonly key: string;
  readonly cluster: string;
}

export interface PodPlan {
  readonly key: string;
  readonly cluster: string;
  readonly node: string;
  readonly policy: string;
}

export interface ClusterPlan {
  readonly shape: ClusterShape;
  readonly groups: readonly GroupPlan[];
  readonly policies: readonly PolicyPlan[];
  /** Nodes and pods that exist at the start. */
  readonly nodes: readonly NodePlan[];
  readonly pods: readonly PodPlan[];
  readonly lookAlikes: readonly { readonly key: string; readonly owner?: string }[];
  /** When it is deleted: node group deletion begins, eksctl cleans up, EKS deletes the cluster. */
  readonly deletion?: { readonly nodegroupAt: number; readonly eksctlCleanupAt: number; readonly clusterAt: number };
}

/** One thing that happens to the world, at `at` seconds. */
export type WorldAction =
  | { readonly at: number; readonly kind: "create-pod"; readonly pod: PodPlan }
  | {
      readonly at: number;
      readonly kind: "teardown-pod";
      readonly pod: string;
      readonly cluster: string;
      /** Seconds between DisassociateTrunkInterface and the delete attempts. */
      readonly window: number;
      readonly outcome: "deleted" | "forgotten" | "crashed";
      /** When the controller crashed mid-teardown (outcome `crashed`). */
      readonly crashAt?: number;
    }
  | {
      readonly at: number;
      readonly kind: "terminate-nodes";
      readonly cluster: string;
      readonly nodes: readonly string[];
      readonly why: "scale-in" | "cluster-deleted";
    }
  | {
      readonly at: number;
      readonly kind: "node-cleanup";
      readonly cluster: string;
      readonly node: string;
      readonly succeeds: boolean;
      /** Branch ENIs (logical keys) whose delete fails in a cleanup that runs. */
      readonly failedDeletes: readonly string[];
    }
  | { readonly at: number; readonly kind: "launch-node"; readonly node: NodePlan }
  | { readonly at: number; readonly kind: "delete-cluster"; readonly cluster: string }
  | {
      readonly at: number;
      readonly kind: "cni-trap";
      readonly cluster: string;
      readonly node: string;
      readonly eni: string;
      readonly window: number;
    };

/** A restart (leader change) of a cluster's VPC resource controller: down in [at, end). */
export interface ControllerRestart {
  readonly cluster: string;
  readonly at: number;
  readonly end: number;
}

/** A generated damage scenario: pure data. */
export interface ReclaimScenario {
  readonly options: ScenarioOptions;
  readonly clusters: readonly ClusterPlan[];
  /** In time order. */
  readonly actions: readonly WorldAction[];
  readonly restarts: readonly ControllerRestart[];
  readonly truth: readonly EniTruth[];
}
