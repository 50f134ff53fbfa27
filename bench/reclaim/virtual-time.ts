import type { Clock } from "../../core/ports/clock.ts";
import { TimeQueue } from "./time-queue.ts";

/**
 * Cooperative discrete-event time for a run against the simulator. Work runs as tasks (world actions,
 * reconcile passes); a task's real I/O takes no virtual time, and virtual time moves only when every
 * task is either finished or asleep on `clock.sleep` (Branchkeeper's mutation pacer, the controller's
 * teardown window): then the earliest timer fires and the clock jumps to it. So two Lambda processes
 * pacing their deletions at 2/s each interleave as they would in parallel, in a fraction of the time.
 */
export class VirtualTime {
  private current: number;
  private readonly timers = new TimeQueue<() => void>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly failures: unknown[] = [];

  /** A `Clock` (ms since the epoch) whose sleeps wait in virtual time. */
  public readonly clock: Clock = {
    now: () => this.current,
    sleep: (ms) => this.sleep(ms),
  };

  public constructor(startMs: number) {
    this.current = startMs;
  }

  /** Virtual now, ms since the epoch. */
  public now(): number {
    return this.current;
  }

  public date(): Date {
    return new Date(this.current);
  }

  /** Start `task` when the clock reaches `atMs` (or now, if that is past). */
  public at(atMs: number, task: () => Promise<void> | void): void {
    this.timers.push(Math.max(atMs, this.current), () => this.spawn(task));
  }

  /** Start `task` now, as a task of its own. */
  public spawn(task: () => Promise<void> | void): void {
    this.active += 1;
    Promise.resolve()
      .then(task)
      .catch((error: unknown) => {
        this.failures.push(error);
      })
      .finally(() => this.release());
  }

  /** Inside a task: wait `ms` of virtual time. */
  public sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.timers.push(this.current + Math.max(0, ms), () => {
        this.active += 1;
        resolve();
      });
      this.release();
    });
  }

  /**
   * Fire timers in time order until none is left at or before `untilMs`. `onAdvance` runs whenever the
   * clock moves (keep the simulator's clock in step); `afterStep` after every step, once all tasks are
   * idle (collect the events the step emitted). A task that throws fails the run.
   */
  public async run(
    untilMs: number,
    hooks: { onAdvance?: (nowMs: number) => void; afterStep?: () => void } = {},
  ): Promise<void> {
    for (;;) {
      await this.idle();
      if (this.failures.length > 0) throw this.failures[0];
      hooks.afterStep?.();
      const next = this.timers.peek();
      if (!next || next.at > untilMs) break;
      this.timers.pop();
      if (next.at > this.current) {
        this.current = next.at;
        hooks.onAdvance?.(this.current);
      }
      next.item();
    }
    if (this.current < untilMs) {
      this.current = untilMs;
      hooks.onAdvance?.(this.current);
    }
  }

  /** Timers still pending (after `run`: those beyond its end). */
  public get pending(): number {
    return this.timers.size;
  }

  private idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private release(): void {
    this.active -= 1;
    if (this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
