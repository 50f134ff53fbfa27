import { interpretEvent } from "../events/interpret-event.ts";
import { MalformedEventError } from "../events/malformed-event-error.ts";
import type { EventInterpretation } from "../events/reconcile-trigger.ts";
import type { CallerIdentity } from "../ports/caller-identity.ts";
import { hasErrors, type PassSummary } from "./pass-summary.ts";
import type { PassLog, Reconciler } from "./reconciler.ts";

/** A pass for an event that did not complete: retryable, so SQS delivers the event again. */
export class EventPassFailedError extends Error {
  public readonly retryable = true;
  public readonly summary: PassSummary;

  public constructor(summary: PassSummary) {
    const errors = [...summary.errors, ...summary.clusters.flatMap((c) => c.errors.map((e) => `${c.cluster}: ${e}`))];
    super(`the pass for event ${summary.cause} did not complete: ${errors.join("; ")}`);
    this.name = "EventPassFailedError";
    this.summary = summary;
  }
}

/** What became of one event. */
export type IntakeOutcome =
  | { readonly kind: "unknown" | "ignored"; readonly eventId: string; readonly reason: string }
  | { readonly kind: "reconciled"; readonly eventId: string; readonly reason: string; readonly summary: PassSummary };

/** Parse an SQS message body into the EventBridge event it carries. */
export const parseEventBody = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new MalformedEventError(`message body is not JSON: ${(error as Error).message}`, { cause: error });
  }
};

/**
 * From one EventBridge event to a pass: interpret it, and reconcile what it touched. Unknown and
 * ignored events end here; a pass that did not complete raises `EventPassFailedError` (retryable).
 */
export class EventIntake {
  public constructor(
    private readonly reconciler: Reconciler,
    private readonly identity: () => Promise<CallerIdentity>,
    private readonly log: PassLog,
  ) {}

  /** @throws MalformedEventError (terminal) or EventPassFailedError (retryable). */
  public async handle(event: unknown): Promise<IntakeOutcome> {
    const interpretation: EventInterpretation = interpretEvent(event, await this.identity());
    if (interpretation.kind !== "trigger") {
      this.log.info(`event ${interpretation.kind}`, { eventId: interpretation.eventId, reason: interpretation.reason });
      return interpretation;
    }
    const { trigger } = interpretation;
    const summary = await this.reconciler.handleTrigger(trigger);
    if (hasErrors(summary)) throw new EventPassFailedError(summary);
    this.log.info("event reconciled", { eventId: trigger.eventId, reason: trigger.reason, summary });
    return { kind: "reconciled", eventId: trigger.eventId, reason: trigger.reason, summary };
  }
}
