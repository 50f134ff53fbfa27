import { type Clock, systemClock } from "../ports/clock.ts";

/**
 * A token bucket every EC2 mutation passes before it is sent (`EC2_MUTATIONS_PER_SECOND`), shared
 * by all executors of a process. It comes on top of the SDK's retry strategy: the pacer keeps
 * Branchkeeper well under EC2's shared per-account buckets; the SDK backs off when EC2 throttles anyway.
 * Callers are served in arrival order.
 */
export class MutationPacer {
  private tokens: number;
  private refilledAt: number;
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param perSecond sustained rate (tokens added per second), > 0.
   * @param burst bucket size; 1 (the default) spaces calls evenly, 1/perSecond apart.
   */
  public constructor(
    private readonly perSecond: number,
    private readonly clock: Clock = systemClock,
    private readonly burst = 1,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`mutations per second must be positive, got ${perSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.refilledAt = clock.now();
  }

  /** Resolve when the caller may send one mutation. */
  public acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    // The chain only orders turns; each caller sees its own turn's outcome through `turn`.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async take(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.clock.sleep(((1 - this.tokens) / this.perSecond) * 1000);
      this.refill();
      // The wait bought exactly one token; timer granularity must not make it wait twice.
      this.tokens = Math.max(this.tokens, 1);
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
  }
}
