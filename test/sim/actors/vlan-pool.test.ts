import { describe, expect, it } from "vitest";
import { VlanPool } from "../../../sim/actors/vlan-pool.ts";

describe("VlanPool", () => {
  it("hands out the lowest free VLAN id, starting at 1, and reuses released ones", () => {
    const pool = new VlanPool(9);

    const [first, second, third] = [pool.allocate(), pool.allocate(), pool.allocate()];
    pool.release(2);

    expect([first, second, third]).toEqual([1, 2, 3]);
    expect(pool.allocate()).toBe(2);
  });

  it("refuses once the instance type's branch capacity is used", () => {
    const pool = new VlanPool(2);
    pool.allocate();
    pool.allocate();

    expect(pool.allocate()).toBeUndefined();
  });

  it("never goes beyond VLAN 120, whatever the capacity", () => {
    const pool = new VlanPool(500);
    const ids = Array.from({ length: 121 }, () => pool.allocate());

    expect(ids.at(119)).toBe(120);
    expect(ids.at(120)).toBeUndefined();
  });
});
