import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
} from "@aws-sdk/client-ec2";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendRuleKey } from "../../sim/actors/restricted-rules.ts";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../sim/index.ts";
import { eventsSince } from "../support/lambda-harness.ts";
import { awsClientsFor } from "../support/reconciler-harness.ts";
import { type ReliabilityHarness, reliabilityHarness } from "../support/reliability-harness.ts";
import { duplicatedAndShuffled, routedToQueue, sampled } from "../support/reliability-queue.ts";
import {
  buildReliabilityWorld,
  deletionsByBranchkeeper,
  eventCursor,
  type ReliabilityWorld,
} from "../support/reliability-world.ts";
import { setFaults } from "../support/sim-clients.ts";

/**
 * Random interleavings of what happens in an account (pods created and deleted, with the cool-down in
 * which a deleted pod's ENI is briefly `available`; leaks; node terminations; cluster deletion; LBC
 * reconciles) with Branchkeeper's passes (sweeps, and scoped passes for events delivered late,
 * duplicated and reordered), on a movable clock. Invariants after every step; at quiescence, the
 * account is what it should be. Few runs on small worlds: each run builds one (about a second).
 */

const GRACE = 600;
const WORKLOADS = ["web", "api", "legacy"] as const;

type Step =
  | { kind: "createPod"; workload: (typeof WORKLOADS)[number] }
  | { kind: "deletePod"; pick: number; cooldownPass: "none" | "sweep" | "events" }
  | { kind: "leakPod"; pick: number }
  | { kind: "terminateNode"; pick: number }
  | { kind: "lbcReconcile" }
  | { kind: "deleteCluster" }
  | { kind: "sweep"; advance: number }
  | { kind: "events"; share: number; seed: number }
  | { kind: "advance"; seconds: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("createPod" as const), workload: fc.constantFrom(...WORKLOADS) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("deletePod" as const),
      pick: fc.nat(),
      cooldownPass: fc.constantFrom("none" as const, "sweep" as const, "events" as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("leakPod" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("terminateNode" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("lbcReconcile" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteCluster" as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("sweep" as const), advance: fc.constantFrom(0, 301, 601) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("events" as const), share: fc.constantFrom(0.5, 1), seed: fc.nat(1000) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("advance" as const), seconds: fc.constantFrom(120, 601) }) },
);

describe("adversarial worlds: random interleavings of controllers, the LBC and Branchkeeper (fast-check, simulator)", () => {
  let sim: RunningSimulator;
  let runs = 0;
  /** What the runs exercised, so that the property cannot pass by doing nothing. */
  const exercised = { cooldownPasses: 0, deletions: 0, eventsDelivered: 0, steps: 0 };
  const built: ReliabilityWorld[] = [];
  const exists = (id: string) => sim.simulator.world.ec2.networkInterfaces.enis.has(id);
  const operatorEc2 = () => awsClientsFor(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.operator).ec2;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    for (const world of built) world.destroy();
    await sim.stop();
  });

  /** LBC-labelled rules on the world's groups, as `backendRuleKey`s. */
  const labelledRules = async (world: ReliabilityWorld): Promise<Set<string>> => {
    const groups = new Set((await world.roles()).keys());
    const rules = new Set<string>();
    let token: string | undefined;
    do {
      const page = await operatorEc2().send(
        new DescribeSecurityGroupRulesCommand({ MaxResults: 1000, NextToken: token }),
      );
      for (const r of page.SecurityGroupRules ?? []) {
        if (r.IsEgress || !groups.has(r.GroupId ?? "") || r.Description !== "elbv2.k8s.aws/targetGroupBinding=shared")
          continue;
        rules.add(`${r.GroupId}|${r.IpProtocol}|${r.FromPort}-${r.ToPort}|${r.ReferencedGroupInfo?.GroupId}`);
      }
      token = page.NextToken;
    } while (token);
    return rules;
  };

  /** One run: a world, the steps with invariants after each, then quiescence. */
  const runSteps = async (steps: readonly Step[]): Promise<void> => {
    runs += 1;
    const world = await buildReliabilityWorld(sim.endpoint, { name: `adv${runs}`, seed: 100 + runs });
    built.push(world);
    const { cluster } = world;
    const h: ReliabilityHarness = await reliabilityHarness(sim.endpoint, undefined, { simulator: sim });
    const env = { MODE: "enforce", CLUSTERS: world.name, LEAK_GRACE_SECONDS: String(GRACE) };
    const { reconciler, intake } = h.reconciler(env);
    let clusterDeleted = false;
    let cursor = await eventCursor(sim.endpoint);
    const start = cursor;
    let delayed: string[] = [];
    const violations: string[] = [];

    /** The LBC's desired rules now, as keys (none once the cluster is gone). */
    const desired = async () =>
      clusterDeleted
        ? new Set<string>()
        : new Set((await cluster.loadBalancerController.planBackendRules()).rules.map(backendRuleKey));

    const checkNothingInUseDeleted = (when: string) => {
      for (const id of [...world.liveBranches(), ...world.damage.traps, world.damage.skipTaggedLeak]) {
        if (!exists(id)) violations.push(`${when}: ${id} (live, foreign or skip-tagged) was deleted`);
      }
    };

    /** A Branchkeeper pass, checked: nothing in use deleted, no rule a current target needs revoked. */
    const branchkeeper = async (when: string, pass: () => Promise<unknown>) => {
      const before = await labelledRules(world);
      await pass();
      const after = await labelledRules(world);
      const needed = await desired();
      for (const key of before) {
        if (!after.has(key) && needed.has(key)) violations.push(`${when}: revoked ${key}, still needed`);
      }
      checkNothingInUseDeleted(when);
    };

    const deliverEvents = async (share: number, seed: number, when: string) => {
      const fresh = await eventsSince(sim.endpoint, cursor);
      cursor = fresh.cursor;
      const pending = [...delayed, ...routedToQueue(fresh.bodies)];
      const now = sampled(pending, Math.ceil(pending.length * share), seed);
      delayed = pending.filter((body) => !now.includes(body));
      await branchkeeper(when, async () => {
        for (const body of duplicatedAndShuffled(now, seed)) {
          exercised.eventsDelivered += 1;
          await intake.handle(body).catch(() => {});
        }
      });
    };

    for (const [i, step] of steps.entries()) {
      const when = `step ${i} ${JSON.stringify(step)}`;
      const pods = cluster.pods;
      switch (step.kind) {
        case "createPod": {
          if (clusterDeleted) break;
          const pod = await cluster.createPod(step.workload).catch(() => undefined);
          if (pod) await cluster.registerPods([pod]);
          break;
        }
        case "deletePod": {
          const pod = pods[step.pick % Math.max(1, pods.length)];
          if (clusterDeleted || !pod) break;
          await cluster.deregisterPods([pod]);
          await cluster.vpcResourceController.deleteBranch(pod, {
            // The cool-down: the ENI is `available` and still the pod's; Branchkeeper must leave it.
            afterDisassociate: async () => {
              if (step.cooldownPass !== "none") exercised.cooldownPasses += 1;
              if (step.cooldownPass === "sweep") await branchkeeper(`${when} cool-down`, () => reconciler.sweep());
              if (step.cooldownPass === "events") await deliverEvents(1, i, `${when} cool-down`);
              if (!exists(pod.branch.eniId)) violations.push(`${when}: deleted during the cool-down`);
            },
          });
          cluster.forgetPod(pod);
          break;
        }
        case "leakPod": {
          const pod = pods[step.pick % Math.max(1, pods.length)];
          if (clusterDeleted || !pod) break;
          await cluster.deregisterPods([pod]);
          await setFaults(sim.endpoint, {
            deny: [{ action: "ec2:DeleteNetworkInterface", accessKeyId: WELL_KNOWN_ACCESS_KEYS.vpcResourceController }],
          });
          await cluster.vpcResourceController.deleteBranch(pod).finally(() => setFaults(sim.endpoint, {}));
          cluster.forgetPod(pod);
          break;
        }
        case "terminateNode": {
          const nodes = cluster.liveNodes;
          const node = nodes[step.pick % Math.max(1, nodes.length)];
          if (clusterDeleted || !node || nodes.length < 2) break;
          await cluster.deregisterPods(cluster.podsOn(node.instanceId));
          await cluster.control.terminateNodes([node.instanceId]);
          cluster.forgetNodes([node.instanceId]);
          break;
        }
        case "lbcReconcile":
          if (!clusterDeleted) await cluster.loadBalancerController.reconcileBackendRules();
          break;
        case "deleteCluster": {
          if (clusterDeleted) break;
          for (const [key, lb] of [...cluster.loadBalancers]) {
            await world.operator.deleteLoadBalancer(lb.arn);
            cluster.forgetLoadBalancer(key);
          }
          for (const tg of ["shop/web", "shop/api", "shop/legacy"]) {
            const arn = cluster.targetGroups.get(tg)?.arn;
            if (arn) await world.operator.deleteTargetGroup(arn);
          }
          const nodes = cluster.liveNodes.map((n) => n.instanceId);
          await cluster.control.deleteNodegroup(world.name, "general", nodes);
          cluster.forgetNodes(nodes);
          await cluster.control.deleteCluster(world.name);
          clusterDeleted = true;
          break;
        }
        case "sweep":
          h.advance(step.advance);
          await branchkeeper(when, () => reconciler.sweep());
          break;
        case "events":
          await deliverEvents(step.share, step.seed, when);
          break;
        case "advance":
          h.advance(step.seconds);
          break;
      }
      checkNothingInUseDeleted(when);
      exercised.steps += 1;
    }

    // Quiescence: every event delivered, then passes well past the grace.
    await deliverEvents(1, 0, "quiescence");
    for (let pass = 0; pass < 3; pass++) {
      await branchkeeper(`quiescence sweep ${pass}`, () => reconciler.sweep());
      h.advance(GRACE + 1);
    }
    expect(violations).toEqual([]);

    // Every leak reclaimed: no owned branch ENI left but the live pods' and the skip-tagged one.
    const owned = await operatorEc2().send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "vpc-id", Values: [world.vpcId] },
          { Name: "tag:eks:eni:owner", Values: ["eks-vpc-resource-controller"] },
          { Name: "description", Values: ["aws-k8s-branch-eni"] },
        ],
      }),
    );
    const left = (owned.NetworkInterfaces ?? []).map((e) => e.NetworkInterfaceId ?? "");
    expect(left.sort()).toEqual([...world.liveBranches(), world.damage.skipTaggedLeak].sort());

    // Every multi-SG branch ENI has exactly one cluster-tagged group, or its conflict is recorded.
    const { store } = h.reconciler(env);
    const conflicts = new Set(
      (await store.listFindings(world.name, { limit: 500 })).items
        .filter((f) => f.kind === "cluster-tag-conflict")
        .map((f) => f.resourceId),
    );
    const key = `kubernetes.io/cluster/${world.name}`;
    const described = await operatorEc2().send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [world.vpcId] }] }),
    );
    const taggedGroups = new Set(
      (described.SecurityGroups ?? []).filter((g) => g.Tags?.some((t) => t.Key === key)).map((g) => g.GroupId),
    );
    let multiGroup = 0;
    for (const eni of owned.NetworkInterfaces ?? []) {
      const ids = [...new Set((eni.Groups ?? []).map((g) => g.GroupId ?? ""))];
      if (ids.length < 2 || clusterDeleted) continue;
      multiGroup += 1;
      if (ids.filter((id) => taggedGroups.has(id)).length !== 1) expect(conflicts).toContain(eni.NetworkInterfaceId);
    }
    if (!clusterDeleted) expect(multiGroup).toBeGreaterThan(0);

    // Backend rules are exactly what the bindings need (none at all once the cluster is deleted).
    expect(await labelledRules(world)).toEqual(await desired());
    const trail = await deletionsByBranchkeeper(sim.endpoint, start);
    exercised.deletions += Object.keys(trail.succeeded).length;
  };

  it("keeps every invariant along random interleavings, and converges at quiescence", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 6, maxLength: 12 }), async (steps) => {
        await runSteps(steps);
      }),
      { numRuns: 6, seed: 424242, endOnFailure: true },
    );
    expect(runs).toBe(6);
    expect(exercised.steps).toBeGreaterThan(20);
    expect(exercised.cooldownPasses).toBeGreaterThan(0);
    expect(exercised.deletions).toBeGreaterThan(6 * 2);
    expect(exercised.eventsDelivered).toBeGreaterThan(50);
  });
});
