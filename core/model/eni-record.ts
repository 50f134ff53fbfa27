import type { BranchEniState } from "./branch-eni-state.ts";
import type { LeakEvidenceKind } from "./leak-evidence.ts";

/** Leak evidence as persisted: when and in which pass it was first recorded (survives restarts). */
export interface RecordedEvidence {
  readonly kind: LeakEvidenceKind;
  readonly detail: string;
  /** ISO time the evidence was first recorded. */
  readonly firstRecordedAt: string;
  /** The pass (sweep or event) that first recorded it; the grace only counts in a later pass. */
  readonly firstPassId: string;
}

/** Branchkeeper's durable record of one branch ENI (one DynamoDB item). */
export interface EniRecord {
  readonly eniId: string;
  readonly cluster: string;
  readonly state: BranchEniState;
  /** Why it is in this state, in one sentence. */
  readonly reason: string;
  readonly stateSince: string;
  readonly trunkEniId?: string;
  readonly vlanId?: number;
  readonly instanceId?: string;
  readonly subnetId?: string;
  readonly vpcId?: string;
  readonly securityGroupIds: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly evidence?: RecordedEvidence;
  /**
   * Observation time of the newest snapshot applied. A write carrying an older observation is
   * refused, so late or reordered events never move a record backwards.
   */
  readonly observedAt: string;
  /** Incremented on every write; conditional writes compare it (optimistic concurrency). */
  readonly version: number;
}

/** One step of an ENI's history. */
export interface EniTransition {
  readonly eniId: string;
  readonly cluster: string;
  readonly at: string;
  /** Absent when the ENI is first seen. */
  readonly from?: BranchEniState;
  readonly to: BranchEniState;
  readonly reason: string;
  /** What caused it: `sweep:<id>` or `event:<EventBridge event id>`. */
  readonly cause: string;
}
