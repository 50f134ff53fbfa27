import {
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../sim/index.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";
import { eventBridgeEnvelope } from "../support/event-bridge-envelope.ts";
import { eventsSince, lambdaContext, sqsBatch, useLambdaEnvironment } from "../support/lambda-harness.ts";
import { awsClientsFor, existingEnis } from "../support/reconciler-harness.ts";
import { simControl } from "../support/sim-clients.ts";

const GRACE_SECONDS = 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("functions/events.ts and functions/sweep.ts on the demo account", () => {
  let sim: RunningSimulator;
  let demo: DemoReport;
  let restore: () => void;
  let events: typeof import("../../functions/events.ts");
  let sweep: typeof import("../../functions/sweep.ts");
  let runtime: typeof import("../../functions/runtime/reconciler-runtime.ts");
  const operator = () => awsClientsFor(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.operator);
  const deliver = (bodies: readonly string[]) => events.handler(sqsBatch(bodies), lambdaContext());
  const cloudTrail = (bodies: readonly string[], eventName: string) =>
    bodies.filter((body) => (JSON.parse(body) as { detail?: { eventName?: string } }).detail?.eventName === eventName);

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scenario: "demo" });
    if (sim.scenario?.scenario !== "demo") throw new Error("the demo scenario did not build");
    demo = sim.scenario;
    restore = await useLambdaEnvironment(sim.endpoint, { MODE: "enforce", LEAK_GRACE_SECONDS: String(GRACE_SECONDS) });
    // Imported only now: the handlers read the environment (and create their logger) on import.
    runtime = await import("../../functions/runtime/reconciler-runtime.ts");
    runtime.resetReconcilerRuntime();
    events = await import("../../functions/events.ts");
    sweep = await import("../../functions/sweep.ts");
  });
  afterAll(async () => {
    restore();
    runtime.resetReconcilerRuntime();
    await sim.stop();
  });

  it("reports malformed records as batch item failures and acknowledges unknown ones", async () => {
    const unknown = JSON.stringify(
      eventBridgeEnvelope("a1b2c3d4-0000-4000-8000-000000000001", "aws.s3", "Object Created", {}),
    );
    const batch = sqsBatch(["{not json", unknown, JSON.stringify({ source: "aws.ec2" })]);

    const response = await events.handler(batch, lambdaContext());

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [batch.Records[0]?.messageId, batch.Records[2]?.messageId].sort(),
    );
  });

  it("reclaims a terminated node's branch ENIs after the grace, and never its neighbours'", async () => {
    const node = demo.clusters.alpha.nodeInstanceIds[0] as string;
    const { ec2 } = operator();
    const trunk = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "attachment.instance-id", Values: [node] },
          { Name: "description", Values: ["aws-k8s-trunk-eni"] },
        ],
      }),
    );
    const trunkId = trunk.NetworkInterfaces?.[0]?.NetworkInterfaceId as string;
    const branches = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: "tag:vpcresources.k8s.aws/trunk-eni-id", Values: [trunkId] }],
      }),
    );
    const nodeBranches = (branches.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId as string);
    const neighbours = demo.clusters.alpha.branchEniIds.filter((id) => !nodeBranches.includes(id));
    const { cursor } = await eventsSince(sim.endpoint, "0");
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [node] }));
    const termination = await eventsSince(sim.endpoint, cursor);

    const first = await deliver(termination.bodies);
    const afterEvent = await existingEnis(ec2, nodeBranches);
    await sleep(GRACE_SECONDS * 1000 + 100);
    await sweep.handler({ cluster: "alpha" }, lambdaContext("sweep"));

    expect(nodeBranches.length).toBeGreaterThan(0);
    expect(first.batchItemFailures).toEqual([]);
    expect(afterEvent).toEqual(nodeBranches);
    expect(await existingEnis(ec2, nodeBranches)).toEqual([]);
    expect(await existingEnis(ec2, neighbours)).toEqual(neighbours);
  });

  it("repairs a backend rule revoked by someone else on the event, and a redelivery of it changes nothing", async () => {
    const rule = demo.expectedBackendRules[0];
    if (!rule) throw new Error("the demo has no backend rule");
    const { ec2 } = operator();
    const { cursor } = await eventsSince(sim.endpoint, "0");
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: rule.groupId,
        IpPermissions: [
          {
            IpProtocol: rule.protocol,
            FromPort: rule.fromPort,
            ToPort: rule.toPort,
            UserIdGroupPairs: [{ GroupId: rule.sourceGroupId }],
          },
        ],
      }),
    );
    const revoked = cloudTrail((await eventsSince(sim.endpoint, cursor)).bodies, "RevokeSecurityGroupIngress");
    const hasRule = async () => {
      const rules = await ec2.send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [rule.groupId] }] }),
      );
      return (rules.SecurityGroupRules ?? []).some(
        (r) =>
          r.ReferencedGroupInfo?.GroupId === rule.sourceGroupId &&
          r.FromPort === rule.fromPort &&
          r.ToPort === rule.toPort,
      );
    };
    const revokedNow = await hasRule();

    const response = await deliver(revoked);
    const before = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    const again = await deliver(revoked);
    const after = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");

    expect(revoked).toHaveLength(1);
    expect(revokedNow).toBe(false);
    expect(response.batchItemFailures).toEqual([]);
    expect(await hasRule()).toBe(true);
    expect(again.batchItemFailures).toEqual([]);
    // A redelivery runs its pass again (passes are level-triggered): it reads, and changes nothing.
    const delta = Object.fromEntries(
      Object.entries(after.calls)
        .map(([key, n]) => [key, n - (before.calls[key] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    expect(Object.keys(delta).filter((key) => /^(ec2|elbv2):/.test(key) && !/:Describe/.test(key))).toEqual([]);
    expect(Object.keys(delta).filter((key) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(key))).toEqual([]);
  });

  it("cleans a deleted cluster's leftovers from its DeleteCluster event, so its backend SG can be deleted", async () => {
    const gamma = demo.damage.deletedCluster;
    const deleteCluster = cloudTrail((await eventsSince(sim.endpoint, "0")).bodies, "DeleteCluster");
    const { ec2 } = operator();

    const response = await deliver(deleteCluster);
    await sleep(GRACE_SECONDS * 1000 + 100);
    await sweep.handler({ cluster: "gamma" }, lambdaContext("sweep"));

    expect(deleteCluster).toHaveLength(1);
    expect(response.batchItemFailures).toEqual([]);
    const reclaimable = gamma.leakedEniIds.filter((id) => id !== demo.traps.skipTaggedEniId);
    expect(await existingEnis(ec2, reclaimable)).toEqual([]);
    await expect(
      ec2.send(new DeleteSecurityGroupCommand({ GroupId: gamma.backendSecurityGroupId })),
    ).resolves.toBeDefined();
  });
});
