import type { ClusterSnapshot, SnapshotScope } from "../model/cluster-snapshot.ts";
import type { ClusterInfo, ObservedEni, ObservedInstance } from "../model/observed.ts";

/** How far an observation has come, for the CLI's progress line. */
export interface ObserveProgress {
  /** Describe pages (calls) answered so far, all services together. */
  readonly pagesRead: number;
  /** Owner-tagged branch and trunk ENIs seen so far. */
  readonly enisSeen: number;
}

export interface ObserveOptions {
  /** Called after every Describe page; must not throw. */
  readonly onProgress?: (progress: ObserveProgress) => void;
  /**
   * Called for every call that still failed after the SDK's retries (for logs and metrics). The
   * failure is also in the result: an incomplete part, or a cluster of status `unknown`.
   */
  readonly onError?: (error: Error) => void;
}

/**
 * The fresh single-ENI view taken immediately before deleting a branch ENI.
 * `undefined` means "not asked" (nothing referenced it); `null` means EC2 confirmed it does not exist.
 */
export interface BranchEniRecheck {
  readonly observedAt: Date;
  /** The ENI itself; undefined when EC2 answered `InvalidNetworkInterfaceID.NotFound`. */
  readonly eni?: ObservedEni;
  /** Its trunk (from the association, else the branch's trunk tag). */
  readonly trunk?: ObservedEni | null;
  /** Its node (from the branch's instance tag, else the trunk's attachment). */
  readonly instance?: ObservedInstance | null;
  /** The live trunk association of the ENI, when one exists. */
  readonly associationId?: string;
}

/**
 * Reads what is true in AWS (EC2, ELBv2, EKS) as cluster snapshots.
 *
 * Failures of individual Describe calls never throw from `observe`: they mark the parts they feed as
 * incomplete (`ClusterSnapshot.incomplete`) and the other parts are still read. `discoverClusters`
 * reports clusters EKS could not be asked about as `unknown`, never as `deleted`.
 * `recheckBranchEni` is all or nothing: it throws an `AwsCallError` unless every read succeeded.
 */
export interface AccountObserver {
  /**
   * The clusters to reconcile. With `"*"`: every EKS cluster plus clusters EKS no longer knows that
   * still own branch ENIs or an LBC backend SG in EC2 (status `deleted`). With names: those clusters.
   */
  discoverClusters(configured: readonly string[] | "*", options?: ObserveOptions): Promise<ClusterInfo[]>;

  /** One snapshot per cluster, in the order given, read with as few calls as the APIs allow. */
  observe(clusters: readonly ClusterInfo[], scope: SnapshotScope, options?: ObserveOptions): Promise<ClusterSnapshot[]>;

  /**
   * Re-describe one branch ENI right before a deletion, with its association, trunk and node when
   * it is in use. An `available` ENI is its own evidence (an associated branch is always in-use), so
   * only the ENI is read, unless `context` asks for the rest too (for explanations).
   */
  recheckBranchEni(eniId: string, options?: { readonly context?: boolean }): Promise<BranchEniRecheck>;
}
