import { describe, expect, it } from "vitest";
import {
  CAPPED_FOLLOW_UP_SECONDS,
  FOLLOW_UP_MARGIN_SECONDS,
  mergeFollowUps,
  planCappedFollowUp,
  planFollowUp,
} from "../../../core/decide/follow-up.ts";
import type { EniRecord } from "../../../core/model/eni-record.ts";
import { at, eniRecord, T0 } from "../../support/state-records.ts";

const GRACE = 600;

const suspect = (eniId: string, firstRecordedOffset: number, firstPassId: string): EniRecord =>
  eniRecord({
    eniId,
    state: "suspect",
    evidence: {
      kind: "available",
      detail: "status is available",
      firstRecordedAt: at(firstRecordedOffset),
      firstPassId,
    },
  });

describe("planFollowUp", () => {
  it("asks for a follow-up when the suspects this pass recorded leave their grace", () => {
    const records = [suspect("eni-0000000000000000b", 0, "event-1"), suspect("eni-0000000000000000a", 0, "event-1")];

    const followUp = planFollowUp("alpha", records, { passId: "event-1" }, GRACE, false);

    expect(followUp).toEqual({
      cluster: "alpha",
      eniIds: ["eni-0000000000000000a", "eni-0000000000000000b"],
      dueAt: at(GRACE + FOLLOW_UP_MARGIN_SECONDS),
    });
  });

  it("does not ask again for suspects an earlier pass recorded: a follow-up is already on the way", () => {
    const records = [suspect("eni-0000000000000000a", -120, "event-0")];

    expect(planFollowUp("alpha", records, { passId: "sweep-2" }, GRACE, false)).toBeUndefined();
  });

  it("asks again from a follow-up pass for suspects still within their grace, due when the last one is", () => {
    const records = [suspect("eni-0000000000000000a", -300, "event-0"), suspect("eni-0000000000000000b", -100, "e")];

    const followUp = planFollowUp("alpha", records, { passId: "event-follow" }, GRACE, true);

    expect(followUp?.eniIds).toEqual(["eni-0000000000000000a", "eni-0000000000000000b"]);
    expect(followUp?.dueAt).toBe(at(-100 + GRACE + FOLLOW_UP_MARGIN_SECONDS));
  });

  it("ignores other clusters and records that are not suspects", () => {
    const records = [
      { ...suspect("eni-0000000000000000a", 0, "event-1"), cluster: "beta" },
      { ...suspect("eni-0000000000000000b", 0, "event-1"), state: "leaked" as const },
      eniRecord({ eniId: "eni-0000000000000000c", state: "associated" }),
    ];

    expect(planFollowUp("alpha", records, { passId: "event-1" }, GRACE, true)).toBeUndefined();
  });
});

describe("mergeFollowUps", () => {
  it("asks once per cluster for follow-ups due within the same minute, when the last of them is due", () => {
    const merged = mergeFollowUps([
      { cluster: "alpha", eniIds: ["eni-b"], dueAt: at(610) },
      { cluster: "beta", eniIds: ["eni-c"], dueAt: at(10) },
      { cluster: "alpha", eniIds: ["eni-a", "eni-b"], dueAt: at(650) },
    ]);

    expect(merged).toEqual([
      { cluster: "alpha", eniIds: ["eni-a", "eni-b"], dueAt: at(650) },
      { cluster: "beta", eniIds: ["eni-c"], dueAt: at(10) },
    ]);
  });

  it("keeps a follow-up due soon apart from one due when a grace elapses", () => {
    const merged = mergeFollowUps([
      { cluster: "alpha", eniIds: ["eni-a"], dueAt: at(60) },
      { cluster: "alpha", eniIds: ["eni-b"], dueAt: at(605) },
    ]);

    expect(merged.map((f) => f.dueAt)).toEqual([at(60), at(605)]);
  });
});

describe("planCappedFollowUp", () => {
  it("asks to continue a minute later with the ENIs the per-run cap held", () => {
    expect(planCappedFollowUp("alpha", ["eni-b", "eni-a", "eni-b"], new Date(T0))).toEqual({
      cluster: "alpha",
      eniIds: ["eni-a", "eni-b"],
      dueAt: at(CAPPED_FOLLOW_UP_SECONDS),
    });
    expect(planCappedFollowUp("alpha", [], new Date(T0))).toBeUndefined();
  });
});
