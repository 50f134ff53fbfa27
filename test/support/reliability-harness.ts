import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import type { AwsClients } from "../../core/aws/aws-clients.ts";
import { composeReconciler } from "../../core/aws/compose-reconciler.ts";
import { stateTableDefinition } from "../../core/aws/state-table.ts";
import { loadConfig } from "../../core/config.ts";
import type { ActionRecord } from "../../core/model/action-record.ts";
import type { AccountObserver } from "../../core/ports/account-observer.ts";
import type { ActionExecutor } from "../../core/ports/action-executor.ts";
import type { CallerIdentity } from "../../core/ports/caller-identity.ts";
import { type Clock, systemClock } from "../../core/ports/clock.ts";
import type { StateStore } from "../../core/ports/state-store.ts";
import { EventIntake } from "../../core/reconcile/event-intake.ts";
import { Reconciler } from "../../core/reconcile/reconciler.ts";
import type { RunningSimulator } from "../../sim/index.ts";
import { awsClientsFor, recordingLog } from "./reconciler-harness.ts";

/** Ports a test may wrap to inject a crash or a pause at a precise point of a pass. */
export interface PortWrappers {
  readonly observer?: (inner: AccountObserver) => AccountObserver;
  readonly executor?: (inner: ActionExecutor) => ActionExecutor;
  readonly store?: (inner: StateStore) => StateStore;
}

export interface ReliabilityHarness {
  readonly clients: AwsClients;
  readonly tableName: string;
  /** The clock every reconciler of this harness shares (real time plus the jumps of `advance`). */
  now(): Date;
  advance(seconds: number): void;
  /** A reconciler on the shared table and clock (a fresh process, in effect), with optional wrapped ports. */
  reconciler(
    env?: Record<string, string>,
    wrap?: PortWrappers,
  ): { reconciler: Reconciler; store: StateStore; intake: EventIntake; log: ReturnType<typeof recordingLog> };
  /** Every audit entry of a cluster (all pages). */
  audit(cluster: string): Promise<ActionRecord[]>;
}

let tables = 0;

/** A fresh state table on the simulator at `endpoint` and a factory of reconcilers sharing it. */
export const reliabilityHarness = async (
  endpoint: string,
  clients: AwsClients = awsClientsFor(endpoint),
  options: {
    /** Move this simulator's clock too (target draining, event times), so the whole world ages together. */
    readonly simulator?: RunningSimulator;
  } = {},
): Promise<ReliabilityHarness> => {
  tables += 1;
  const tableName = `branchkeeper-rel-${tables}-${crypto.randomUUID().slice(0, 6)}`;
  await clients.dynamodb.send(new CreateTableCommand(stateTableDefinition(tableName)));
  // Time flows as usual, and tests jump it forward: the pass clock and the adapters' clock (which
  // stamps observations) stay one clock, as they are in production.
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const adapterClock: Clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
  return {
    clients,
    tableName,
    now: clock,
    advance: (seconds) => {
      offset += seconds * 1000;
      options.simulator?.simulator.world.clock.advance(seconds);
    },
    reconciler: (env = {}, wrap = {}) => {
      const config = loadConfig({ TABLE_NAME: tableName, EC2_MUTATIONS_PER_SECOND: "200", ...env });
      const log = recordingLog();
      const composed = composeReconciler(config, clients, { log, now: clock, clock: adapterClock });
      const store = wrap.store ? wrap.store(composed.store) : composed.store;
      const reconciler =
        wrap.observer || wrap.executor || wrap.store
          ? new Reconciler({
              config,
              observer: wrap.observer ? wrap.observer(composed.observer) : composed.observer,
              executor: wrap.executor ? wrap.executor(composed.executor) : composed.executor,
              store,
              notifier: composed.notifier,
              log,
              now: clock,
            })
          : composed.reconciler;
      let identity: Promise<CallerIdentity> | undefined;
      const callerIdentity = () => {
        identity ??= composed.identity.callerIdentity().catch((error: unknown) => {
          identity = undefined;
          throw error;
        });
        return identity;
      };
      return { reconciler, store, log, intake: new EventIntake(reconciler, callerIdentity, log) };
    },
    audit: async (cluster) => {
      const { store } = composeReconciler(loadConfig({ TABLE_NAME: tableName }), clients, {
        log: recordingLog(),
        now: clock,
      });
      const items: ActionRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listActions({ cluster, limit: 500, ...(cursor ? { cursor } : {}) });
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      return items;
    },
  };
};

/** A promise and the function that settles it: a gate a wrapped port waits at. */
export const gate = (): { opened: Promise<void>; open: () => void } => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};
