import { describe, expect, it } from "vitest";
import { MAX_SCOPED_IDS, mergeScopes } from "../../../core/events/merge-scopes.ts";
import type { SnapshotScope } from "../../../core/model/cluster-snapshot.ts";

const enis = (...ids: string[]): SnapshotScope => ({ kind: "eni", ids });

describe("mergeScopes", () => {
  it("reads every ENI once in one view, and every node once in another", () => {
    // Act
    const merged = mergeScopes([
      enis("eni-b"),
      { kind: "instance", ids: ["i-1"] },
      enis("eni-a", "eni-b"),
      { kind: "instance", ids: ["i-1", "i-2"] },
    ]);

    // Assess
    expect(merged).toEqual([enis("eni-b", "eni-a"), { kind: "instance", ids: ["i-1", "i-2"] }]);
  });

  it("keeps views of different kinds apart even on the same id", () => {
    const merged = mergeScopes([
      { kind: "security-group", ids: ["x"] },
      { kind: "target-group", ids: ["x"] },
    ]);

    expect(merged).toEqual([
      { kind: "security-group", ids: ["x"] },
      { kind: "target-group", ids: ["x"] },
    ]);
  });

  it("answers a full view as soon as one is asked for", () => {
    expect(mergeScopes([enis("eni-a"), { kind: "full" }, enis("eni-b")])).toEqual([{ kind: "full" }]);
  });

  it("lets the whole load-balancing side stand for any target group", () => {
    const merged = mergeScopes([
      { kind: "target-group", ids: ["arn:tg/1"] },
      enis("eni-a"),
      { kind: "load-balancing" },
      { kind: "load-balancing" },
    ]);

    expect(merged).toEqual([enis("eni-a"), { kind: "load-balancing" }]);
  });

  it("drops views that name no id", () => {
    expect(mergeScopes([enis(), { kind: "instance", ids: [] }])).toEqual([]);
  });

  it("becomes one full view beyond MAX_SCOPED_IDS ids in all, counting each id once", () => {
    // Prepare
    const ids = Array.from({ length: MAX_SCOPED_IDS }, (_, i) => `eni-${i}`);

    // Act
    const atBound = mergeScopes([enis(...ids), enis(...ids.slice(0, 10))]);
    const overBound = mergeScopes([enis(...ids), { kind: "instance", ids: ["i-1"] }]);

    // Assess
    expect(atBound).toEqual([enis(...ids)]);
    expect(overBound).toEqual([{ kind: "full" }]);
  });
});
