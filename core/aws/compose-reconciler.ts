import type { Config } from "../config.ts";
import type { FollowUpAddress } from "../events/follow-up-event.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { FollowUpScheduler } from "../ports/follow-up-scheduler.ts";
import { type PassLog, Reconciler } from "../reconcile/reconciler.ts";
import { type AwsAdapters, createAwsAdapters } from "./aws-adapters.ts";
import type { AwsClients } from "./aws-clients.ts";
import { DynamoDbStateStore } from "./dynamodb-state-store.ts";
import { SqsFollowUpScheduler } from "./sqs-follow-up-scheduler.ts";

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
  /** Where follow-ups for suspects go (the events queue); none: the next sweep reclaims them. */
  readonly followUps?: FollowUpScheduler;
}

/**
 * The composition root: every adapter built once from the configuration and the SDK clients, and
 * the reconciler wired to them. Lambda handlers, the CLI and the local runner all start here.
 */
export const composeReconciler = (config: Config, clients: AwsClients, options: ComposeOptions): ComposedReconciler => {
  const clock = options.clock ?? systemClock;
  const adapters = createAwsAdapters(config, clients, clock);
  const store = new DynamoDbStateStore({ client: clients.dynamodb, tableName: config.tableName, clock });
  const followUps = options.followUps ?? followUpsFor(config, clients, adapters);
  const reconciler = new Reconciler({
    config,
    observer: adapters.observer,
    store,
    executor: adapters.executor,
    notifier: adapters.notifier,
    log: options.log,
    ...(options.now ? { now: options.now } : {}),
    ...(followUps ? { followUps } : {}),
  });
  return { ...adapters, store, reconciler };
};

/** Follow-ups go to the events queue when one is configured (`FOLLOW_UP_QUEUE_URL`). */
const followUpsFor = (config: Config, clients: AwsClients, adapters: AwsAdapters): FollowUpScheduler | undefined => {
  const queueUrl = config.followUpQueueUrl;
  if (queueUrl === undefined) return undefined;
  // The identity provider asks STS once per process (and again after a failure).
  return new SqsFollowUpScheduler(clients.sqs, queueUrl, async (): Promise<FollowUpAddress> => {
    const identity = await adapters.identity.callerIdentity();
    return { accountId: identity.accountId, region: identity.region ?? (await clients.sqs.config.region()) };
  });
};
