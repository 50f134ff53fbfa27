import { interpretEvent } from "../events/interpret-event.ts";
import { mergeTriggers, type TriggerGroup } from "../events/merge-triggers.ts";
import { parseEventBody } from "../events/parse-event-body.ts";
import type { EventInterpretation, ReconcileTrigger } from "../events/reconcile-trigger.ts";
import type { CallerIdentity } from "../ports/caller-identity.ts";
import { completed } from "./event-pass-failed-error.ts";
import type { IntakeOutcome } from "./intake-outcome.ts";
import type { PassLog, Reconciler } from "./reconciler.ts";

/** One SQS record's event, as the batch needs it. */
export interface BatchRecord {
  /** The message body: one EventBridge event as JSON. */
  readonly body: string;
  /** SQS delivered it before (`ApproximateReceiveCount` > 1): its pass runs alone, not merged. */
  readonly redelivered?: boolean;
}

interface Waiting {
  readonly trigger: ReconcileTrigger;
  readonly redelivered: boolean;
  readonly resolve: (outcome: IntakeOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The events of one SQS batch, reconciled together: every record hands its event to `handle`, and
 * once all `size` records have, the triggers among them become as few passes as their clusters
 * allow (`mergeTriggers`): a node's teardown of dozens of calls costs one observation, not dozens.
 *
 * Each record still gets its own answer, so SQS retries only what failed: malformed and unknown
 * events are answered at once; the events of a pass get its outcome, or all fail
 * (`EventPassFailedError`, retryable) when it did not complete. A record SQS delivered before runs
 * in a pass of its own, so one event whose pass keeps failing cannot keep failing the events it
 * was merged with. Repeats of an event id within the batch share the first one's pass. Repeats
 * across batches run again, which is safe: a pass decides from what EC2 shows now and only writes
 * what changed.
 *
 * Every record must call `handle` exactly once, concurrently (nothing runs until all have).
 */
export class EventBatch {
  private readonly waiting: Waiting[] = [];
  private handed = 0;

  public constructor(
    private readonly reconciler: Pick<Reconciler, "handleTrigger" | "deleteBudget">,
    private readonly identity: () => Promise<CallerIdentity>,
    private readonly log: PassLog,
    private readonly size: number,
  ) {}

  /** @throws MalformedEventError (terminal) or any other error (retryable: SQS delivers the event again). */
  public async handle(record: BatchRecord): Promise<IntakeOutcome> {
    let interpretation: EventInterpretation;
    try {
      interpretation = interpretEvent(parseEventBody(record.body), await this.identity());
    } catch (error) {
      this.handIn();
      throw error;
    }
    if (interpretation.kind !== "trigger") {
      this.handIn();
      this.log.info(`event ${interpretation.kind}`, { eventId: interpretation.eventId, reason: interpretation.reason });
      return interpretation;
    }
    const { trigger } = interpretation;
    const outcome = new Promise<IntakeOutcome>((resolve, reject) => {
      this.waiting.push({ trigger, redelivered: record.redelivered === true, resolve, reject });
    });
    this.handIn();
    return outcome;
  }

  private handIn(): void {
    this.handed += 1;
    if (this.handed !== this.size) return;
    // Whatever escapes the passes fails the records still waiting (settled ones ignore it), rather than
    // leaving them to the function's timeout.
    this.reconcile().catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const { reject } of this.waiting) reject(failure);
    });
  }

  /**
   * The passes, one after another (they may touch the same clusters, and EC2's buckets are shared),
   * sharing one `MAX_DELETES_PER_RUN`: the invocation is the run.
   */
  private async reconcile(): Promise<void> {
    const first = new Map<string, Waiting[]>();
    for (const entry of this.waiting) {
      const same = first.get(entry.trigger.eventId);
      if (same) same.push(entry);
      else first.set(entry.trigger.eventId, [entry]);
    }
    const unique = [...first.values()].map(([entry]) => entry as Waiting);
    const groups: TriggerGroup[] = [
      ...mergeTriggers(unique.filter((e) => !e.redelivered).map((e) => e.trigger)),
      ...unique.filter((e) => e.redelivered).map((e) => ({ trigger: e.trigger, eventIds: [e.trigger.eventId] })),
    ];
    const budget = this.reconciler.deleteBudget();
    for (const group of groups) {
      const entries = group.eventIds.flatMap((id) => first.get(id) ?? []);
      try {
        const summary = completed(await this.reconciler.handleTrigger(group.trigger, budget));
        this.log.info("pass finished", { passId: summary.passId, events: entries.length, summary });
        for (const { trigger, resolve } of entries) {
          this.log.info("event reconciled", {
            eventId: trigger.eventId,
            reason: trigger.reason,
            passId: summary.passId,
          });
          resolve({ kind: "reconciled", eventId: trigger.eventId, reason: trigger.reason, summary });
        }
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const { reject } of entries) reject(failure);
      }
    }
  }
}
