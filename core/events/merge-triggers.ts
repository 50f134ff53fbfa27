import { mergeScopes } from "./merge-scopes.ts";
import type { ReconcileTrigger } from "./reconcile-trigger.ts";

/** Reasons a merged trigger lists: this many, then how many more. */
const LISTED_REASONS = 3;

/** One pass standing for several events: the merged trigger, and the ids of the events it answers. */
export interface TriggerGroup {
  readonly trigger: ReconcileTrigger;
  /** Every event the pass stands for, the trigger's own `eventId` first. */
  readonly eventIds: readonly string[];
}

/**
 * Triggers that may share a pass: the same follow-up flag, and the same clusters (every configured
 * one, or the same named ones). JSON, so no cluster name can make two sets look alike.
 */
const groupKey = (trigger: ReconcileTrigger): string =>
  JSON.stringify([
    trigger.followUp === true,
    trigger.clusters === undefined ? null : [...new Set(trigger.clusters)].sort(),
  ]);

const mergedReason = (triggers: readonly ReconcileTrigger[]): string => {
  const shown = triggers.slice(0, LISTED_REASONS).map((t) => t.reason);
  const more = triggers.length - shown.length;
  return `${triggers.length} events: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
};

const mergeGroup = ([first, ...rest]: readonly [ReconcileTrigger, ...ReconcileTrigger[]]): TriggerGroup => {
  if (rest.length === 0) return { trigger: first, eventIds: [first.eventId] };
  const triggers = [first, ...rest];
  // Named after its first event: that id is the pass id and the cause recorded on what the pass changes.
  const trigger: ReconcileTrigger = {
    ...first,
    scopes: mergeScopes(triggers.flatMap((t) => t.scopes)),
    reason: mergedReason(triggers),
  };
  return { trigger, eventIds: triggers.map((t) => t.eventId) };
};

/**
 * The passes a batch of triggers needs: one per set of clusters (and follow-up flag), not one per event.
 *
 * Triggers share a pass when they concern the same clusters (every configured cluster, whose
 * discovery a pass may reuse; or the same named clusters, which a pass always discovers afresh, so a
 * cluster EKS cannot describe fails only the events naming it) and have the same follow-up flag (a
 * follow-up pass schedules another follow-up for every suspect it sees, an event pass only for the
 * suspects it found first). The merged trigger observes the union of their scopes (`mergeScopes`):
 * all their ENIs in one read, all their nodes in another.
 *
 * Triggers must have distinct `eventId`s (the caller drops repeats); groups come in the order of
 * their first trigger, and a group of one is that trigger unchanged.
 */
export const mergeTriggers = (triggers: readonly ReconcileTrigger[]): TriggerGroup[] => {
  const groups = new Map<string, [ReconcileTrigger, ...ReconcileTrigger[]]>();
  for (const trigger of triggers) {
    const key = groupKey(trigger);
    const group = groups.get(key);
    if (group) group.push(trigger);
    else groups.set(key, [trigger]);
  }
  return [...groups.values()].map(mergeGroup);
};
