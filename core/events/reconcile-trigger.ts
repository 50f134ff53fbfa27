import type { SnapshotScope } from "../model/cluster-snapshot.ts";

/** What one event asks Branchkeeper to look at again. */
export interface ReconcileTrigger {
  /** EventBridge event id: repeats within a batch share a pass; the `cause` recorded on transitions. */
  readonly eventId: string;
  readonly eventTime: string;
  /** The clusters concerned, when the event names them; absent = every configured cluster. */
  readonly clusters?: readonly string[];
  /** What to observe: one or more scoped views, or a full view. */
  readonly scopes: readonly SnapshotScope[];
  /** One sentence: why this event matters. */
  readonly reason: string;
  /** A follow-up Branchkeeper scheduled itself: ENIs still within their grace get another one. */
  readonly followUp?: boolean;
}

/** How an event was understood. Malformed events are not an interpretation: they raise. */
export type EventInterpretation =
  | { readonly kind: "trigger"; readonly trigger: ReconcileTrigger }
  /** Understood, and nothing to do (Branchkeeper's own call, a failed call, an irrelevant state). */
  | { readonly kind: "ignored"; readonly eventId: string; readonly reason: string }
  /** A source or detail-type Branchkeeper does not handle: acknowledged and counted. */
  | { readonly kind: "unknown"; readonly eventId: string; readonly reason: string };
