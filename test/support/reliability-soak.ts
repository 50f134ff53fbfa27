import type { SQSBatchResponse } from "aws-lambda";
import { mulberry32 } from "../../sim/control/faults.ts";
import { DEFAULT_ACCOUNT_ID } from "../../sim/index.ts";
import { eventBridgeEnvelope } from "./event-bridge-envelope.ts";
import { lambdaContext, sqsBatch, useLambdaEnvironment } from "./lambda-harness.ts";
import { BRANCHKEEPER_KEY } from "./reconciler-harness.ts";
import type { ReliabilityWorld } from "./reliability-world.ts";

/**
 * A bounded soak of the events function: `events` EventBridge events of realistic kinds, in SQS
 * batches of 10, through `functions/events.ts` against a simulator holding `world`. Shared by the
 * suite's 2,000-event test and `bench/soak.ts` (20,000).
 */
export interface SoakOptions {
  readonly endpoint: string;
  readonly world: ReliabilityWorld;
  readonly events: number;
  readonly seed?: number;
  /** Heap samples taken over the run. Default: one per batch. */
  readonly samples?: number;
}

export interface SoakReport {
  readonly sent: number;
  readonly batches: number;
  /** Outcomes as the function counted them (its metrics), and the batch item failures it answered. */
  readonly reconciled: number;
  readonly unknown: number;
  readonly ignored: number;
  readonly malformed: number;
  readonly batchItemFailures: number;
  readonly durationMs: number;
  /** Events per second over the first and the last quarter of the batches. */
  readonly throughput: { readonly firstQuarter: number; readonly lastQuarter: number };
  /**
   * heapUsed (MB) sampled along the run, and the lowest sample of its first and last quarter: with
   * no way to force a collection, the troughs of the sawtooth are the heap after GC.
   */
  readonly heapMb: { readonly samples: number[]; readonly firstQuarterLow: number; readonly lastQuarterLow: number };
  /** The share of each kind of event sent. */
  readonly mix: Record<string, number>;
}

type Kind =
  | "create-eni"
  | "associate"
  | "delete-eni"
  | "register-targets"
  | "tags-irrelevant"
  | "own-call"
  | "instance-running"
  | "instance-terminated"
  | "unknown"
  | "malformed"
  | "duplicate";

/**
 * What reaches the queue of a busy account after the rules' filtering: mostly the resource
 * controller's pod churn, some load-balancer and tag changes, Branchkeeper's own calls, node state
 * changes, a few unknown events, rare corrupt ones, and EventBridge's occasional duplicates.
 */
const MIX: readonly (readonly [Kind, number])[] = [
  ["create-eni", 0.24],
  ["associate", 0.18],
  ["delete-eni", 0.1],
  ["register-targets", 0.05],
  ["tags-irrelevant", 0.12],
  ["own-call", 0.12],
  ["instance-running", 0.1],
  ["instance-terminated", 0.01],
  ["unknown", 0.04],
  ["malformed", 0.01],
  ["duplicate", 0.03],
];

const envelope = (id: string, source: string, detailType: string, detail: unknown) =>
  eventBridgeEnvelope(id, source, detailType, detail, new Date().toISOString().replace(/\.\d{3}Z$/, "Z"));

const cloudTrail = (
  id: string,
  source: string,
  name: string,
  role: string,
  request: unknown,
  response: unknown = null,
) =>
  envelope(id, `aws.${source.split(".")[0]}`, "AWS API Call via CloudTrail", {
    eventVersion: "1.09",
    eventSource: source,
    eventName: name,
    eventTime: new Date().toISOString(),
    eventID: id,
    userIdentity: {
      type: "AssumedRole",
      arn: `arn:aws:sts::${DEFAULT_ACCOUNT_ID}:assumed-role/${role}/${role}-session`,
      sessionContext: { sessionIssuer: { type: "Role", arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/${role}` } },
    },
    requestParameters: request,
    responseElements: response,
  });

/** The soak's events, generated from the world's real ids with a seeded random source. */
export const soakEvents = (
  world: ReliabilityWorld,
  count: number,
  seed: number,
): { bodies: string[]; mix: Record<string, number> } => {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const enis = world.liveBranches();
  const instances = world.cluster.liveNodes.map((n) => n.instanceId);
  const targetGroups = [...world.cluster.targetGroups.values()].map((tg) => tg.arn);
  const controller = "eks-vpc-resource-controller";
  const bodies: string[] = [];
  const mix: Record<string, number> = {};
  for (let n = 0; n < count; n++) {
    const roll = random();
    let cumulative = 0;
    const kind =
      MIX.find(([, share]) => {
        cumulative += share;
        return roll < cumulative;
      })?.[0] ?? "create-eni";
    mix[kind] = (mix[kind] ?? 0) + 1;
    const id = `soak-${seed}-${n}`;
    const eni = pick(enis);
    const event = (() => {
      switch (kind) {
        case "create-eni":
          return cloudTrail(
            id,
            "ec2.amazonaws.com",
            "CreateNetworkInterface",
            controller,
            {},
            {
              networkInterface: { networkInterfaceId: eni },
            },
          );
        case "associate":
          return cloudTrail(id, "ec2.amazonaws.com", "AssociateTrunkInterface", controller, { branchInterfaceId: eni });
        case "delete-eni":
          return cloudTrail(id, "ec2.amazonaws.com", "DeleteNetworkInterface", controller, {
            networkInterfaceId: `eni-${Math.floor(random() * 2 ** 52)
              .toString(16)
              .padStart(17, "0")}`,
          });
        case "register-targets":
          return cloudTrail(
            id,
            "elasticloadbalancing.amazonaws.com",
            "RegisterTargets",
            "aws-load-balancer-controller",
            {
              targetGroupArn: pick(targetGroups),
            },
          );
        case "tags-irrelevant":
          return cloudTrail(id, "ec2.amazonaws.com", "CreateTags", "karpenter", {
            resourcesSet: { items: [{ resourceId: eni }] },
            tagSet: { items: [{ key: "karpenter.sh/nodepool", value: "default" }] },
          });
        case "own-call":
          return cloudTrail(id, "ec2.amazonaws.com", "CreateTags", BRANCHKEEPER_KEY, {
            resourcesSet: { items: [{ resourceId: "sg-0123456789abcdef0" }] },
            tagSet: { items: [{ key: `kubernetes.io/cluster/${world.name}`, value: "shared" }] },
          });
        case "instance-running":
          return envelope(id, "aws.ec2", "EC2 Instance State-change Notification", {
            "instance-id": pick(instances),
            state: "running",
          });
        case "instance-terminated":
          // A node of another account-wide fleet: looked up, not one of the cluster's.
          return envelope(id, "aws.ec2", "EC2 Instance State-change Notification", {
            "instance-id": `i-${Math.floor(random() * 2 ** 52)
              .toString(16)
              .padStart(17, "0")}`,
            state: "terminated",
          });
        case "unknown":
          return envelope(id, "aws.ec2", "EC2 Spot Instance Interruption Warning", { "instance-id": pick(instances) });
        case "malformed":
          return undefined;
        case "duplicate":
          return undefined;
      }
    })();
    if (kind === "malformed") bodies.push(`{"id":"${id}","detail-type":`);
    else if (kind === "duplicate")
      bodies.push(bodies.length > 0 ? pick(bodies) : JSON.stringify(envelope(id, "aws.s3", "Object Created", {})));
    else bodies.push(JSON.stringify(event));
  }
  return { bodies, mix: Object.fromEntries(Object.entries(mix).map(([k, v]) => [k, v / count])) };
};

/** Run the soak; the environment is the Lambda's (enforce, the world's cluster), restored afterwards. */
export const runSoak = async (options: SoakOptions): Promise<SoakReport> => {
  const restore = await useLambdaEnvironment(options.endpoint, {
    MODE: "enforce",
    CLUSTERS: options.world.name,
  });
  try {
    const runtime = await import("../../functions/runtime/reconciler-runtime.ts");
    runtime.resetReconcilerRuntime();
    const observability = await import("../../functions/runtime/observability.ts");
    const events = await import("../../functions/events.ts");
    // The function's own outcome counters: its metrics (EMF is off), counted as they are added.
    const counted: Record<string, number> = {};
    const addMetric = observability.metrics.addMetric.bind(observability.metrics);
    observability.metrics.addMetric = (name, unit, value, resolution) => {
      counted[name] = (counted[name] ?? 0) + value;
      return addMetric(name, unit, value, resolution);
    };
    const { bodies, mix } = soakEvents(options.world, options.events, options.seed ?? 1);
    const batchTimes: number[] = [];
    const samples: number[] = [];
    const sampleEvery = Math.max(1, Math.floor(bodies.length / 10 / (options.samples ?? bodies.length / 10)));
    const collect = (globalThis as { gc?: () => void }).gc;
    let failures = 0;
    const started = performance.now();
    try {
      for (let start = 0, batch = 0; start < bodies.length; start += 10, batch++) {
        const t = performance.now();
        const response: SQSBatchResponse = await events.handler(
          sqsBatch(bodies.slice(start, start + 10)),
          lambdaContext(),
        );
        failures += response.batchItemFailures.length;
        batchTimes.push(performance.now() - t);
        if (batch % sampleEvery === 0) {
          collect?.();
          samples.push(process.memoryUsage().heapUsed / 2 ** 20);
        }
      }
    } finally {
      observability.metrics.addMetric = addMetric;
      runtime.resetReconcilerRuntime();
    }
    const quarter = Math.max(1, Math.floor(batchTimes.length / 4));
    const rate = (times: readonly number[]) => (times.length * 10) / (times.reduce((a, b) => a + b, 0) / 1000);
    const sampleQuarter = Math.max(1, Math.floor(samples.length / 4));
    return {
      sent: bodies.length,
      batches: batchTimes.length,
      reconciled: counted.ReconciledEvents ?? 0,
      unknown: counted.UnknownEvents ?? 0,
      ignored: counted.IgnoredEvents ?? 0,
      malformed: counted.MalformedEvents ?? 0,
      batchItemFailures: failures,
      durationMs: Math.round(performance.now() - started),
      throughput: {
        firstQuarter: Math.round(rate(batchTimes.slice(0, quarter))),
        lastQuarter: Math.round(rate(batchTimes.slice(-quarter))),
      },
      heapMb: {
        samples: samples.map((s) => Math.round(s)),
        firstQuarterLow: Math.round(Math.min(...samples.slice(0, sampleQuarter))),
        lastQuarterLow: Math.round(Math.min(...samples.slice(-sampleQuarter))),
      },
      mix,
    };
  } finally {
    restore();
  }
};
