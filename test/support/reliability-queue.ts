import { compileEventPattern } from "../../core/events/event-pattern-matcher.ts";
import { mulberry32 } from "../../sim/control/faults.ts";
import { RULE_PATTERNS } from "../../stacks/event-patterns.ts";

/** One message of a `SimulatedQueue`. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  /** How many times it was received so far (SQS's ApproximateReceiveCount). */
  receiveCount: number;
}

/**
 * SQS as the events function sees it, in one process: at-least-once, batches of `batchSize`, a
 * message whose processing failed comes back on the next receive, and after `maxReceiveCount`
 * receives it moves to the dead-letter queue (the stack's redrive policy).
 */
export class SimulatedQueue {
  public readonly deadLetters: QueuedMessage[] = [];
  public readonly acknowledged: QueuedMessage[] = [];
  private visible: QueuedMessage[] = [];
  private sent = 0;

  public constructor(
    private readonly maxReceiveCount = 5,
    private readonly batchSize = 10,
  ) {}

  public send(bodies: readonly string[]): string[] {
    const ids = bodies.map(() => `msg-${++this.sent}`);
    bodies.forEach((body, i) => {
      this.visible.push({ messageId: ids[i] ?? "", body, receiveCount: 0 });
    });
    return ids;
  }

  public get pending(): number {
    return this.visible.length;
  }

  /**
   * Receive every visible message once, in batches; `process` answers with the ids that failed
   * (`batchItemFailures`). Returns the ids that failed in this round.
   */
  public async receiveAll(process: (batch: readonly QueuedMessage[]) => Promise<readonly string[]>): Promise<string[]> {
    const round = this.visible;
    this.visible = [];
    const failedIds: string[] = [];
    for (let start = 0; start < round.length; start += this.batchSize) {
      const batch = round.slice(start, start + this.batchSize);
      for (const message of batch) message.receiveCount += 1;
      const failed = new Set(await process(batch));
      for (const message of batch) {
        if (!failed.has(message.messageId)) this.acknowledged.push(message);
        else {
          failedIds.push(message.messageId);
          if (message.receiveCount >= this.maxReceiveCount) this.deadLetters.push(message);
          else this.visible.push(message);
        }
      }
    }
    return failedIds;
  }
}

/** EventBridge's at-least-once, unordered delivery: a seeded shuffle with some events sent twice. */
export const duplicatedAndShuffled = <T>(items: readonly T[], seed: number, duplicateRate = 0.3): T[] => {
  const random = mulberry32(seed);
  const out = [...items, ...items.filter(() => random() < duplicateRate)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

const rules = Object.values(RULE_PATTERNS).map(compileEventPattern);

/** The events Branchkeeper's EventBridge rules send to its queue (the stack's patterns). */
export const routedToQueue = (bodies: readonly string[]): string[] =>
  bodies.filter((body) => {
    const event: unknown = JSON.parse(body);
    return rules.some((matches) => matches(event));
  });

/** A seeded sample of `count` items, in their original order. */
export const sampled = <T>(items: readonly T[], count: number, seed: number): T[] => {
  const random = mulberry32(seed);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, items.length)) picked.add(Math.floor(random() * items.length));
  return items.filter((_, i) => picked.has(i));
};
