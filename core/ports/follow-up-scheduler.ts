/**
 * A later look at leaked ENIs whose grace has not elapsed yet. Without it, a leak found by an event
 * waits for the next sweep after its grace (up to grace + the sweep interval); with it, it is
 * reclaimed shortly after the grace.
 */
export interface FollowUp {
  readonly cluster: string;
  /** The branch ENIs to look at again. */
  readonly eniIds: readonly string[];
  /** ISO time when the last of them leaves its grace. */
  readonly dueAt: string;
}

/** Schedules follow-ups (production: a delayed message on the events queue). */
export interface FollowUpScheduler {
  /** @throws when the follow-ups could not be scheduled; the sweep remains the backstop. */
  schedule(followUps: readonly FollowUp[], now: Date): Promise<void>;
}
