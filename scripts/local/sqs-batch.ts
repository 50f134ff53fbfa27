import type { SQSEvent, SQSRecord } from "aws-lambda";
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from "../../sim/index.ts";

/** A message waiting in the local stand-in for the events queue. */
export interface QueuedMessage {
  readonly messageId: string;
  /** The EventBridge event, as the rule target writes it. */
  readonly body: string;
  readonly sentAt: number;
  /** Deliveries so far; SQS reports the next one as `ApproximateReceiveCount`. */
  receives: number;
}

const QUEUE_ARN = `arn:aws:sqs:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:branchkeeper-events`;

/** A new message carrying one event. */
export const queuedMessage = (body: string): QueuedMessage => ({
  messageId: crypto.randomUUID(),
  body,
  sentAt: Date.now(),
  receives: 0,
});

const record = (message: QueuedMessage, receivedAt: number): SQSRecord => ({
  messageId: message.messageId,
  receiptHandle: `${message.messageId}#${message.receives}`,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receives),
    SentTimestamp: String(message.sentAt),
    SenderId: "events.amazonaws.com",
    ApproximateFirstReceiveTimestamp: String(receivedAt),
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: QUEUE_ARN,
  awsRegion: DEFAULT_REGION,
});

/** The SQS event Lambda's event source mapping would invoke the function with; counts the receive. */
export const receiveBatch = (messages: readonly QueuedMessage[]): SQSEvent => {
  const receivedAt = Date.now();
  for (const message of messages) message.receives += 1;
  return { Records: messages.map((message) => record(message, receivedAt)) };
};
