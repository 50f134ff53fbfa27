import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  ListEventBusesCommand,
} from "@aws-sdk/client-eventbridge";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";

const busArn = (name: string) => `arn:aws:events:us-east-1:${DEFAULT_ACCOUNT_ID}:event-bus/${name}`;

describe("EventBridge event buses", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.stop());
  afterEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
  });

  it("always has the default bus", async () => {
    const { events } = simClients(sim.endpoint);

    const described = await events.send(new DescribeEventBusCommand({}));
    const listed = await events.send(new ListEventBusesCommand({}));

    expect(described).toMatchObject({ Name: "default", Arn: busArn("default") });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(listed.EventBuses?.map((b) => b.Name)).toEqual(["default"]);
  });

  it("creates, describes and deletes a custom bus", async () => {
    const { events } = simClients(sim.endpoint);

    const created = await events.send(new CreateEventBusCommand({ Name: "ops", Description: "operator feed" }));
    const described = await events.send(new DescribeEventBusCommand({ Name: busArn("ops") }));
    await events.send(new DeleteEventBusCommand({ Name: "ops" }));
    const afterDelete = await events.send(new DescribeEventBusCommand({ Name: "ops" })).catch((e: unknown) => e);

    expect(created).toMatchObject({ EventBusArn: busArn("ops"), Description: "operator feed" });
    expect(described).toMatchObject({ Name: "ops", Arn: busArn("ops"), Description: "operator feed" });
    expect(afterDelete).toMatchObject({ name: "ResourceNotFoundException", message: "Event bus ops does not exist." });
  });

  it("refuses a second bus of the same name and any change to the default bus", async () => {
    const { events } = simClients(sim.endpoint);
    await events.send(new CreateEventBusCommand({ Name: "ops" }));

    const duplicate = await events.send(new CreateEventBusCommand({ Name: "ops" })).catch((e: unknown) => e);
    const createDefault = await events.send(new CreateEventBusCommand({ Name: "default" })).catch((e: unknown) => e);
    const deleteDefault = await events.send(new DeleteEventBusCommand({ Name: "default" })).catch((e: unknown) => e);

    expect(duplicate).toMatchObject({ name: "ResourceAlreadyExistsException" });
    expect(createDefault).toMatchObject({ name: "ResourceAlreadyExistsException" });
    expect(deleteDefault).toMatchObject({ name: "ValidationException" });
  });

  it("pages ListEventBuses by Limit and NextToken, filtered by NamePrefix", async () => {
    const { events } = simClients(sim.endpoint);
    for (const name of ["team-a", "team-b", "team-c", "other"]) {
      await events.send(new CreateEventBusCommand({ Name: name }));
    }

    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await events.send(new ListEventBusesCommand({ NamePrefix: "team-", Limit: 2, NextToken: token }));
      names.push(...(page.EventBuses ?? []).map((b) => b.Name ?? ""));
      token = page.NextToken;
      pages += 1;
    } while (token);

    expect(names).toEqual(["team-a", "team-b", "team-c"]);
    expect(pages).toBe(2);
  });

  it("records bus creation on the trail, as CloudTrail delivers management calls", async () => {
    const { events } = simClients(sim.endpoint);

    await events.send(new CreateEventBusCommand({ Name: "ops" }));

    const page = await simControl<{ events: { source: string; detail: Record<string, unknown> }[] }>(
      sim.endpoint,
      "/_sim/events?after=0",
    );
    expect(page.events).toHaveLength(1);
    expect(page.events[0]?.source).toBe("aws.events");
    expect(page.events[0]?.detail).toMatchObject({
      eventSource: "events.amazonaws.com",
      eventName: "CreateEventBus",
      requestParameters: { name: "ops" },
      responseElements: { eventBusArn: busArn("ops") },
    });
  });

  it("answers an unknown operation with UnknownOperationException, not a crash", async () => {
    const response = await fetch(sim.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.FrobnicateBus" },
      body: "{}",
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(await response.json()).toMatchObject({ __type: "UnknownOperationException" });
  });
});
