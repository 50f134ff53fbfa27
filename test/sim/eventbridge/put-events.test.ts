import { CreateEventBusCommand, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { setFaults, simClients, simControl } from "../../support/sim-clients.ts";

interface EventsPage {
  events: { id: string; source: string; "detail-type": string; detail: Record<string, unknown> }[];
  cursor: string;
}

const entry = (n: number, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: "branchkeeper",
  DetailType: "Branch ENI Leaked",
  Detail: JSON.stringify({ n }),
  ...extra,
});

describe("EventBridge PutEvents", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.stop());
  afterEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
  });

  it("puts an entry on the default bus as a complete EventBridge event", async () => {
    const { events } = simClients(sim.endpoint);

    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: "branchkeeper",
            DetailType: "Branch ENI Deleted",
            Detail: JSON.stringify({ eniId: "eni-1", cluster: "c1" }),
            Resources: ["arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1"],
            Time: new Date("2026-01-02T03:04:05Z"),
          },
        ],
      }),
    );

    expect(answer.FailedEntryCount).toBe(0);
    const eventId = answer.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    const page = await simControl<EventsPage>(sim.endpoint, "/_sim/events?after=0&bus=default");
    expect(page.events).toEqual([
      {
        version: "0",
        id: eventId,
        "detail-type": "Branch ENI Deleted",
        source: "branchkeeper",
        account: DEFAULT_ACCOUNT_ID,
        time: "2026-01-02T03:04:05Z",
        region: DEFAULT_REGION,
        resources: ["arn:aws:ec2:us-east-1:123456789012:network-interface/eni-1"],
        detail: { eniId: "eni-1", cluster: "c1" },
      },
    ]);
  });

  it("routes entries to a custom bus named by name or by ARN, and only there", async () => {
    const { events } = simClients(sim.endpoint);
    const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: "notifications" }));

    await events.send(
      new PutEventsCommand({
        Entries: [entry(1, { EventBusName: "notifications" }), entry(2, { EventBusName: EventBusArn })],
      }),
    );

    const onBus = await simControl<EventsPage>(sim.endpoint, "/_sim/events?after=0&bus=notifications");
    expect(onBus.events.map((e) => e.detail)).toEqual([{ n: 1 }, { n: 2 }]);
    const onDefault = await simControl<EventsPage>(sim.endpoint, "/_sim/events?after=0&bus=default");
    expect(onDefault.events.filter((e) => e.source === "branchkeeper")).toEqual([]);
  });

  it("reports each invalid entry in place and still puts the valid ones", async () => {
    const { events } = simClients(sim.endpoint);

    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          entry(1),
          entry(2, { Detail: "{not json" }),
          entry(3, { Source: undefined }),
          entry(4, { Source: "aws.ec2" }),
          entry(5, { Detail: "[1, 2]" }),
          entry(6),
        ],
      }),
    );

    expect(answer.FailedEntryCount).toBe(4);
    expect(answer.Entries?.map((e) => e.ErrorCode ?? "ok")).toEqual([
      "ok",
      "MalformedDetail",
      "InvalidArgument",
      "NotAuthorizedForSourceException",
      "MalformedDetail",
      "ok",
    ]);
    expect(answer.Entries?.[2]?.ErrorMessage).toContain("Source");
    const page = await simControl<EventsPage>(sim.endpoint, "/_sim/events?after=0");
    expect(page.events.map((e) => e.detail)).toEqual([{ n: 1 }, { n: 6 }]);
  });

  it("fails injected entries with InternalFailure, and retrying only those puts every event exactly once", async () => {
    const { events } = simClients(sim.endpoint);
    await setFaults(sim.endpoint, { putEventsEntryFailureRate: 0.5, seed: 7 });
    let pending = Array.from({ length: 10 }, (_, n) => entry(n));
    const seenCodes = new Set<string>();

    for (let attempt = 0; attempt < 20 && pending.length > 0; attempt++) {
      const answer = await events.send(new PutEventsCommand({ Entries: pending }));
      const results = answer.Entries ?? [];
      for (const result of results) if (result.ErrorCode) seenCodes.add(result.ErrorCode);
      pending = pending.filter((_, i) => results[i]?.ErrorCode !== undefined);
    }

    expect(seenCodes).toEqual(new Set(["InternalFailure"]));
    expect(pending).toEqual([]);
    const page = await simControl<EventsPage>(sim.endpoint, "/_sim/events?after=0");
    const numbers = page.events.map((e) => e.detail.n as number).sort((a, b) => a - b);
    expect(numbers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("rejects the whole call with more than 10 entries", async () => {
    const { events } = simClients(sim.endpoint);

    const error = await events
      .send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, n) => entry(n)) }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    const page = await simControl<EventsPage>(sim.endpoint, "/_sim/events?after=0");
    expect(page.events).toEqual([]);
  });

  it("rejects the whole call when the entries together exceed 256 KB", async () => {
    const { events } = simClients(sim.endpoint);
    const big = JSON.stringify({ pad: "x".repeat(100 * 1024) });

    const error = await events
      .send(new PutEventsCommand({ Entries: [1, 2, 3].map((n) => entry(n, { Detail: big })) }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: "ValidationException",
      message: "Total size of the entries in the request is over the limit.",
    });
  });

  it("accepts an entry for a bus that does not exist and drops it, as EventBridge does", async () => {
    const { events } = simClients(sim.endpoint);

    const answer = await events.send(new PutEventsCommand({ Entries: [entry(1, { EventBusName: "no-such-bus" })] }));

    expect(answer.FailedEntryCount).toBe(0);
    expect(answer.Entries?.[0]?.EventId).toBeDefined();
    const page = await simControl<EventsPage>(sim.endpoint, "/_sim/events?after=0&bus=*");
    expect(page.events).toEqual([]);
  });

  it("answers an injected call failure as EventBridge's InternalException", async () => {
    const { events } = simClients(sim.endpoint);
    await setFaults(sim.endpoint, { errors: [{ action: "events:PutEvents", rate: 1 }] });

    const error = await events.send(new PutEventsCommand({ Entries: [entry(1)] })).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "InternalException", $metadata: { httpStatusCode: 500 } });
  });
});
