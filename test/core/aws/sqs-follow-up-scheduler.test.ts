import { SendMessageBatchCommand, SQSClient, SQSServiceException } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { AwsCallError } from "../../../core/aws/sdk-errors.ts";
import {
  delaySeconds,
  FollowUpNotScheduledError,
  SqsFollowUpScheduler,
} from "../../../core/aws/sqs-follow-up-scheduler.ts";
import { interpretEvent } from "../../../core/events/interpret-event.ts";
import type { FollowUp } from "../../../core/ports/follow-up-scheduler.ts";
import { at, T0 } from "../../support/state-records.ts";

const sqsMock = mockClient(SQSClient);
const QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/branchkeeper-events";
const ADDRESS = { accountId: "123456789012", region: "us-east-1" };
const NOW = new Date(T0);

const followUp = (cluster: string, count: number, dueOffset = 605): FollowUp => ({
  cluster,
  eniIds: Array.from(
    { length: count },
    (_, i) => `eni-0${cluster === "alpha" ? "a" : "b"}${String(i).padStart(15, "0")}`,
  ),
  dueAt: at(dueOffset),
});

type SentEntries = { Entries: { Id: string; DelaySeconds: number; MessageBody: string }[] };

describe("SqsFollowUpScheduler", () => {
  let ids: number;
  let scheduler: SqsFollowUpScheduler;

  beforeEach(() => {
    sqsMock.reset();
    ids = 0;
    scheduler = new SqsFollowUpScheduler(
      new SQSClient({ region: "us-east-1" }),
      QUEUE,
      async () => ADDRESS,
      () => `follow-up-${++ids}`,
    );
  });

  it("sends each follow-up to the events queue, delayed until it is due, as an event the events function reads", async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    await scheduler.schedule([followUp("alpha", 2), followUp("beta", 1, 300)], NOW);

    // Assess
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    const input = sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input as unknown as SentEntries & {
      QueueUrl: string;
    };
    expect(input.QueueUrl).toBe(QUEUE);
    expect(input.Entries.map((entry) => entry.DelaySeconds)).toEqual([605, 300]);
    const self = {
      ...ADDRESS,
      arn: "arn:aws:sts::123456789012:assumed-role/r/s",
      principalArn: "arn:aws:iam::123456789012:role/r",
    };
    const triggers = input.Entries.map((entry) => interpretEvent(JSON.parse(entry.MessageBody), self));
    expect(triggers).toEqual([
      expect.objectContaining({
        kind: "trigger",
        trigger: expect.objectContaining({ eventId: "follow-up-1", clusters: ["alpha"], followUp: true }),
      }),
      expect.objectContaining({
        kind: "trigger",
        trigger: expect.objectContaining({ eventId: "follow-up-2", clusters: ["beta"], followUp: true }),
      }),
    ]);
  });

  it("sends at most 10 messages a call and splits a follow-up of more than 1,000 ENIs", async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const many = Array.from({ length: 11 }, (_, i) => followUp(`c${i}`, 1));

    await scheduler.schedule([...many, followUp("alpha", 1001)], NOW);

    const sizes = sqsMock
      .commandCalls(SendMessageBatchCommand)
      .map((call) => (call.args[0].input as unknown as SentEntries).Entries.length);
    expect(sizes).toEqual([10, 3]);
  });

  it("reports the follow-ups SQS refused, with their clusters", async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: "0", MessageId: "m", MD5OfMessageBody: "x" }],
      Failed: [{ Id: "1", Code: "KMS.AccessDeniedException", SenderFault: true, Message: "denied" }],
    });

    const scheduling = scheduler.schedule([followUp("alpha", 1), followUp("beta", 1)], NOW);

    await expect(scheduling).rejects.toBeInstanceOf(FollowUpNotScheduledError);
    await expect(scheduling).rejects.toMatchObject({
      failed: [{ cluster: "beta", code: "KMS.AccessDeniedException" }],
    });
  });

  it("raises a classified error when the call itself fails", async () => {
    sqsMock
      .on(SendMessageBatchCommand)
      .rejects(
        new SQSServiceException({ name: "RequestThrottled", $fault: "client", $metadata: {}, message: "slow down" }),
      );

    await expect(scheduler.schedule([followUp("alpha", 1)], NOW)).rejects.toBeInstanceOf(AwsCallError);
  });

  it("delays by the time left, never less than 0 or more than SQS's 15 minutes", () => {
    expect(delaySeconds(at(-10), NOW)).toBe(0);
    expect(delaySeconds(at(90.2), NOW)).toBe(91);
    expect(delaySeconds(at(3600), NOW)).toBe(900);
  });
});
