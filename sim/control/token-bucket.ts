/** A token bucket refilled continuously in real time, as EC2's request-rate limits work. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  public constructor(
    private readonly size: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = size;
    this.updatedAt = now();
  }

  /** Take one token if there is one. */
  public take(): boolean {
    const at = this.now();
    this.tokens = Math.min(this.size, this.tokens + ((at - this.updatedAt) / 1000) * this.refillPerSecond);
    this.updatedAt = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
