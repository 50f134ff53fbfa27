import { describe, expect, it } from "vitest";
import { type BackendRule, dedupeUnrestricted, mergeRestricted } from "../../../sim/actors/restricted-rules.ts";

const rule = (groupId: string, protocol: "tcp" | "udp", port: number, sourceGroupId = "sg-backend"): BackendRule => ({
  groupId,
  protocol,
  fromPort: port,
  toPort: port,
  sourceGroupId,
});

describe("mergeRestricted", () => {
  it("merges the ports of every binding on one group, protocol and source into one min-max rule", () => {
    const merged = mergeRestricted([rule("sg-a", "tcp", 8080), rule("sg-a", "tcp", 31080), rule("sg-a", "tcp", 9000)]);

    expect(merged).toEqual([
      { groupId: "sg-a", protocol: "tcp", fromPort: 8080, toPort: 31080, sourceGroupId: "sg-backend" },
    ]);
  });

  it("keeps one rule per endpoint group, per protocol and per source group", () => {
    const merged = mergeRestricted([
      rule("sg-b", "tcp", 7000),
      rule("sg-a", "udp", 8125),
      rule("sg-a", "tcp", 8125),
      rule("sg-a", "tcp", 80, "sg-other-backend"),
    ]);

    expect(merged).toEqual([
      { groupId: "sg-a", protocol: "tcp", fromPort: 80, toPort: 80, sourceGroupId: "sg-other-backend" },
      { groupId: "sg-a", protocol: "tcp", fromPort: 8125, toPort: 8125, sourceGroupId: "sg-backend" },
      { groupId: "sg-a", protocol: "udp", fromPort: 8125, toPort: 8125, sourceGroupId: "sg-backend" },
      { groupId: "sg-b", protocol: "tcp", fromPort: 7000, toPort: 7000, sourceGroupId: "sg-backend" },
    ]);
  });

  it("reads a 0-0 permission as every port, as the LBC does", () => {
    const merged = mergeRestricted([rule("sg-a", "tcp", 8080), { ...rule("sg-a", "tcp", 0), toPort: 0 }]);

    expect(merged).toEqual([
      { groupId: "sg-a", protocol: "tcp", fromPort: 0, toPort: 65535, sourceGroupId: "sg-backend" },
    ]);
  });

  it("widens ranges that are already ranges", () => {
    const merged = mergeRestricted([
      { groupId: "sg-a", protocol: "tcp", fromPort: 3000, toPort: 3100, sourceGroupId: "sg-backend" },
      { groupId: "sg-a", protocol: "tcp", fromPort: 3050, toPort: 4000, sourceGroupId: "sg-backend" },
    ]);

    expect(merged).toEqual([
      { groupId: "sg-a", protocol: "tcp", fromPort: 3000, toPort: 4000, sourceGroupId: "sg-backend" },
    ]);
  });
});

describe("dedupeUnrestricted", () => {
  it("collapses identical permissions and merges nothing", () => {
    const all = { groupId: "sg-a", protocol: "tcp" as const, fromPort: 0, toPort: 65535, sourceGroupId: "sg-backend" };

    expect(dedupeUnrestricted([all, all, rule("sg-a", "tcp", 8080)])).toEqual([all, rule("sg-a", "tcp", 8080)]);
  });
});
