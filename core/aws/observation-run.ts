import type { SnapshotPart, SnapshotScope } from "../model/cluster-snapshot.ts";
import type { ClusterInfo } from "../model/observed.ts";
import type { ObserveOptions } from "../ports/account-observer.ts";
import type { PageCounter } from "./page-reads.ts";
import type { AwsCallError } from "./sdk-errors.ts";
import { SnapshotDraft } from "./snapshot-draft.ts";

/** One observation in progress: a draft per cluster, the progress counter and the error sink. */
export class ObservationRun implements PageCounter {
  public readonly drafts: SnapshotDraft[];
  private readonly byName: Map<string, SnapshotDraft>;
  private pagesRead = 0;
  private enisSeen = 0;
  private readonly reported = new Set<AwsCallError>();

  public constructor(
    clusters: readonly ClusterInfo[],
    public readonly scope: SnapshotScope,
    private readonly options: ObserveOptions = {},
  ) {
    this.drafts = clusters.map((cluster) => new SnapshotDraft(cluster, scope));
    this.byName = new Map(this.drafts.map((draft) => [draft.cluster.name, draft]));
  }

  public draft(cluster: string): SnapshotDraft | undefined {
    return this.byName.get(cluster);
  }

  public page(enis = 0): void {
    this.pagesRead += 1;
    this.enisSeen += enis;
    this.options.onProgress?.({ pagesRead: this.pagesRead, enisSeen: this.enisSeen });
  }

  /** A call failed: mark `part` incomplete in the drafts it fed (all by default) and report the error. */
  public fail(part: SnapshotPart, error: AwsCallError, where: (draft: SnapshotDraft) => boolean = () => true): void {
    for (const draft of this.drafts) if (where(draft)) draft.fail(part, error);
    // One failed call can stop several parts: report it once.
    if (!this.reported.has(error)) {
      this.reported.add(error);
      this.options.onError?.(error);
    }
  }

  public notRead(parts: readonly SnapshotPart[], why?: string): void {
    for (const draft of this.drafts) draft.notRead(parts, why);
  }
}
