import { CreateEventBusCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventBridgeNotifier, NotificationError } from "../../../core/aws/eventbridge-notifier.ts";
import type { Notification } from "../../../core/ports/notifier.ts";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { setFaults, simClients, simControl } from "../../support/sim-clients.ts";
import { FakeClock } from "./fake-clock.ts";

const deleted = (n: number): Notification => ({
  type: "Branch ENI Deleted",
  detail: { cluster: "alpha", eniId: `eni-${n}` },
  resources: [`eni-${n}`],
});

describe("EventBridgeNotifier against the simulator", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    await simClients(sim.endpoint).events.send(new CreateEventBusCommand({ Name: "ops" }));
  });
  afterAll(async () => sim.stop());

  const eventsOn = async (bus: string) =>
    (
      await simControl<{ events: { source: string; "detail-type": string; detail: { eniId: string } }[] }>(
        sim.endpoint,
        `/_sim/events?bus=${bus}`,
      )
    ).events;

  it("delivers every notification despite per-entry failures, retrying only the failed entries", async () => {
    // Prepare
    await setFaults(sim.endpoint, { putEventsEntryFailureRate: 0.3, seed: 7 });
    const notifier = new EventBridgeNotifier(simClients(sim.endpoint).events, "ops", {
      clock: new FakeClock(),
      maxAttempts: 10,
    });

    // Act
    await notifier.notify(Array.from({ length: 25 }, (_, i) => deleted(i)));
    await setFaults(sim.endpoint, {});

    // Assess
    const events = await eventsOn("ops");
    expect(events).toHaveLength(25);
    expect(new Set(events.map((e) => e.detail.eniId)).size).toBe(25);
    expect(events.every((e) => e.source === "branchkeeper" && e["detail-type"] === "Branch ENI Deleted")).toBe(true);
  });

  it("throws a typed error when entries keep failing", async () => {
    // Prepare
    await setFaults(sim.endpoint, { putEventsEntryFailureRate: 1 });
    const notifier = new EventBridgeNotifier(simClients(sim.endpoint).events, "ops", {
      clock: new FakeClock(),
      maxAttempts: 2,
    });

    // Act
    const error = await notifier.notify([deleted(99)]).catch((e: unknown) => e);
    await setFaults(sim.endpoint, {});

    // Assess
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).undelivered[0]?.code).toBe("InternalFailure");
  });
});
