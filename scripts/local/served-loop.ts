import { setTimeout as sleep } from "node:timers/promises";
import type { PassSummary } from "../../core/reconcile/pass-summary.ts";
import type { EventCounts, EventPump } from "./event-pump.ts";

/** How often the simulator's bus is read: about as soon as a rule would have queued the event. */
export const POLL_INTERVAL_MS = 1_000;

export interface ServedLoopOptions {
  readonly pump: EventPump;
  readonly sweep: () => Promise<PassSummary>;
  readonly sweepEverySeconds: number;
  /** A round that read events. */
  readonly onEvents: (round: EventCounts) => void;
  readonly onSweep: (summary: PassSummary, durationMs: number) => void;
  /** A round that failed; the loop goes on (the next round retries, as Lambda would). */
  readonly onError: (error: unknown) => void;
}

/** The running loop. */
export interface ServedLoop {
  /** Finish the round in progress (a sweep completes its pass), then stop. */
  stop(): Promise<void>;
}

/**
 * While serving: pump new events every second and sweep every `sweepEverySeconds`, one thing at a time,
 * so a pass never overlaps another in this one process and the output stays in order. (On AWS they may
 * overlap; the sweep leases and the conditional writes of the store keep that safe.)
 */
export const startServedLoop = (options: ServedLoopOptions): ServedLoop => {
  const stopping = new AbortController();
  let nextSweepAt = Date.now() + options.sweepEverySeconds * 1000;
  const round = async (): Promise<void> => {
    const events = await options.pump.pump();
    if (events.read > 0) options.onEvents(events);
    if (Date.now() < nextSweepAt) return;
    const started = performance.now();
    const summary = await options.sweep();
    nextSweepAt = Date.now() + options.sweepEverySeconds * 1000;
    options.onSweep(summary, performance.now() - started);
  };
  const running = (async () => {
    while (!stopping.signal.aborted) {
      await round().catch(options.onError);
      await sleep(POLL_INTERVAL_MS, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    stop: () => {
      stopping.abort();
      return running;
    },
  };
};
