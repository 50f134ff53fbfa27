import type { Config } from "../config.ts";
import type { BranchEniState } from "../model/branch-eni-state.ts";
import { TERMINAL_STATES } from "../model/branch-eni-state.ts";
import { type ClusterSnapshot, isEniConfirmedAbsent } from "../model/cluster-snapshot.ts";
import type { EniRecord, EniTransition, RecordedEvidence } from "../model/eni-record.ts";
import type { LeakEvidence } from "../model/leak-evidence.ts";
import type { ObservedEni } from "../model/observed.ts";
import { type EniContext, eniContextFromSnapshot, isAssociatedToLiveTrunk } from "./eni-context.ts";
import { leakEvidenceIn } from "./leak-evidence.ts";

/** The pass (sweep or event) a decision belongs to. */
export interface PassInfo {
  /** The pass's clock: evidence is first recorded, and the grace measured, with it. */
  readonly now: Date;
  /** Identifies the pass; the grace only counts in a later pass than the one that first recorded evidence. */
  readonly passId: string;
  /** What caused the pass, recorded on transitions: `sweep:<id>` or `event:<EventBridge event id>`. */
  readonly cause: string;
}

/** A record to write, and the history step to append when something a person cares about changed. */
export interface EniDecision {
  readonly record: EniRecord;
  readonly transition?: EniTransition;
}

const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** Why an ENI without evidence is `associated` or `detached`. */
const restingExplanation = (context: EniContext, state: "associated" | "detached"): string => {
  if (state === "associated") {
    const vlan = context.vlanId === undefined ? "" : ` over VLAN ${context.vlanId}`;
    const instance = context.instanceId === undefined ? "" : ` of instance ${context.instanceId}`;
    return `in use, associated${vlan} to live trunk ${context.trunkEniId}${instance}`;
  }
  const { status } = context.eni;
  if (status !== "in-use") return `status is ${status}: not associated to a trunk, and no leak evidence`;
  if (context.trunkEniId === undefined) {
    return context.associationId === undefined
      ? "status is in-use with no trunk tag, and trunk associations could not be read: no leak evidence"
      : "status is in-use with no trunk tag and no trunk association: no leak evidence";
  }
  return `status is in-use but trunk ${context.trunkEniId} could not be confirmed (trunk ENIs could not be read): no leak evidence`;
};

const elapsedSeconds = (now: Date, since: string): number => Math.floor((now.getTime() - Date.parse(since)) / 1000);

interface EvidenceOutcome {
  readonly state: BranchEniState;
  readonly evidence: RecordedEvidence;
  readonly reason: string;
  /** True when the history should show this step even though the state may stay the same. */
  readonly noteworthy: boolean;
}

/** Where evidence takes a record: suspect first, leaked once the grace elapsed in a later pass. */
const followEvidence = (
  previous: EniRecord | undefined,
  evidence: LeakEvidence,
  pass: PassInfo,
  graceSeconds: number,
): EvidenceOutcome => {
  const earlier = previous?.evidence;
  if (earlier === undefined) {
    const recorded = {
      kind: evidence.kind,
      detail: evidence.detail,
      firstRecordedAt: pass.now.toISOString(),
      firstPassId: pass.passId,
    };
    const intro = previous === undefined ? "first seen with leak evidence" : "leak evidence first recorded";
    return {
      state: "suspect",
      evidence: recorded,
      reason: sentence(`${intro}: ${evidence.detail}; reclaimable after the ${graceSeconds} s grace, in a later pass`),
      noteworthy: true,
    };
  }
  // The ENI has been unused since evidence of any kind was first recorded, so the clock keeps running.
  const recorded = { ...earlier, kind: evidence.kind, detail: evidence.detail };
  const since = earlier.firstRecordedAt;
  const elapsed = elapsedSeconds(pass.now, since);
  const kindChanged = earlier.kind !== evidence.kind;
  const changeNote = kindChanged
    ? `Leak evidence changed from ${earlier.kind} to ${evidence.kind}; unused since ${since}, when evidence was first recorded. `
    : "";
  if (previous?.state === "deleting") {
    return {
      state: "deleting",
      evidence: recorded,
      reason: `${changeNote}${sentence(`deletion issued: ${evidence.detail} since ${since}; awaiting confirmation`)}`,
      noteworthy: kindChanged,
    };
  }
  const graceElapsed = elapsed >= graceSeconds;
  const laterPass = pass.passId !== earlier.firstPassId;
  if (previous?.state === "leaked" || (graceElapsed && laterPass)) {
    return {
      state: "leaked",
      evidence: recorded,
      reason: `${changeNote}${sentence(`${evidence.detail} since ${since}; grace ${graceSeconds} s elapsed (${elapsed} s)`)}`,
      noteworthy: kindChanged,
    };
  }
  const wait = graceElapsed
    ? `the ${graceSeconds} s grace elapsed, but the evidence must still hold in a later pass than ${earlier.firstPassId}`
    : `${elapsed} s of the ${graceSeconds} s grace elapsed`;
  return {
    state: "suspect",
    evidence: recorded,
    reason: `${changeNote}${sentence(`${evidence.detail} since ${since}; ${wait}`)}`,
    noteworthy: kindChanged,
  };
};

/**
 * How stale `lastSeenAt` may get before an unchanged record is rewritten. Without it every sweep
 * would rewrite every record: at 100k ENIs and a 10-minute schedule, 14M DynamoDB writes a day.
 */
export const LAST_SEEN_REFRESH_SECONDS = 3600;

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/** True when `next` says nothing `previous` does not, apart from a newer sighting. */
const unchanged = (previous: EniRecord, next: Omit<EniRecord, "version" | "stateSince" | "firstSeenAt">): boolean =>
  previous.state === next.state &&
  previous.reason === next.reason &&
  previous.trunkEniId === next.trunkEniId &&
  previous.vlanId === next.vlanId &&
  previous.instanceId === next.instanceId &&
  previous.subnetId === next.subnetId &&
  previous.evidence?.kind === next.evidence?.kind &&
  previous.evidence?.firstRecordedAt === next.evidence?.firstRecordedAt &&
  sameList(previous.securityGroupIds, next.securityGroupIds) &&
  Date.parse(next.lastSeenAt) - Date.parse(previous.lastSeenAt) < LAST_SEEN_REFRESH_SECONDS * 1000;

const write = (
  previous: EniRecord | undefined,
  next: Omit<EniRecord, "version" | "stateSince" | "firstSeenAt">,
  pass: PassInfo,
  noteworthy: boolean,
): EniDecision | undefined => {
  if (previous !== undefined && !noteworthy && unchanged(previous, next)) return undefined;
  const now = pass.now.toISOString();
  const stateChanged = previous?.state !== next.state;
  const record: EniRecord = {
    ...next,
    stateSince: stateChanged || previous === undefined ? now : previous.stateSince,
    firstSeenAt: previous?.firstSeenAt ?? next.lastSeenAt,
    version: (previous?.version ?? 0) + 1,
  };
  if (!stateChanged && !noteworthy) return { record };
  const transition: EniTransition = {
    eniId: record.eniId,
    cluster: record.cluster,
    at: now,
    ...(previous === undefined ? {} : { from: previous.state }),
    to: record.state,
    reason: record.reason,
    cause: pass.cause,
  };
  return { record, transition };
};

const disappeared = (previous: EniRecord, snapshot: ClusterSnapshot, pass: PassInfo): EniDecision | undefined => {
  // Absence from a partial read, or from a scoped one that did not ask for this ENI, proves nothing.
  if (!isEniConfirmedAbsent(snapshot, previous.eniId)) return undefined;
  const deletedByUs = previous.state === "deleting";
  return write(
    previous,
    {
      ...previous,
      state: deletedByUs ? "deleted" : "gone",
      reason: deletedByUs
        ? "No longer returned by a complete EC2 read after Branchkeeper deleted it."
        : "No longer returned by a complete EC2 read: deleted outside Branchkeeper (by the VPC resource controller or someone else).",
      observedAt: snapshot.observedAt.toISOString(),
    },
    pass,
    false,
  );
};

/**
 * Decide the next record of one branch ENI from its previous record and what a snapshot shows.
 *
 * Returns undefined when there is nothing to write: the record is terminal (`deleted`, `gone`); the
 * snapshot is not newer than the record (late, duplicated and reordered events never move a record
 * backwards, and applying the same snapshot twice changes nothing); or the ENI is absent from a read
 * that was partial or did not look at it. Evidence moves a record to `suspect`; evidence that still
 * holds `leakGraceSeconds` after it was first recorded (persisted, so restarts do not reset it), in
 * a later pass, makes it `leaked`; evidence that disappears returns it to `associated` or `detached`.
 */
export const decideEniRecord = (
  previous: EniRecord | undefined,
  observed: ObservedEni | undefined,
  snapshot: ClusterSnapshot,
  pass: PassInfo,
  config: Pick<Config, "leakGraceSeconds">,
): EniDecision | undefined => {
  if (previous !== undefined) {
    if (TERMINAL_STATES.has(previous.state)) return undefined;
    if (snapshot.observedAt.getTime() <= Date.parse(previous.observedAt)) return undefined;
  }
  if (observed === undefined) return previous === undefined ? undefined : disappeared(previous, snapshot, pass);

  const context = eniContextFromSnapshot(observed, snapshot);
  const evidence = leakEvidenceIn(context);
  const trunkEniId = context.trunkEniId ?? previous?.trunkEniId;
  const vlanId = context.vlanId ?? previous?.vlanId;
  const instanceId = context.instanceId ?? previous?.instanceId;
  const observedAt = snapshot.observedAt.toISOString();
  const common = {
    eniId: observed.eniId,
    cluster: snapshot.cluster.name,
    subnetId: observed.subnetId,
    vpcId: observed.vpcId,
    securityGroupIds: [...observed.securityGroupIds],
    lastSeenAt: observedAt,
    observedAt,
    ...(trunkEniId === undefined ? {} : { trunkEniId }),
    ...(vlanId === undefined ? {} : { vlanId }),
    ...(instanceId === undefined ? {} : { instanceId }),
  };

  if (evidence !== undefined) {
    const outcome = followEvidence(previous, evidence, pass, config.leakGraceSeconds);
    return write(
      previous,
      { ...common, state: outcome.state, reason: outcome.reason, evidence: outcome.evidence },
      pass,
      outcome.noteworthy,
    );
  }

  const state = isAssociatedToLiveTrunk(context) ? "associated" : "detached";
  const explanation = restingExplanation(context, state);
  const cleared = previous?.evidence;
  let reason = sentence(explanation);
  const firstSeen = sentence(`first seen: ${explanation}`);
  if (previous === undefined) reason = firstSeen;
  else if (cleared !== undefined) reason = sentence(`evidence cleared: ${explanation} (was: ${cleared.detail})`);
  // Still true as worded: dropping "First seen" alone would cost a write per ENI on its second sighting.
  else if (previous.reason === firstSeen) reason = firstSeen;
  return write(previous, { ...common, state, reason }, pass, cleared !== undefined);
};
