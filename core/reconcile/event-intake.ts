import type { CallerIdentity } from "../ports/caller-identity.ts";
import { EventBatch } from "./event-batch.ts";
import type { IntakeOutcome } from "./intake-outcome.ts";
import type { PassLog, Reconciler } from "./reconciler.ts";

/**
 * From EventBridge events to passes: interpret them, and reconcile what they touched. Unknown and
 * ignored events end there; a pass that did not complete fails its events (`EventPassFailedError`,
 * retryable).
 */
export class EventIntake {
  public constructor(
    private readonly reconciler: Reconciler,
    private readonly identity: () => Promise<CallerIdentity>,
    private readonly log: PassLog,
  ) {}

  /** The `size` records of one SQS batch, reconciled together (see `EventBatch`). */
  public batch(size: number): EventBatch {
    return new EventBatch(this.reconciler, this.identity, this.log, size);
  }

  /** One message body alone. @throws MalformedEventError (terminal) or EventPassFailedError (retryable). */
  public handle(body: string): Promise<IntakeOutcome> {
    return this.batch(1).handle({ body });
  }
}
