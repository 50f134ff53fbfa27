import { describe, expect, it } from "vitest";
import { TimeQueue } from "../../../bench/reclaim/time-queue.ts";
import { VirtualTime } from "../../../bench/reclaim/virtual-time.ts";

describe("TimeQueue", () => {
  it("pops by time, and equal times in push order", () => {
    const queue = new TimeQueue<string>();
    for (const [at, item] of [
      [5, "e"],
      [1, "a"],
      [3, "c1"],
      [3, "c2"],
      [2, "b"],
      [3, "c3"],
    ] as const)
      queue.push(at, item);
    const out: string[] = [];
    for (let next = queue.pop(); next; next = queue.pop()) out.push(next.item);
    expect(out).toEqual(["a", "b", "c1", "c2", "c3", "e"]);
  });
});

describe("VirtualTime", () => {
  it("interleaves sleeping tasks in virtual time, with real I/O taking none", async () => {
    const time = new VirtualTime(0);
    const log: string[] = [];
    const paced = (name: string, gapMs: number) => async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 2)); // real I/O
        log.push(`${name}${i}@${time.now()}`);
        await time.clock.sleep(gapMs);
      }
    };
    time.at(0, paced("a", 500));
    time.at(100, paced("b", 500));
    await time.run(10_000);
    expect(log).toEqual(["a0@0", "b0@100", "a1@500", "b1@600", "a2@1000", "b2@1100"]);
    expect(time.now()).toBe(10_000);
  });

  it("stops at the horizon, leaving later timers pending", async () => {
    const time = new VirtualTime(0);
    let ran = 0;
    time.at(500, () => {
      ran += 1;
    });
    time.at(1500, () => {
      ran += 1;
    });
    const advances: number[] = [];
    await time.run(1000, { onAdvance: (ms) => advances.push(ms) });
    expect(ran).toBe(1);
    expect(time.pending).toBe(1);
    expect(advances).toEqual([500, 1000]);
  });

  it("fails the run when a task throws", async () => {
    const time = new VirtualTime(0);
    time.at(10, async () => {
      await time.clock.sleep(5);
      throw new Error("boom");
    });
    await expect(time.run(100)).rejects.toThrow("boom");
  });
});
