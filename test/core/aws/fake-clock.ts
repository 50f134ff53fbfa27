import type { Clock } from "../../../core/ports/clock.ts";

/** A clock whose `sleep` advances time instantly and remembers every wait. */
export class FakeClock implements Clock {
  public readonly sleeps: number[] = [];

  public constructor(private current = 0) {}

  public now(): number {
    return this.current;
  }

  public async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
  }

  public advance(ms: number): void {
    this.current += ms;
  }
}
