import { describe, expect, it } from "vitest";
import { mergeTriggers } from "../../../core/events/merge-triggers.ts";
import type { ReconcileTrigger } from "../../../core/events/reconcile-trigger.ts";
import type { SnapshotScope } from "../../../core/model/cluster-snapshot.ts";

const enis = (...ids: string[]): SnapshotScope => ({ kind: "eni", ids });

const trigger = (
  eventId: string,
  scopes: SnapshotScope[],
  extra: Partial<ReconcileTrigger> = {},
): ReconcileTrigger => ({
  eventId,
  eventTime: "2026-11-21T10:00:00Z",
  scopes,
  reason: `reason of ${eventId}`,
  ...extra,
});

describe("mergeTriggers", () => {
  it("makes one pass of the triggers that concern every cluster, named after the first event", () => {
    // Act
    const groups = mergeTriggers([
      trigger("ev-1", [enis("eni-a")]),
      trigger("ev-2", [{ kind: "load-balancing" }]),
      trigger("ev-3", [enis("eni-a", "eni-b")]),
    ]);

    // Assess
    expect(groups).toEqual([
      {
        eventIds: ["ev-1", "ev-2", "ev-3"],
        trigger: {
          eventId: "ev-1",
          eventTime: "2026-11-21T10:00:00Z",
          scopes: [enis("eni-a", "eni-b"), { kind: "load-balancing" }],
          reason: "3 events: reason of ev-1; reason of ev-2; reason of ev-3",
        },
      },
    ]);
  });

  it("returns a lone trigger unchanged", () => {
    const alone = trigger("ev-1", [enis("eni-a")], { clusters: ["alpha"] });

    expect(mergeTriggers([alone])).toEqual([{ trigger: alone, eventIds: ["ev-1"] }]);
  });

  it("keeps named clusters apart from every cluster, and one named set from another", () => {
    // Act
    const groups = mergeTriggers([
      trigger("ev-1", [enis("eni-a")]),
      trigger("ev-2", [{ kind: "full" }], { clusters: ["alpha"] }),
      trigger("ev-3", [{ kind: "full" }], { clusters: ["beta"] }),
      trigger("ev-4", [enis("eni-b")]),
      trigger("ev-5", [enis("eni-c")], { clusters: ["alpha", "alpha"] }),
    ]);

    // Assess
    expect(groups.map((g) => g.eventIds)).toEqual([["ev-1", "ev-4"], ["ev-2", "ev-5"], ["ev-3"]]);
    expect(groups[0]?.trigger.clusters).toBeUndefined();
    expect(groups[0]?.trigger.scopes).toEqual([enis("eni-a", "eni-b")]);
    expect(groups[1]?.trigger.clusters).toEqual(["alpha"]);
    expect(groups[1]?.trigger.scopes).toEqual([{ kind: "full" }]);
  });

  it("never merges a follow-up with an event pass (they schedule different follow-ups)", () => {
    const groups = mergeTriggers([
      trigger("ev-1", [enis("eni-a")], { clusters: ["alpha"] }),
      trigger("fu-1", [enis("eni-b")], { clusters: ["alpha"], followUp: true }),
      trigger("fu-2", [enis("eni-c")], { clusters: ["alpha"], followUp: true }),
    ]);

    expect(groups.map((g) => g.eventIds)).toEqual([["ev-1"], ["fu-1", "fu-2"]]);
    expect(groups[1]?.trigger.followUp).toBe(true);
    expect(groups[1]?.trigger.scopes).toEqual([enis("eni-b", "eni-c")]);
  });

  it("lists a few reasons of a big batch, then how many more", () => {
    const triggers = Array.from({ length: 8 }, (_, i) => trigger(`ev-${i}`, [enis(`eni-${i}`)]));

    const [group] = mergeTriggers(triggers);

    expect(group?.eventIds).toHaveLength(8);
    expect(group?.trigger.reason).toBe("8 events: reason of ev-0; reason of ev-1; reason of ev-2; and 5 more");
  });

  it("merges nothing out of nothing", () => {
    expect(mergeTriggers([])).toEqual([]);
  });
});
