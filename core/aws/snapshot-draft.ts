import type { ClusterSnapshot, SnapshotPart, SnapshotScope } from "../model/cluster-snapshot.ts";
import { listedIds } from "../model/listed-ids.ts";
import type {
  ClusterInfo,
  ObservedEni,
  ObservedInstance,
  ObservedLoadBalancer,
  ObservedSecurityGroup,
  ObservedTargetGroup,
  TrunkAssociation,
} from "../model/observed.ts";
import type { AwsCallError } from "./sdk-errors.ts";

/** Why a part was not read at all in a scope, as the snapshot's `incomplete` map states it. */
export const notReadReason = (scope: SnapshotScope, why?: string): string => {
  const observation =
    scope.kind === "full"
      ? "full sweep"
      : `scoped observation (${"ids" in scope ? `${scope.kind} ${listedIds(scope.ids, 3)}` : scope.kind})`;
  return `not read in a ${observation}${why ? `: ${why}` : ""}`;
};

/**
 * One cluster's snapshot while its reads are still arriving. Parts fail independently; the first
 * error of a part is the one reported.
 */
export class SnapshotDraft {
  public readonly branchEnis = new Map<string, ObservedEni>();
  public readonly trunkEnis = new Map<string, ObservedEni>();
  public readonly associations = new Map<string, TrunkAssociation>();
  public readonly instances = new Map<string, ObservedInstance>();
  public readonly securityGroups = new Map<string, ObservedSecurityGroup>();
  public readonly targetGroups: ObservedTargetGroup[] = [];
  public readonly loadBalancers = new Map<string, ObservedLoadBalancer>();
  public readonly targetEnis = new Map<string, ObservedEni>();
  public readonly lookedUpEnis = new Set<string>();
  public readonly lookedUpInstances = new Set<string>();
  public backendSecurityGroupId: string | undefined;
  private readonly incomplete = new Map<SnapshotPart, string>();

  public constructor(
    public readonly cluster: ClusterInfo,
    private readonly scope: SnapshotScope,
  ) {}

  /** Mark `part` incomplete because a call failed (the first failure is kept). */
  public fail(part: SnapshotPart, error: AwsCallError): void {
    if (!this.incomplete.has(part)) this.incomplete.set(part, error.summary);
  }

  /** Mark parts this observation deliberately did not read. */
  public notRead(parts: readonly SnapshotPart[], why?: string): void {
    for (const part of parts) if (!this.incomplete.has(part)) this.incomplete.set(part, notReadReason(this.scope, why));
  }

  public isIncomplete(part: SnapshotPart): boolean {
    return this.incomplete.has(part);
  }

  public build(observedAt: Date): ClusterSnapshot {
    return {
      cluster: this.cluster,
      observedAt,
      scope: this.scope,
      incomplete: new Map(this.incomplete),
      branchEnis: new Map(this.branchEnis),
      trunkEnis: new Map(this.trunkEnis),
      associations: new Map(this.associations),
      instances: new Map(this.instances),
      securityGroups: new Map(this.securityGroups),
      targetGroups: [...this.targetGroups],
      loadBalancers: new Map(this.loadBalancers),
      targetEnis: new Map(this.targetEnis),
      ...(this.backendSecurityGroupId !== undefined ? { backendSecurityGroupId: this.backendSecurityGroupId } : {}),
      lookedUp: { eniIds: new Set(this.lookedUpEnis), instanceIds: new Set(this.lookedUpInstances) },
    };
  }
}
