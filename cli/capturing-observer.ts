import type { ClusterSnapshot, SnapshotScope } from "../core/model/cluster-snapshot.ts";
import type { ClusterInfo } from "../core/model/observed.ts";
import type { AccountObserver, BranchEniRecheck, ObserveOptions } from "../core/ports/account-observer.ts";

/**
 * An observer that keeps the snapshots it hands out, so that the CLI can explain decisions with the
 * very observation they were made from (ENI tags, ownership, groups) instead of reading AWS twice.
 */
export class CapturingObserver implements AccountObserver {
  private readonly captured: ClusterSnapshot[] = [];

  public constructor(private readonly inner: AccountObserver) {}

  /** Every snapshot observed so far, in order. */
  public get snapshots(): readonly ClusterSnapshot[] {
    return this.captured;
  }

  public discoverClusters(configured: readonly string[] | "*", options?: ObserveOptions): Promise<ClusterInfo[]> {
    return this.inner.discoverClusters(configured, options);
  }

  public async observe(
    clusters: readonly ClusterInfo[],
    scope: SnapshotScope,
    options?: ObserveOptions,
  ): Promise<ClusterSnapshot[]> {
    const snapshots = await this.inner.observe(clusters, scope, options);
    this.captured.push(...snapshots);
    return snapshots;
  }

  public recheckBranchEni(eniId: string): Promise<BranchEniRecheck> {
    return this.inner.recheckBranchEni(eniId);
  }
}
