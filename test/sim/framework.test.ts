import { CreateTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { setFaults, simClients, simControl } from "../support/sim-clients.ts";

describe("simulator framework", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.stop());

  it("answers an action EC2 does not have with InvalidAction in EC2's error envelope, not a crash", async () => {
    const response = await fetch(sim.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDTESTS/20261121/us-east-1/ec2/aws4_request, Signature=x",
      },
      body: "Action=FrobnicateWidgets&Version=2016-11-15",
    });

    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain("<Response><Errors><Error><Code>InvalidAction</Code>");
    expect(body).toMatch(/<RequestID>[0-9a-f-]{36}<\/RequestID>/);
  });

  it("serves DynamoDB through the embedded dynalite and counts the calls per action", async () => {
    const { dynamodb } = simClients(sim.endpoint);
    await simControl(sim.endpoint, "/_sim/stats", { method: "DELETE" });

    await dynamodb.send(
      new CreateTableCommand({
        TableName: "table-1",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const tables = await dynamodb.send(new ListTablesCommand({}));

    expect(tables.TableNames).toEqual(["table-1"]);
    const stats = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    expect(stats.calls).toEqual({ "dynamodb:CreateTable": 1, "dynamodb:ListTables": 1 });
  });

  it("injects DynamoDB errors the SDK raises as the named exception", async () => {
    const { dynamodb } = simClients(sim.endpoint);
    await setFaults(sim.endpoint, { errors: [{ action: "dynamodb:ListTables", rate: 1 }] });

    const error = await dynamodb.send(new ListTablesCommand({})).catch((e) => e);

    expect(error.name).toBe("InternalServerError");
    await setFaults(sim.endpoint, {});
  });

  it("rejects a malformed fault configuration with 400", async () => {
    const response = await fetch(`${sim.endpoint}/_sim/faults`, {
      method: "POST",
      body: JSON.stringify({ errors: [{ action: "ec2:*", rate: 2 }] }),
    });

    expect(response.status).toBe(400);
  });
});
