import { z } from "zod";
import { ec2RateLimitFor } from "./ec2-rate-limits.ts";
import { TokenBucket } from "./token-bucket.ts";

/** Matches `service:Action`, `service:*` or `*`. */
const actionPattern = z.string().min(1);

/** The body of `POST /_sim/faults`; every part optional, and a new body replaces the old one. */
export const faultConfigSchema = z.object({
  /** EC2's real per-action token buckets (DOMAIN.md §6); `scale` multiplies size and refill. */
  throttling: z.object({ enabled: z.boolean(), scale: z.number().positive().default(1) }).optional(),
  /** Injected error answers: `rate` in 0..1; code/status default to the service's internal error. */
  errors: z
    .array(
      z.object({
        action: actionPattern,
        rate: z.number().min(0).max(1),
        code: z.string().optional(),
        status: z.number().int().min(400).max(599).optional(),
      }),
    )
    .default([]),
  /** Added latency before answering. */
  latency: z
    .array(z.object({ action: actionPattern, ms: z.number().min(0), jitterMs: z.number().min(0).default(0) }))
    .default([]),
  /** Calls that never get an answer: the connection is dropped after `afterMs`. */
  timeouts: z
    .array(z.object({ action: actionPattern, rate: z.number().min(0).max(1), afterMs: z.number().min(0).default(0) }))
    .default([]),
  /** Calls answered `UnauthorizedOperation`/`AccessDenied` (optionally for one access key only). */
  deny: z.array(z.object({ action: actionPattern, accessKeyId: z.string().optional() })).default([]),
  /** Per-entry `InternalFailure` rate of EventBridge PutEvents. */
  putEventsEntryFailureRate: z.number().min(0).max(1).default(0),
  seed: z.number().int().default(1),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;

/** What the fault layer decided for one call. */
export type FaultVerdict =
  | { kind: "pass"; delayMs: number }
  | { kind: "throttle"; delayMs: number }
  | { kind: "error"; delayMs: number; code?: string; status?: number }
  | { kind: "deny"; delayMs: number }
  | { kind: "timeout"; delayMs: number };

const matches = (pattern: string, key: string): boolean => {
  if (pattern === "*" || pattern === key) return true;
  return pattern.endsWith(":*") && key.startsWith(pattern.slice(0, -1));
};

/**
 * Throttling, injected errors, latency, dropped connections and denials, configured at run time.
 * Randomness is seeded so a faulty run can be replayed.
 */
export class Faults {
  private config: FaultConfig = faultConfigSchema.parse({});
  private buckets = new Map<string, TokenBucket>();
  private random: () => number = mulberry32(1);

  public configure(input: unknown): FaultConfig {
    this.config = faultConfigSchema.parse(input);
    this.buckets = new Map();
    this.random = mulberry32(this.config.seed);
    return this.config;
  }

  public get current(): FaultConfig {
    return this.config;
  }

  public entryFailure(): boolean {
    return this.config.putEventsEntryFailureRate > 0 && this.random() < this.config.putEventsEntryFailureRate;
  }

  /**
   * Decide the fate of one call to `key` (`service:Action`). `filteredOrPaged` feeds EC2's bucket choice.
   */
  public judge(key: string, accessKeyId: string, filteredOrPaged: boolean): FaultVerdict {
    const c = this.config;
    const latency = c.latency.find((l) => matches(l.action, key));
    const delayMs = latency ? latency.ms + this.random() * latency.jitterMs : 0;
    if (c.deny.some((d) => matches(d.action, key) && (!d.accessKeyId || d.accessKeyId === accessKeyId))) {
      return { kind: "deny", delayMs };
    }
    if (c.throttling?.enabled && key.startsWith("ec2:") && !this.bucket(key, filteredOrPaged).take()) {
      return { kind: "throttle", delayMs };
    }
    const timeout = c.timeouts.find((t) => matches(t.action, key));
    if (timeout && this.random() < timeout.rate) return { kind: "timeout", delayMs: delayMs + timeout.afterMs };
    const error = c.errors.find((e) => matches(e.action, key));
    if (error && this.random() < error.rate) {
      return { kind: "error", delayMs, code: error.code, status: error.status };
    }
    return { kind: "pass", delayMs };
  }

  private bucket(key: string, filteredOrPaged: boolean): TokenBucket {
    const action = key.slice(key.indexOf(":") + 1);
    const limit = ec2RateLimitFor(action, filteredOrPaged);
    const id = `${key}:${limit.size}/${limit.refillPerSecond}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      const scale = this.config.throttling?.scale ?? 1;
      bucket = new TokenBucket(limit.size * scale, limit.refillPerSecond * scale);
      this.buckets.set(id, bucket);
    }
    return bucket;
  }
}

/** A small seeded PRNG (public-domain mulberry32). */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
