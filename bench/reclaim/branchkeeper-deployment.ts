import { randomUUID } from "node:crypto";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { type AwsClients, awsClientsWith } from "../../core/aws/aws-clients.ts";
import { chunks } from "../../core/aws/chunks.ts";
import { type ComposedReconciler, composeReconciler } from "../../core/aws/compose-reconciler.ts";
import { delaySeconds } from "../../core/aws/sqs-follow-up-scheduler.ts";
import { stateTableDefinition } from "../../core/aws/state-table.ts";
import { type Config, loadConfig } from "../../core/config.ts";
import { followUpEvent, MAX_FOLLOW_UP_ENIS } from "../../core/events/follow-up-event.ts";
import { MalformedEventError } from "../../core/events/malformed-event-error.ts";
import type { CallerIdentity } from "../../core/ports/caller-identity.ts";
import type { FollowUpScheduler } from "../../core/ports/follow-up-scheduler.ts";
import { EventIntake } from "../../core/reconcile/event-intake.ts";
import type { IntakeOutcome } from "../../core/reconcile/intake-outcome.ts";
import { hasErrors } from "../../core/reconcile/pass-summary.ts";
import type { PassLog } from "../../core/reconcile/reconciler.ts";
import { DEFAULT_REGION } from "../../sim/index.ts";
import { SeededRandom } from "../../sim/scenarios/seeded-random.ts";
import { EVENTS_QUEUE } from "../../stacks/events-queue.ts";
import { type DeliveryDelays, deliveryDelay } from "./event-delivery.ts";
import type { VirtualTime } from "./virtual-time.ts";

/** Branchkeeper's own access key in the simulator (its calls appear under this role in CloudTrail). */
export const BRANCHKEEPER_ACCESS_KEY = "branchkeeper-reconciler";

export interface DeploymentOptions {
  /** Follow-ups on (the shipped behaviour) or off (sweeps and events only). */
  readonly followUps: boolean;
  /** The stack's `rate(10 minutes)`; each sweep starts up to `sweepJitterSeconds` late. */
  readonly sweepEverySeconds: number;
  readonly sweepJitterSeconds: number;
  readonly delays: DeliveryDelays;
  readonly seed: number;
  /** Extra function environment (defaults are the contract's, in enforce mode). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface DeploymentStats {
  /** Messages put on the events queue (world events the rules matched, and follow-ups). */
  messages: number;
  batches: number;
  /** Records per outcome: `reconciled`, `ignored`, `unknown`, `already-reconciled`, `retried`, `malformed`. */
  records: Record<string, number>;
  /** Passes the events function ran. */
  eventPasses: number;
  redeliveries: number;
  deadLettered: number;
  followUpMessages: number;
  followUpEnis: number;
  sweeps: number;
  sweepErrors: number;
  /** Virtual seconds messages waited past their batching window for a free invocation, in all. */
  queueWaitSeconds: number;
  warnings: number;
  /** Real time spent in invocations and sweeps, ms. */
  eventPassMs: number;
  sweepMs: number;
  /** Why records were retried (the first few). */
  retryReasons: string[];
}

interface Message {
  readonly body: string;
  readonly receives: number;
  /** Virtual ms at which it became visible on the queue. */
  readonly visibleAt: number;
}

interface Process {
  readonly composed: ComposedReconciler;
  readonly intake: EventIntake;
  busy: boolean;
}

/** Every SDK client of the functions, signed with Branchkeeper's key, 5 attempts (`createAwsClients`). */
const clientsFor = (endpoint: string): AwsClients => {
  const config = {
    endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId: BRANCHKEEPER_ACCESS_KEY, secretAccessKey: "secret" },
    retryMode: "standard",
    maxAttempts: 5,
  };
  return awsClientsWith(config);
};

/**
 * Branchkeeper as the stack deploys it, against the simulator in virtual time: the real reconciler
 * (`composeReconciler`) in enforce mode with the contract's defaults, its pass clock and mutation pacing
 * on the virtual clock. The events queue's consumer: a message is visible after its delivery delay;
 * an invocation takes up to 10 once the oldest waited the 5 s batching window (or 10 are there), at
 * most 2 at once, each its own process (composition, pacer), through `EventIntake.handle`, record by record, as
 * `functions/events.ts` does; a record it fails comes back after the visibility timeout, up to 5
 * receives. Follow-ups are messages delayed by `delaySeconds(dueAt)` (≤ 900 s), built by
 * `followUpEvent` as `SqsFollowUpScheduler` builds them. A sweep process runs on the schedule. Its EC2
 * calls are counted, and each successful DeleteNetworkInterface timed.
 */
export class BranchkeeperDeployment {
  public readonly stats: DeploymentStats = {
    messages: 0,
    batches: 0,
    records: {},
    eventPasses: 0,
    redeliveries: 0,
    deadLettered: 0,
    followUpMessages: 0,
    followUpEnis: 0,
    sweeps: 0,
    sweepErrors: 0,
    queueWaitSeconds: 0,
    warnings: 0,
    eventPassMs: 0,
    sweepMs: 0,
    retryReasons: [],
  };
  /** EC2 attempts by action (retries included). */
  public readonly ec2Calls: Record<string, number> = {};
  /** Successful DeleteNetworkInterface calls: ENI id → virtual ms. */
  public readonly deleted = new Map<string, number>();
  private readonly clients: AwsClients;
  private readonly random: SeededRandom;
  private readonly eventProcesses: Process[] = [];
  private readonly sweepProcesses: Process[] = [];
  /** Visible messages, oldest first. */
  private readonly queue: Message[] = [];
  /** When the consumer looks at the queue next (a batching window closing). */
  private wakeAt: number | undefined;
  private readonly followUpIds = new Set<string>();
  private config: Config | undefined;
  private identity: CallerIdentity | undefined;
  private readonly log: PassLog;

  public constructor(
    endpoint: string,
    private readonly time: VirtualTime,
    private readonly options: DeploymentOptions,
  ) {
    this.clients = clientsFor(endpoint);
    this.random = new SeededRandom(options.seed);
    this.instrument();
    const warn = () => {
      this.stats.warnings += 1;
    };
    this.log = { info: () => undefined, warn, error: warn };
  }

  /** Create the state table and the processes (Lambda containers). */
  public async init(tableName: string): Promise<void> {
    await this.clients.dynamodb.send(new CreateTableCommand(stateTableDefinition(tableName)));
    this.config = loadConfig({ TABLE_NAME: tableName, MODE: "enforce", ...this.options.env });
    for (let i = 0; i < EVENTS_QUEUE.concurrency; i++) this.eventProcesses.push(this.newProcess());
    this.sweepProcesses.push(this.newProcess());
    this.identity = await this.eventProcesses[0]?.composed.identity.callerIdentity();
  }

  public get graceSeconds(): number {
    return this.config?.leakGraceSeconds ?? 600;
  }

  /** An event put on the default bus that one of the stack's rules matched: on the queue after its delay. */
  public onRuleMatch(event: { readonly "detail-type"?: string }): void {
    const delay = deliveryDelay(event, this.options.delays, this.random);
    this.enqueueAt(this.time.now() + delay * 1000, JSON.stringify(event), 1);
  }

  /** The sweep schedule from `startMs` to `untilMs`. */
  public scheduleSweeps(startMs: number, untilMs: number): void {
    const every = this.options.sweepEverySeconds * 1000;
    for (let at = startMs; at < untilMs; at += every) {
      this.time.at(at + this.random.float() * this.options.sweepJitterSeconds * 1000, () => this.sweep());
    }
  }

  /**
   * From Branchkeeper's own history of each ENI: when leak evidence was first recorded (it became
   * `suspect`, or straight `leaked`) and by which kind of pass (`sweep`, `event`, `follow-up`).
   */
  public async firstEvidence(eniIds: readonly string[]): Promise<Map<string, { at: number; by: string }>> {
    const store = this.eventProcesses[0]?.composed.store;
    const found = new Map<string, { at: number; by: string }>();
    if (!store) return found;
    for (const eniId of eniIds) {
      const page = await store.listHistory(eniId, { limit: 100 });
      const first = [...page.items].reverse().find((t) => t.to === "suspect" || t.to === "leaked");
      if (!first) continue;
      const eventId = first.cause.startsWith("event:") ? first.cause.slice("event:".length) : undefined;
      const by = eventId === undefined ? "sweep" : this.followUpIds.has(eventId) ? "follow-up" : "event";
      found.set(eniId, { at: Date.parse(first.at), by });
    }
    return found;
  }

  public destroy(): void {
    for (const client of Object.values(this.clients)) (client as { destroy(): void }).destroy();
  }

  private newProcess(): Process {
    if (!this.config) throw new Error("init first");
    const composed = composeReconciler(this.config, this.clients, {
      log: this.log,
      now: () => this.time.date(),
      clock: this.time.clock,
      ...(this.options.followUps ? { followUps: this.followUpScheduler() } : {}),
    });
    const intake = new EventIntake(
      composed.reconciler,
      async () => {
        if (!this.identity) throw new Error("no caller identity yet");
        return this.identity;
      },
      this.log,
    );
    return { composed, intake, busy: false };
  }

  /** Production's `SqsFollowUpScheduler`, with the queue's delayed messages kept in virtual time. */
  private followUpScheduler(): FollowUpScheduler {
    return {
      schedule: async (followUps, now) => {
        const identity = this.identity;
        if (!identity) throw new Error("no caller identity yet");
        const address = { accountId: identity.accountId, region: identity.region ?? DEFAULT_REGION };
        for (const followUp of followUps) {
          for (const eniIds of chunks(followUp.eniIds, MAX_FOLLOW_UP_ENIS)) {
            const id = randomUUID();
            this.followUpIds.add(id);
            const event = followUpEvent({ ...followUp, eniIds }, address, id, now);
            this.stats.followUpMessages += 1;
            this.stats.followUpEnis += eniIds.length;
            this.enqueueAt(now.getTime() + delaySeconds(followUp.dueAt, now) * 1000, JSON.stringify(event), 1);
          }
        }
      },
    };
  }

  private enqueueAt(ms: number, body: string, receives: number): void {
    if (receives === 1) this.stats.messages += 1;
    this.time.at(ms, () => {
      this.queue.push({ body, receives, visibleAt: this.time.now() });
      this.poll();
    });
  }

  /**
   * The event source mapping: while an invocation is free, hand it up to 10 messages once the oldest
   * has waited the batching window (or 10 are waiting); otherwise look again when the window closes.
   */
  private poll(): void {
    const windowMs = EVENTS_QUEUE.batchWindowSeconds * 1000;
    for (const process of this.eventProcesses) {
      const oldest = this.queue[0];
      if (!oldest) return;
      if (process.busy) continue;
      const closesAt = oldest.visibleAt + windowMs;
      if (this.queue.length < EVENTS_QUEUE.batchSize && this.time.now() < closesAt) {
        if (this.wakeAt === undefined || this.wakeAt > closesAt) {
          this.wakeAt = closesAt;
          this.time.at(closesAt, () => {
            this.wakeAt = undefined;
            this.poll();
          });
        }
        return;
      }
      const batch = this.queue.splice(0, EVENTS_QUEUE.batchSize);
      for (const message of batch)
        this.stats.queueWaitSeconds += Math.max(0, this.time.now() - message.visibleAt - windowMs) / 1000;
      process.busy = true;
      this.time.spawn(async () => {
        try {
          await this.invoke(process, batch);
        } finally {
          process.busy = false;
          this.poll();
        }
      });
    }
  }

  /** One invocation of the events function: its records in turn, failed ones back after the visibility timeout. */
  private async invoke(process: Process, batch: readonly Message[]): Promise<void> {
    this.stats.batches += 1;
    const started = performance.now();
    // As functions/events.ts does: the batch's records handed in together, each answered on its own.
    const events = process.intake.batch(batch.length);
    const results: ({ ok: true; outcome: IntakeOutcome } | { ok: false; error: Error })[] = await Promise.all(
      batch.map((message) =>
        events.handle({ body: message.body, redelivered: message.receives > 1 }).then(
          (outcome) => ({ ok: true as const, outcome }),
          (error: unknown) => ({ ok: false as const, error: error as Error }),
        ),
      ),
    );
    this.stats.eventPassMs += performance.now() - started;
    const passes = new Set<string>();
    for (const [i, message] of batch.entries()) {
      const result = results[i];
      let outcome: string;
      if (result?.ok) {
        outcome = result.outcome.kind;
        if (result.outcome.kind === "reconciled") passes.add(result.outcome.summary.passId);
      } else {
        const error = result?.error;
        outcome = error instanceof MalformedEventError ? "malformed" : "retried";
        if (outcome === "retried" && this.stats.retryReasons.length < 5) {
          this.stats.retryReasons.push((error?.message ?? "no result").slice(0, 300));
        }
        const summary = (error as { summary?: { passId?: string } } | undefined)?.summary;
        if (summary?.passId) passes.add(summary.passId);
        if (message.receives >= EVENTS_QUEUE.maxReceives) {
          this.stats.deadLettered += 1;
        } else {
          this.stats.redeliveries += 1;
          this.enqueueAt(
            this.time.now() + EVENTS_QUEUE.visibilityTimeoutSeconds * 1000,
            message.body,
            message.receives + 1,
          );
        }
      }
      this.stats.records[outcome] = (this.stats.records[outcome] ?? 0) + 1;
    }
    this.stats.eventPasses += passes.size;
  }

  private async sweep(): Promise<void> {
    let process = this.sweepProcesses.find((p) => !p.busy);
    if (!process) {
      process = this.newProcess();
      this.sweepProcesses.push(process);
    }
    process.busy = true;
    const started = performance.now();
    try {
      const summary = await process.composed.reconciler.sweep();
      this.stats.sweeps += 1;
      if (hasErrors(summary)) this.stats.sweepErrors += 1;
    } finally {
      process.busy = false;
      this.stats.sweepMs += performance.now() - started;
    }
  }

  /** Count every EC2 attempt (inside the SDK's retry loop) and time each successful delete. */
  private instrument(): void {
    const stack = this.clients.ec2.middlewareStack as unknown as {
      add(
        middleware: (
          next: (args: { input: unknown }) => Promise<unknown>,
          context: { commandName?: string },
        ) => (args: { input: unknown }) => Promise<unknown>,
        options: { step: "deserialize"; priority: "high"; name: string },
      ): void;
    };
    stack.add(
      (next, context) => async (args) => {
        const action = (context.commandName ?? "Unknown").replace(/Command$/, "");
        this.ec2Calls[action] = (this.ec2Calls[action] ?? 0) + 1;
        const result = await next(args);
        if (action === "DeleteNetworkInterface") {
          const id = (args.input as { NetworkInterfaceId?: string }).NetworkInterfaceId ?? "";
          if (!this.deleted.has(id)) this.deleted.set(id, this.time.now());
        }
        return result;
      },
      { step: "deserialize", priority: "high", name: "benchEc2Recorder" },
    );
  }
}
