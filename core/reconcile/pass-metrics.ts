import type { PassSummary } from "./pass-summary.ts";

/** The metric counts of one pass (published as EMF by the functions). */
export interface PassMetricCounts {
  readonly LeaksFound: number;
  readonly EnisDeleted: number;
  readonly TagsChanged: number;
  readonly RulesChanged: number;
  readonly ActionsFailed: number;
  readonly IncompleteReads: number;
  readonly PassErrors: number;
  /** Follow-ups that could not be scheduled (their leaks wait for the next sweep instead). */
  readonly FollowUpsFailed: number;
}

/** Count what a pass found and changed, for dashboards and alarms. */
export const passMetricCounts = (summary: PassSummary): PassMetricCounts => {
  let counts = { LeaksFound: 0, EnisDeleted: 0, TagsChanged: 0, RulesChanged: 0, ActionsFailed: 0, IncompleteReads: 0 };
  for (const cluster of summary.clusters) {
    const succeeded = (kind: keyof typeof cluster.actions) => cluster.actions[kind]?.succeeded ?? 0;
    const failed = Object.values(cluster.actions).reduce((n, byOutcome) => n + (byOutcome?.failed ?? 0), 0);
    counts = {
      LeaksFound: counts.LeaksFound + (cluster.transitions.leaked ?? 0),
      EnisDeleted: counts.EnisDeleted + succeeded("delete-eni"),
      TagsChanged: counts.TagsChanged + succeeded("tag-sg") + succeeded("untag-sg"),
      RulesChanged: counts.RulesChanged + succeeded("authorize-rule") + succeeded("revoke-rule"),
      ActionsFailed: counts.ActionsFailed + failed,
      // "associations" is never read by a sweep, by design: it is not a failure.
      IncompleteReads: counts.IncompleteReads + cluster.incomplete.filter((part) => part !== "associations").length,
    };
  }
  const errors = summary.errors.length + summary.clusters.reduce((n, c) => n + c.errors.length, 0);
  return { ...counts, PassErrors: errors, FollowUpsFailed: summary.followUps?.error === undefined ? 0 : 1 };
};
