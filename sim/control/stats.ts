/** Counters per `service:Action`, read with `GET /_sim/stats` to measure what a run spent. */
export class CallStats {
  private calls: Record<string, number> = {};
  private throttled: Record<string, number> = {};
  private errors: Record<string, number> = {};

  public recordCall(key: string): void {
    this.calls[key] = (this.calls[key] ?? 0) + 1;
  }

  public recordThrottle(key: string): void {
    this.throttled[key] = (this.throttled[key] ?? 0) + 1;
  }

  /** Any error answer (injected or genuine, throttling excluded). */
  public recordError(key: string): void {
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }

  public snapshot(): {
    calls: Record<string, number>;
    throttled: Record<string, number>;
    errors: Record<string, number>;
    totalCalls: number;
  } {
    const totalCalls = Object.values(this.calls).reduce((a, b) => a + b, 0);
    return { calls: { ...this.calls }, throttled: { ...this.throttled }, errors: { ...this.errors }, totalCalls };
  }

  public reset(): void {
    this.calls = {};
    this.throttled = {};
    this.errors = {};
  }
}
