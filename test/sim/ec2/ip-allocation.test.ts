import { describe, expect, it } from "vitest";
import { AddressPool, parseCidr } from "../../../sim/services/ec2/ip-allocation.ts";

const pool = (cidr: string): AddressPool => {
  const parsed = parseCidr(cidr, true);
  if (!parsed) throw new Error(`bad cidr ${cidr}`);
  return new AddressPool(parsed);
};

describe("subnet address pool", () => {
  it("skips the four reserved low addresses and the broadcast address", () => {
    const addresses = pool("10.0.0.0/28");

    const handedOut = Array.from({ length: 12 }, () => addresses.allocate());

    expect(handedOut.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, i) => `10.0.0.${i + 4}`));
    expect(handedOut[11]).toBeUndefined();
    expect(addresses.available).toBe(0);
  });

  it("reuses a released address only after the rest of the block", () => {
    const addresses = pool("10.0.0.0/28");
    const first = addresses.allocate();
    addresses.allocate();

    addresses.release(first ?? "");
    const next = addresses.allocate();

    expect(next).toBe("10.0.0.6");
    expect(addresses.available).toBe(9);
  });

  it("refuses to claim reserved, foreign or taken addresses", () => {
    const addresses = pool("10.0.0.0/24");

    expect(addresses.claim("10.0.0.10")).toBeUndefined();
    expect(addresses.claim("10.0.0.10")).toBe("in-use");
    expect(addresses.claim("10.0.0.1")).toBe("reserved");
    expect(addresses.claim("10.0.0.255")).toBe("reserved");
    expect(addresses.claim("10.0.1.10")).toBe("outside");
  });

  it("parses CIDR blocks strictly when asked for canonical blocks", () => {
    expect(parseCidr("10.0.0.0/16", true)).toEqual({ base: 167772160, prefix: 16, text: "10.0.0.0/16" });
    expect(parseCidr("10.0.0.1/16", true)).toBeUndefined();
    expect(parseCidr("10.0.0.1/16")).toMatchObject({ base: 167772160, prefix: 16 });
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("10.0.300.0/24")).toBeUndefined();
  });
});
