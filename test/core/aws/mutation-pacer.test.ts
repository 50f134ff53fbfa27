import { describe, expect, it } from "vitest";
import { MutationPacer } from "../../../core/aws/mutation-pacer.ts";
import { FakeClock } from "./fake-clock.ts";

describe("MutationPacer", () => {
  it("spaces mutations 1/rate apart after the first", async () => {
    // Prepare
    const clock = new FakeClock(1_000);
    const pacer = new MutationPacer(2, clock);
    const grantedAt: number[] = [];

    // Act
    for (let i = 0; i < 5; i++) {
      await pacer.acquire();
      grantedAt.push(clock.now());
    }

    // Assess
    expect(grantedAt).toEqual([1_000, 1_500, 2_000, 2_500, 3_000]);
  });

  it("serves concurrent callers one at a time, in arrival order", async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new MutationPacer(4, clock);
    const order: string[] = [];

    // Act
    await Promise.all(["a", "b", "c"].map((name) => pacer.acquire().then(() => order.push(`${name}@${clock.now()}`))));

    // Assess
    expect(order).toEqual(["a@0", "b@250", "c@500"]);
  });

  it("does not wait when time has refilled the bucket", async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new MutationPacer(1, clock, 3);

    // Act
    await pacer.acquire();
    await pacer.acquire();
    await pacer.acquire();
    clock.advance(10_000);
    await pacer.acquire();

    // Assess
    expect(clock.sleeps).toEqual([]);
  });

  it("refuses a rate that is not positive", () => {
    // Act / Assess
    expect(() => new MutationPacer(0)).toThrow(RangeError);
  });
});
