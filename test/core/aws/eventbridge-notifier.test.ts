import { EventBridgeClient, EventBridgeServiceException, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { EventBridgeNotifier, NotificationError, notifierFor } from "../../../core/aws/eventbridge-notifier.ts";
import type { Notification } from "../../../core/ports/notifier.ts";
import { FakeClock } from "./fake-clock.ts";

const eventsMock = mockClient(EventBridgeClient);

const leaked = (n: number): Notification => ({
  type: "Branch ENI Leaked",
  detail: { cluster: "alpha", eniId: `eni-${n}` },
  resources: [`eni-${n}`],
});

type Entries = { Entries: { Detail?: string }[] };

describe("EventBridgeNotifier", () => {
  let clock: FakeClock;
  let notifier: EventBridgeNotifier;

  beforeEach(() => {
    eventsMock.reset();
    clock = new FakeClock();
    notifier = new EventBridgeNotifier(new EventBridgeClient({ region: "us-east-1" }), "ops-bus", { clock });
  });

  it("puts at most 10 entries a call on the configured bus with source branchkeeper", async () => {
    // Prepare
    eventsMock.on(PutEventsCommand).callsFake((input: Entries) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `id-${i}` })),
    }));

    // Act
    await notifier.notify(Array.from({ length: 23 }, (_, i) => leaked(i)));

    // Assess
    const sizes = eventsMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 3]);
    expect(eventsMock).toHaveReceivedNthCommandWith(PutEventsCommand, 1, {
      Entries: expect.arrayContaining([
        {
          EventBusName: "ops-bus",
          Source: "branchkeeper",
          DetailType: "Branch ENI Leaked",
          Detail: JSON.stringify({ cluster: "alpha", eniId: "eni-0" }),
          Resources: ["eni-0"],
        },
      ]),
    });
  });

  it("sends again only the entries that failed with a retryable code", async () => {
    // Prepare
    eventsMock
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: "a" }, { ErrorCode: "InternalFailure", ErrorMessage: "try again" }, { EventId: "c" }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "b" }] });

    // Act
    await notifier.notify([leaked(1), leaked(2), leaked(3)]);

    // Assess
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    const retried = eventsMock.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries;
    expect(retried?.map((e) => e.Detail)).toEqual([JSON.stringify({ cluster: "alpha", eniId: "eni-2" })]);
    expect(clock.sleeps).toEqual([200]);
  });

  it("throws a typed error naming what still failed after every attempt", async () => {
    // Prepare
    eventsMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "ThrottlingException", ErrorMessage: "slow down" }],
    });

    // Act
    const error = await notifier.notify([leaked(1)]).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).undelivered).toEqual([
      { notification: leaked(1), code: "ThrottlingException", message: "slow down" },
    ]);
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 4);
    expect(clock.sleeps).toEqual([200, 400, 800]);
  });

  it("does not retry entries EventBridge rejects as malformed", async () => {
    // Prepare
    eventsMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "MalformedDetail", ErrorMessage: "bad json" }],
    });

    // Act
    const error = await notifier.notify([leaked(1)]).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(NotificationError);
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it("keeps the SDK error as cause when the whole call fails terminally", async () => {
    // Prepare
    const denied = new EventBridgeServiceException({
      name: "AccessDeniedException",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      message: "not allowed",
    });
    eventsMock.on(PutEventsCommand).rejects(denied);

    // Act
    const error = (await notifier.notify([leaked(1), leaked(2)]).catch((e: unknown) => e)) as NotificationError;

    // Assess
    expect(error.undelivered.map((u) => u.code)).toEqual(["AccessDeniedException", "AccessDeniedException"]);
    expect((error.cause as Error).cause).toBe(denied);
    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });
});

describe("notifierFor", () => {
  it("switches notifications off explicitly when no bus is configured", async () => {
    // Prepare
    eventsMock.reset();
    const client = new EventBridgeClient({ region: "us-east-1" });

    // Act
    const off = notifierFor({}, client);
    await off.notify([leaked(1)]);
    const on = notifierFor({ notifyBusName: "ops-bus" }, client);

    // Assess
    expect(off.enabled).toBe(false);
    expect(on.enabled).toBe(true);
    expect(eventsMock.calls()).toHaveLength(0);
  });
});

describe("EventBridgeNotifier batching by size", () => {
  it("starts a new call before the entries exceed 256 KiB together", async () => {
    // Prepare
    eventsMock.reset();
    eventsMock.on(PutEventsCommand).callsFake((input: Entries) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `id-${i}` })),
    }));
    const notifier = new EventBridgeNotifier(new EventBridgeClient({ region: "us-east-1" }), "ops-bus", {
      clock: new FakeClock(),
    });
    const big = (n: number): Notification => ({
      type: "Backend Rule Changed",
      detail: { cluster: "alpha", note: "x".repeat(100 * 1024), n },
    });

    // Act
    await notifier.notify([big(1), big(2), big(3), big(4)]);

    // Assess
    const sizes = eventsMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length);
    expect(sizes).toEqual([2, 2]);
  });
});
