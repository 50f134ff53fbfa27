/**
 * The time EC2's token buckets (DOMAIN.md §6) impose on a sequence of calls, computed from the calls
 * alone. The bucket each action draws from is the simulator's own classification
 * (`sim/control/ec2-rate-limits.ts`), and, as in the simulator, every action has its own bucket.
 *
 * A bucket of size B refilled at R tokens/s, full at the start, lets n calls through no sooner than
 * max(0, (n − B) / R) seconds; buckets refill in parallel, so the largest of these over all buckets is
 * a lower bound for the whole sequence (whatever the client's pacing or concurrency). At simulator
 * scale s both B and R are multiplied by s.
 */
import { ec2RateLimitFor } from "../sim/control/ec2-rate-limits.ts";

/** One action's bucket and what the calls cost in it. */
export interface BucketTime {
  readonly action: string;
  readonly calls: number;
  readonly burst: number;
  readonly refillPerSecond: number;
  readonly seconds: number;
}

/** The imposed time of a call sequence, and the bucket that sets it. */
export interface ImposedTime {
  readonly scale: number;
  /** max over buckets of max(0, (calls − burst) / refill), in seconds. */
  readonly seconds: number;
  /** The bucket that sets `seconds` (undefined when no call was made). */
  readonly binding?: BucketTime;
  readonly buckets: readonly BucketTime[];
}

/**
 * `calls` per EC2 action (calls EC2 let through: throttled answers excluded). Every call Branchkeeper
 * and the hand-written sweep make carries a filter, ids or MaxResults (core/aws/ec2-snapshot-reader.ts,
 * bench/naive-sweep.ts), so the heavy describes draw from the normal describe bucket unless told otherwise.
 */
export const bucketImposedTime = (
  calls: Readonly<Record<string, number>>,
  scale = 1,
  filteredOrPaged = true,
): ImposedTime => {
  const buckets = Object.entries(calls)
    .filter(([, count]) => count > 0)
    .map(([action, count]): BucketTime => {
      const limit = ec2RateLimitFor(action, filteredOrPaged);
      const burst = limit.size * scale;
      const refillPerSecond = limit.refillPerSecond * scale;
      return { action, calls: count, burst, refillPerSecond, seconds: Math.max(0, (count - burst) / refillPerSecond) };
    })
    .sort((a, b) => b.seconds - a.seconds);
  const binding = buckets[0];
  return { scale, seconds: binding?.seconds ?? 0, ...(binding ? { binding } : {}), buckets };
};

/** Subtract per-action counts (e.g. throttled answers from calls seen). */
export const minus = (
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> =>
  Object.fromEntries(Object.entries(a).map(([action, count]) => [action, count - (b[action] ?? 0)]));
