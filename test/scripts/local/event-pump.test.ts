import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
} from "@aws-sdk/client-ec2";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventPump, MAX_RECEIVES } from "../../../scripts/local/event-pump.ts";
import { ruleRouter } from "../../../scripts/local/rule-router.ts";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";

const OWN_KEY = "branchkeeper-reconciler";

/** A stand-in for the events function: records every batch, fails the records `fail` picks. */
const recordingFunction = (fail: (body: string, receiveCount: number) => boolean = () => false) => {
  const batches: SQSEvent[] = [];
  const deliver = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    batches.push(event);
    return {
      batchItemFailures: event.Records.filter((r) => fail(r.body, Number(r.attributes.ApproximateReceiveCount))).map(
        (r) => ({ itemIdentifier: r.messageId }),
      ),
    };
  };
  return { batches, deliver };
};

const detailOf = (body: string) => (JSON.parse(body) as { detail?: { eventName?: string; sample?: string } }).detail;

describe("the local event pump (EventBridge rules → SQS → events function)", () => {
  let sim: RunningSimulator;
  let groupId: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scenario: "empty" });
    const { ec2 } = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.operator);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "pump", Description: "pump", VpcId: vpc.Vpc?.VpcId }),
    );
    groupId = group.GroupId ?? "";
  });
  afterAll(() => sim.stop());

  /** A pump past everything already on the bus, delivering to `fn`, which has recorded nothing yet. */
  const pumpFromNow = async (fn: ReturnType<typeof recordingFunction>): Promise<EventPump> => {
    const pump = new EventPump({
      endpoint: sim.endpoint,
      route: ruleRouter(),
      deliver: fn.deliver,
      ownAccessKeyId: OWN_KEY,
      batchSize: 10,
    });
    await pump.pump();
    fn.batches.length = 0;
    return pump;
  };

  const authorizePorts = async (accessKeyId: string, ports: readonly number[]) => {
    const { ec2 } = simClients(sim.endpoint, accessKeyId);
    for (const port of ports) {
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: port, ToPort: port, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
        }),
      );
    }
  };

  const portOf = (body: string): number | undefined => {
    const text = JSON.stringify(
      (JSON.parse(body) as { detail: { requestParameters?: unknown } }).detail.requestParameters,
    );
    return Number(/"fromPort":(\d+)/.exec(text)?.[1]);
  };

  it("delivers exactly the events the rules match, in order, in batches of at most the batch size", async () => {
    const fn = recordingFunction();
    const pump = await pumpFromNow(fn);
    const { events } = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.operator);
    await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: "shop.orders", DetailType: "Order Placed", Detail: JSON.stringify({ sample: "unmatched" }) },
        ],
      }),
    );
    const ports = Array.from({ length: 12 }, (_, i) => 8001 + i);
    await authorizePorts(WELL_KNOWN_ACCESS_KEYS.operator, ports);

    const round = await pump.pump();

    const bodies = fn.batches.flatMap((batch) => batch.Records.map((r) => r.body));
    expect(fn.batches.map((batch) => batch.Records.length)).toEqual([10, 2]);
    expect(bodies.map(portOf)).toEqual(ports);
    expect(bodies.some((body) => detailOf(body)?.sample === "unmatched")).toBe(false);
    expect(round).toMatchObject({ read: 13, matched: 12, unmatched: 1, byRule: { "ec2-api-call": 12 }, batches: 2 });
  });

  it("counts the events of Branchkeeper's own calls, recognised by its access key", async () => {
    const fn = recordingFunction();
    const pump = await pumpFromNow(fn);
    await authorizePorts(OWN_KEY, [9001]);
    await authorizePorts(WELL_KNOWN_ACCESS_KEYS.operator, [9002]);

    const round = await pump.pump();

    expect(round).toMatchObject({ matched: 2, ownCalls: 1 });
  });

  it("receives failed records again, as SQS would, and dead-letters them after the last receive", async () => {
    const fn = recordingFunction((body, receiveCount) => {
      const port = portOf(body);
      return port === 7002 || (port === 7001 && receiveCount < 2);
    });
    const pump = await pumpFromNow(fn);
    await authorizePorts(WELL_KNOWN_ACCESS_KEYS.operator, [7001, 7002]);

    const drained = await pump.drain();

    const receives = fn.batches.flatMap((batch) =>
      batch.Records.map((r) => `${portOf(r.body)}#${r.attributes.ApproximateReceiveCount}`),
    );
    expect(receives).toEqual(["7001#1", "7002#1", "7001#2", "7002#2", "7002#3", "7002#4", "7002#5"]);
    expect(drained).toMatchObject({ matched: 2, batchItemFailures: 1 + MAX_RECEIVES, deadLettered: 1 });
    expect(pump.hasRetries).toBe(false);
  });
});
