import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { Config } from "../config.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import { disabledNotifier, NOTIFICATION_SOURCE, type Notification, type Notifier } from "../ports/notifier.ts";
import { AwsCallError, classifyError } from "./sdk-errors.ts";

/** PutEvents takes at most 10 entries a call, of at most 256 KiB together. */
export const PUT_EVENTS_ENTRIES_MAX = 10;
export const PUT_EVENTS_BYTES_MAX = 256 * 1024;

/** An entry's size as EventBridge counts it: Source, DetailType, Detail, Resources, and 14 bytes for Time. */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time ? 14 : 0) +
  [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])].reduce(
    (sum, text) => sum + Buffer.byteLength(text ?? "", "utf8"),
    0,
  );

/** Per-entry error codes worth another attempt; anything else (malformed, not authorized) will fail again. */
const RETRYABLE_ENTRY_CODES = new Set(["InternalFailure", "ThrottlingException", "ServiceUnavailable"]);

/** One notification that could not be delivered. */
export interface UndeliveredNotification {
  readonly notification: Notification;
  readonly code: string;
  readonly message: string;
}

/** Some notifications were not delivered after every attempt. */
export class NotificationError extends Error {
  public constructor(
    public readonly undelivered: readonly UndeliveredNotification[],
    options?: ErrorOptions,
  ) {
    const codes = [...new Set(undelivered.map((u) => u.code))].join(", ");
    super(`${undelivered.length} notification(s) not delivered: ${codes}`, options);
    this.name = "NotificationError";
  }
}

export interface EventBridgeNotifierOptions {
  readonly clock?: Clock;
  /** Attempts per entry, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** Wait before the second attempt, doubled for each later one. Default 200 ms. */
  readonly baseDelayMs?: number;
}

interface Pending {
  readonly notification: Notification;
  readonly entry: PutEventsRequestEntry;
}

/**
 * Notifications on an EventBridge bus: PutEvents in calls of at most 10 entries and 256 KiB. Only the entries
 * that failed with a retryable code are sent again (bounded attempts, exponential backoff); a call
 * that fails as a whole is retried the same way when its error is retryable. Whatever is still
 * undelivered in the end is thrown as one `NotificationError`.
 */
export class EventBridgeNotifier implements Notifier {
  public readonly enabled = true;
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;

  public constructor(
    private readonly events: EventBridgeClient,
    private readonly busName: string,
    options: EventBridgeNotifierOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.baseDelayMs = options.baseDelayMs ?? 200;
  }

  public async notify(notifications: readonly Notification[]): Promise<void> {
    const undelivered: UndeliveredNotification[] = [];
    let lastError: AwsCallError | undefined;
    for (const batch of batches(
      notifications.map((notification) => ({ notification, entry: this.entryOf(notification) })),
    )) {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const retry: Pending[] = [];
        const final = attempt >= this.maxAttempts;
        try {
          const answer = await this.events.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
          // Result entries are in request order; an entry with an ErrorCode failed.
          pending.forEach((p, i) => {
            const result = answer.Entries?.[i];
            const code = result === undefined ? "MissingResult" : result.ErrorCode;
            if (code === undefined) return;
            if (!final && RETRYABLE_ENTRY_CODES.has(code)) retry.push(p);
            else undelivered.push({ notification: p.notification, code, message: result?.ErrorMessage ?? "" });
          });
        } catch (error) {
          lastError = new AwsCallError("PutEvents", error);
          if (!final && classifyError(error).retryable) retry.push(...pending);
          else
            for (const p of pending)
              undelivered.push({ notification: p.notification, code: lastError.code, message: lastError.message });
        }
        pending = retry;
        if (pending.length > 0) await this.clock.sleep(this.baseDelayMs * 2 ** (attempt - 1));
      }
    }
    if (undelivered.length > 0) throw new NotificationError(undelivered, lastError ? { cause: lastError } : undefined);
  }

  private entryOf(notification: Notification): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: NOTIFICATION_SOURCE,
      DetailType: notification.type,
      Detail: JSON.stringify(notification.detail),
      ...(notification.resources ? { Resources: [...notification.resources] } : {}),
      ...(notification.time ? { Time: notification.time } : {}),
    };
  }
}

/** Consecutive runs of entries within PutEvents' count and size limits (an oversized entry goes alone, and fails alone). */
const batches = (entries: readonly Pending[]): Pending[][] => {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const pending of entries) {
    const size = entrySize(pending.entry);
    if (current.length > 0 && (current.length >= PUT_EVENTS_ENTRIES_MAX || bytes + size > PUT_EVENTS_BYTES_MAX)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(pending);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
};

/** The notifier the configuration asks for: EventBridge when `NOTIFY_BUS_NAME` is set, none otherwise. */
export const notifierFor = (
  config: Pick<Config, "notifyBusName">,
  events: EventBridgeClient,
  options?: EventBridgeNotifierOptions,
): Notifier =>
  config.notifyBusName ? new EventBridgeNotifier(events, config.notifyBusName, options) : disabledNotifier;
