import type { Mode } from "../config.ts";
import type { ActionOutcome, ActionRecord } from "../model/action-record.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../model/branch-eni-state.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";
import type { Finding, FindingKind } from "../model/finding.ts";
import type { ClusterInfo } from "../model/observed.ts";
import type { ActionKind } from "../model/planned-action.ts";
import type { ClusterSummary, EniListItem, Page } from "../ports/state-store.ts";

/**
 * The JSON bodies of the status API (DESIGN.md "Status API"). Every field is built explicitly from the
 * model, so internal bookkeeping (versions, evidence, observation times) never leaks into the contract.
 * Every documented field is always present: unknown values are `null`, never absent.
 */

/** A listing page. `cursor` is `null` on the last page; otherwise pass it back for the next one. */
export interface ListView<T> {
  readonly items: readonly T[];
  readonly cursor: string | null;
}

export interface EniView {
  readonly eniId: string;
  readonly state: BranchEniState;
  readonly trunkEniId: string | null;
  readonly vlanId: number | null;
  readonly instanceId: string | null;
  readonly securityGroupIds: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly reason: string;
}

export interface EniDetailView extends EniView {
  readonly cluster: string;
}

export interface TransitionView {
  readonly at: string;
  /** `null` for the first sighting. */
  readonly from: BranchEniState | null;
  readonly to: BranchEniState;
  readonly reason: string;
  /** `sweep:<id>` or `event:<EventBridge event id>`. */
  readonly cause: string;
}

export interface FindingView {
  readonly kind: FindingKind;
  readonly resourceId: string;
  readonly detail: string;
  /** What was or would be done. */
  readonly action: string;
  readonly observedAt: string;
}

export interface ActionView {
  readonly at: string;
  readonly kind: ActionKind;
  readonly cluster: string;
  readonly target: string;
  readonly mode: Mode;
  readonly outcome: ActionOutcome;
  readonly reason: string;
  /** Error or suppression details; `null` when there are none. */
  readonly detail: string | null;
}

export interface ClusterView {
  readonly name: string;
  readonly status: ClusterInfo["status"];
  readonly vpcId: string | null;
  /** Every state, zero when none. */
  readonly counts: Readonly<Record<BranchEniState, number>>;
  readonly lastSweepAt: string;
}

export interface HealthView {
  readonly ok: true;
  readonly mode: Mode;
  /** `null` before the first sweep. */
  readonly lastSweepAt: string | null;
}

export const listView = <R, T>(page: Page<R>, view: (item: R) => T): ListView<T> => ({
  items: page.items.map(view),
  cursor: page.cursor ?? null,
});

export const eniView = (record: EniListItem): EniView => ({
  eniId: record.eniId,
  state: record.state,
  trunkEniId: record.trunkEniId ?? null,
  vlanId: record.vlanId ?? null,
  instanceId: record.instanceId ?? null,
  securityGroupIds: record.securityGroupIds,
  firstSeenAt: record.firstSeenAt,
  lastSeenAt: record.lastSeenAt,
  reason: record.reason,
});

export const eniDetailView = (record: EniRecord): EniDetailView => ({ ...eniView(record), cluster: record.cluster });

export const transitionView = (transition: EniTransition): TransitionView => ({
  at: transition.at,
  from: transition.from ?? null,
  to: transition.to,
  reason: transition.reason,
  cause: transition.cause,
});

export const findingView = (finding: Finding): FindingView => ({
  kind: finding.kind,
  resourceId: finding.resourceId,
  detail: finding.detail,
  action: finding.action,
  observedAt: finding.observedAt,
});

export const actionView = (action: ActionRecord): ActionView => ({
  at: action.at,
  kind: action.kind,
  cluster: action.cluster,
  target: action.target,
  mode: action.mode,
  outcome: action.outcome,
  reason: action.reason,
  detail: action.detail ?? null,
});

export const clusterView = (summary: ClusterSummary): ClusterView => ({
  name: summary.name,
  status: summary.status,
  vpcId: summary.vpcId ?? null,
  // A state the summary never counted is zero: clients can rely on all seven keys.
  counts: Object.fromEntries(BRANCH_ENI_STATES.map((state) => [state, summary.counts[state] ?? 0])) as Record<
    BranchEniState,
    number
  >,
  lastSweepAt: summary.lastSweepAt,
});
