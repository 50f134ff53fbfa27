import type { Config } from "../config.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import { type PassLog, Reconciler } from "../reconcile/reconciler.ts";
import { type AwsAdapters, createAwsAdapters } from "./aws-adapters.ts";
import type { AwsClients } from "./aws-clients.ts";
import { DynamoDbStateStore } from "./dynamodb-state-store.ts";

export interface ComposedReconciler extends AwsAdapters {
  readonly store: DynamoDbStateStore;
  readonly reconciler: Reconciler;
}

export interface ComposeOptions {
  readonly log: PassLog;
  /** The pass clock (grace and timestamps); tests move it to age evidence. */
  readonly now?: () => Date;
  /** Pacing and backoff time. */
  readonly clock?: Clock;
}

/**
 * The composition root: every adapter built once from the configuration and the SDK clients, and
 * the reconciler wired to them. Lambda handlers, the CLI and the local runner all start here.
 */
export const composeReconciler = (config: Config, clients: AwsClients, options: ComposeOptions): ComposedReconciler => {
  const clock = options.clock ?? systemClock;
  const adapters = createAwsAdapters(config, clients, clock);
  const store = new DynamoDbStateStore({ client: clients.dynamodb, tableName: config.tableName, clock });
  const reconciler = new Reconciler({
    config,
    observer: adapters.observer,
    store,
    executor: adapters.executor,
    notifier: adapters.notifier,
    log: options.log,
    ...(options.now ? { now: options.now } : {}),
  });
  return { ...adapters, store, reconciler };
};
