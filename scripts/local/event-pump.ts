import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { RuleName } from "../../stacks/event-patterns.ts";
import { EVENTS_QUEUE } from "../../stacks/events-queue.ts";
import type { RuleRouter } from "./rule-router.ts";
import { readEvents } from "./sim-control.ts";
import { type QueuedMessage, queuedMessage, receiveBatch } from "./sqs-batch.ts";

/** What the pump read, routed and delivered. */
export interface EventCounts {
  /** Events read from the default bus. */
  read: number;
  /** Events that matched at least one of Branchkeeper's rules. */
  matched: number;
  /** Events no rule matched: never delivered, as on AWS. */
  unmatched: number;
  /** Matches per rule (an event matching two rules counts for each, and is queued twice). */
  byRule: Partial<Record<RuleName, number>>;
  /** Matched events caused by Branchkeeper's own calls (the events function recognises and ignores them). */
  ownCalls: number;
  /** Invocations of the events function, each with at most {@link BATCH_SIZE} records. */
  batches: number;
  /** Records delivered, redeliveries included. */
  deliveries: number;
  /** Records the function answered in `batchItemFailures` (malformed, or a pass that did not complete). */
  batchItemFailures: number;
  /** Messages that failed {@link MAX_RECEIVES} times: the dead-letter queue's share. */
  deadLettered: number;
}

export const emptyEventCounts = (): EventCounts => ({
  read: 0,
  matched: 0,
  unmatched: 0,
  byRule: {},
  ownCalls: 0,
  batches: 0,
  deliveries: 0,
  batchItemFailures: 0,
  deadLettered: 0,
});

/** Records per invocation: the batch size of the stack's event source mapping. */
export const BATCH_SIZE = EVENTS_QUEUE.batchSize;
/** Receives before a message goes to the dead-letter queue: the stack's `maxReceiveCount`. */
export const MAX_RECEIVES = EVENTS_QUEUE.maxReceives;

export interface EventPumpOptions {
  readonly endpoint: string;
  readonly route: RuleRouter;
  /** The events function (or a stand-in). */
  readonly deliver: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** The access key whose CloudTrail events count as Branchkeeper's own calls. */
  readonly ownAccessKeyId: string;
  /** Called after each batch with the records delivered so far in this round, and the round's total. */
  readonly onBatch?: (delivered: number, total: number) => void;
  /** Records per invocation; default {@link BATCH_SIZE}, the stack's. */
  readonly batchSize?: number;
}

const accessKeyOf = (event: unknown): unknown => {
  const detail = (event as { detail?: { userIdentity?: { accessKeyId?: unknown } } } | null)?.detail;
  return detail?.userIdentity?.accessKeyId;
};

const COUNTERS = [
  "read",
  "matched",
  "unmatched",
  "ownCalls",
  "batches",
  "deliveries",
  "batchItemFailures",
  "deadLettered",
] as const satisfies readonly Exclude<keyof EventCounts, "byRule">[];

const addCounts = (total: EventCounts, part: EventCounts): void => {
  for (const key of COUNTERS) total[key] += part[key];
  for (const [rule, n] of Object.entries(part.byRule) as [RuleName, number][]) {
    total.byRule[rule] = (total.byRule[rule] ?? 0) + n;
  }
};

/**
 * The local stand-in for EventBridge rules → SQS → Lambda: reads the simulator's default bus from a
 * cursor, keeps the events the rules match, and invokes the events function with SQS-shaped batches,
 * in order. Failed records are received again on the next round, as SQS would after the visibility
 * timeout, until {@link MAX_RECEIVES}; then they count as dead-lettered.
 *
 * Batches are delivered one at a time: in one process, concurrent invocations would only share one
 * event loop with the simulator, and the progress printed stays in event order.
 */
export class EventPump {
  private cursor = "0";
  private retries: QueuedMessage[] = [];
  /** Everything since the pump started. */
  public readonly totals: EventCounts = emptyEventCounts();

  public constructor(private readonly options: EventPumpOptions) {}

  /** True while failed messages wait to be received again. */
  public get hasRetries(): boolean {
    return this.retries.length > 0;
  }

  /** One round: new events of the bus and the messages to retry. Returns this round's counts. */
  public async pump(): Promise<EventCounts> {
    const round = emptyEventCounts();
    const queue = [...this.retries, ...(await this.readNewMessages(round))];
    this.retries = [];
    const size = this.options.batchSize ?? BATCH_SIZE;
    for (let start = 0; start < queue.length; start += size) {
      await this.deliverBatch(queue.slice(start, start + size), round);
      this.options.onBatch?.(Math.min(start + size, queue.length), queue.length);
    }
    addCounts(this.totals, round);
    return round;
  }

  /** Pump until no failed message waits for another receive (at most {@link MAX_RECEIVES} rounds of retries). */
  public async drain(): Promise<EventCounts> {
    const drained = emptyEventCounts();
    do addCounts(drained, await this.pump());
    while (this.hasRetries);
    return drained;
  }

  private async readNewMessages(round: EventCounts): Promise<QueuedMessage[]> {
    const messages: QueuedMessage[] = [];
    for (;;) {
      const page = await readEvents(this.options.endpoint, this.cursor);
      if (page.cursor === this.cursor) return messages;
      this.cursor = page.cursor;
      for (const event of page.events) {
        round.read += 1;
        const rules = this.options.route(event);
        if (rules.length === 0) {
          round.unmatched += 1;
          continue;
        }
        round.matched += 1;
        if (accessKeyOf(event) === this.options.ownAccessKeyId) round.ownCalls += 1;
        const body = JSON.stringify(event);
        for (const rule of rules) {
          round.byRule[rule] = (round.byRule[rule] ?? 0) + 1;
          messages.push(queuedMessage(body));
        }
      }
    }
  }

  private async deliverBatch(messages: readonly QueuedMessage[], round: EventCounts): Promise<void> {
    const response = await this.options.deliver(receiveBatch(messages));
    round.batches += 1;
    round.deliveries += messages.length;
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    round.batchItemFailures += failed.size;
    for (const message of messages) {
      if (!failed.has(message.messageId)) continue;
      if (message.receives >= MAX_RECEIVES) round.deadLettered += 1;
      else this.retries.push(message);
    }
  }
}
