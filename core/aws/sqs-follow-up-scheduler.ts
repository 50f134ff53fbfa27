import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type FollowUpAddress, followUpEvent, MAX_FOLLOW_UP_ENIS } from "../events/follow-up-event.ts";
import type { FollowUp, FollowUpScheduler } from "../ports/follow-up-scheduler.ts";
import { chunks } from "./chunks.ts";
import { AwsCallError } from "./sdk-errors.ts";

/** SQS delays a message by at most 15 minutes; a longer grace gets another follow-up then. */
export const MAX_DELAY_SECONDS = 900;
/** SendMessageBatch takes at most 10 entries. */
const BATCH_ENTRIES_MAX = 10;

/** Some follow-ups were refused by SQS (retryable: the sweep still covers the ENIs). */
export class FollowUpNotScheduledError extends Error {
  public readonly retryable = true;

  public constructor(
    public readonly failed: readonly { readonly cluster: string; readonly code: string; readonly message: string }[],
  ) {
    super(`${failed.length} follow-up(s) not scheduled: ${[...new Set(failed.map((f) => f.code))].join(", ")}`);
    this.name = "FollowUpNotScheduledError";
  }
}

/**
 * Follow-ups as delayed messages on the events queue, each an EventBridge-shaped event
 * (`followUpEvent`), so that they take the events function's path: interpretation, merging with the batch, pass.
 * The delay is the time left to `dueAt`, at most 15 minutes.
 */
export class SqsFollowUpScheduler implements FollowUpScheduler {
  public constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly address: () => Promise<FollowUpAddress>,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  public async schedule(followUps: readonly FollowUp[], now: Date): Promise<void> {
    const address = await this.address();
    const messages = followUps.flatMap((followUp) =>
      chunks(followUp.eniIds, MAX_FOLLOW_UP_ENIS).map((eniIds) => ({
        cluster: followUp.cluster,
        DelaySeconds: delaySeconds(followUp.dueAt, now),
        MessageBody: JSON.stringify(followUpEvent({ ...followUp, eniIds }, address, this.newId(), now)),
      })),
    );
    const failed: { cluster: string; code: string; message: string }[] = [];
    for (const batch of chunks(messages, BATCH_ENTRIES_MAX)) {
      const entries: SendMessageBatchRequestEntry[] = batch.map(({ DelaySeconds, MessageBody }, i) => ({
        Id: String(i),
        DelaySeconds,
        MessageBody,
      }));
      let answer: SendMessageBatchCommandOutput;
      try {
        answer = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      } catch (error) {
        throw new AwsCallError("SendMessageBatch", error);
      }
      for (const entry of answer.Failed ?? []) {
        failed.push({
          cluster: batch[Number(entry.Id)]?.cluster ?? "unknown",
          code: entry.Code ?? "Unknown",
          message: entry.Message ?? "",
        });
      }
    }
    if (failed.length > 0) throw new FollowUpNotScheduledError(failed);
  }
}

/** Seconds from `now` to `dueAt`, within what SQS accepts. */
export const delaySeconds = (dueAt: string, now: Date): number =>
  Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000)));
