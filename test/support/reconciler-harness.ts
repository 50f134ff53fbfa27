import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { type AwsClients, awsClientsWith } from "../../core/aws/aws-clients.ts";
import { type ComposedReconciler, composeReconciler } from "../../core/aws/compose-reconciler.ts";
import { stateTableDefinition } from "../../core/aws/state-table.ts";
import { loadConfig } from "../../core/config.ts";
import type { FollowUpScheduler } from "../../core/ports/follow-up-scheduler.ts";
import type { PassLog } from "../../core/reconcile/reconciler.ts";
import { DEFAULT_REGION, type RunningSimulator, startSimulator } from "../../sim/index.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";

/** Branchkeeper's own access key in the simulator: its calls show up under this role in CloudTrail. */
export const BRANCHKEEPER_KEY = "branchkeeper-reconciler";

/** Every SDK client the way the composition root makes them, pointed at the simulator. */
export const awsClientsFor = (endpoint: string, accessKeyId = BRANCHKEEPER_KEY): AwsClients => {
  const config = {
    endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId, secretAccessKey: "secret" },
    retryMode: "standard",
    maxAttempts: 3,
  };
  return awsClientsWith(config);
};

/** A log that keeps what it is told, for assertions. */
export const recordingLog = (): PassLog & { readonly lines: { level: string; message: string }[] } => {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: "info", message }),
    warn: (message) => lines.push({ level: "warn", message }),
    error: (message) => lines.push({ level: "error", message }),
  };
};

export interface Harness {
  readonly sim: RunningSimulator;
  readonly demo: DemoReport;
  readonly clients: AwsClients;
  readonly tableName: string;
  /** Build a reconciler (a fresh process, in effect) on the same table and pass clock. */
  compose(env?: Record<string, string>, options?: { readonly followUps?: FollowUpScheduler }): ComposedReconciler;
  /** Move the pass clock forward. */
  advance(seconds: number): void;
  /** ENI ids among `ids` that EC2 still knows. */
  existingEnis(ids: readonly string[]): Promise<string[]>;
  /** Ingress rules with the LBC's description, as `groupId|protocol|from-to|source`. */
  backendRules(): Promise<Set<string>>;
  stop(): Promise<void>;
}

/** ENI ids among `ids` that EC2 still knows, in the order given. */
export const existingEnis = async (ec2: EC2Client, ids: readonly string[]): Promise<string[]> => {
  const found: string[] = [];
  for (const id of ids) {
    const answer = await ec2
      .send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))
      .catch((error: Error) =>
        error.name === "InvalidNetworkInterfaceID.NotFound" ? undefined : Promise.reject(error),
      );
    if (answer?.NetworkInterfaces?.length) found.push(id);
  }
  return found;
};

let tables = 0;

/** The demo account on a fresh simulator, a fresh state table, and a reconciler factory. */
export const startHarness = async (): Promise<Harness> => {
  const sim = await startSimulator({ port: 0, scenario: "demo" });
  if (sim.scenario?.scenario !== "demo") throw new Error("the demo scenario did not build");
  const demo = sim.scenario;
  const clients = awsClientsFor(sim.endpoint);
  tables += 1;
  const tableName = `branchkeeper-test-${tables}`;
  await clients.dynamodb.send(new CreateTableCommand(stateTableDefinition(tableName)));
  let now = Date.now();
  return {
    sim,
    demo,
    clients,
    tableName,
    compose: (env = {}, options = {}) =>
      composeReconciler(loadConfig({ TABLE_NAME: tableName, EC2_MUTATIONS_PER_SECOND: "200", ...env }), clients, {
        log: recordingLog(),
        now: () => new Date(now),
        ...options,
      }),
    advance: (seconds) => {
      now += seconds * 1000;
    },
    existingEnis: (ids) => existingEnis(clients.ec2, ids),
    backendRules: async () => {
      const rules = new Set<string>();
      let token: string | undefined;
      do {
        const page = await clients.ec2.send(
          new DescribeSecurityGroupRulesCommand({ MaxResults: 1000, NextToken: token }),
        );
        for (const r of page.SecurityGroupRules ?? []) {
          if (r.IsEgress || r.Description !== "elbv2.k8s.aws/targetGroupBinding=shared") continue;
          rules.add(`${r.GroupId}|${r.IpProtocol}|${r.FromPort}-${r.ToPort}|${r.ReferencedGroupInfo?.GroupId}`);
        }
        token = page.NextToken;
      } while (token);
      return rules;
    },
    stop: () => sim.stop(),
  };
};
