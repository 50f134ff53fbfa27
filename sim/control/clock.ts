/**
 * The simulated account's wall clock. Starts at real time; tests and scenarios may move it forward
 * (`POST /_sim/clock`) to age resources without waiting. Token buckets always use real time.
 */
export class SimClock {
  private offsetMs = 0;

  public now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  public advance(seconds: number): Date {
    this.offsetMs += seconds * 1000;
    return this.now();
  }

  public set(at: Date): Date {
    this.offsetMs = at.getTime() - Date.now();
    return this.now();
  }
}
