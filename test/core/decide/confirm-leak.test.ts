import { describe, expect, it } from "vitest";
import { confirmLeakBeforeDelete } from "../../../core/decide/confirm-leak.ts";
import type { LeakEvidence } from "../../../core/model/leak-evidence.ts";
import { TAGS } from "../../../core/model/tags.ts";
import { branchEni, instance, trunkEni, withoutTag } from "../../support/snapshot-builders.ts";

const available: LeakEvidence = { kind: "available", detail: "status is available and no trunk association exists" };
const trunkMissing: LeakEvidence = {
  kind: "trunk-missing",
  detail: "status is in-use but its trunk ENI eni-trunk-1 no longer exists",
};

describe("confirmLeakBeforeDelete", () => {
  it("deletes when the fresh describe still shows the ENI available", () => {
    const fresh = { eni: branchEni("eni-1", { status: "available" }) };

    const confirmation = confirmLeakBeforeDelete(fresh, available, "active");

    expect(confirmation).toEqual({
      verdict: "delete",
      reason: "A fresh describe confirms: status is available and no trunk association exists.",
    });
  });

  it("counts an ENI EC2 no longer knows as already gone", () => {
    const confirmation = confirmLeakBeforeDelete({}, available, "active");

    expect(confirmation.verdict).toBe("already-gone");
    expect(confirmation.reason).toContain("InvalidNetworkInterfaceID.NotFound");
  });

  it("aborts when a pod picked the ENI up again in the meantime", () => {
    const fresh = {
      eni: branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } }),
      trunk: trunkEni("eni-trunk-1", "i-1"),
      instance: instance("i-1"),
      associationId: "trunk-assoc-1",
    };

    const confirmation = confirmLeakBeforeDelete(fresh, available, "active");

    expect(confirmation.verdict).toBe("abort");
    expect(confirmation.reason).toBe(
      "Not deleted: a fresh describe no longer shows leak evidence (expected available: status is available and no trunk association exists).",
    );
  });

  it("aborts a live ENI even in a deleted cluster", () => {
    const fresh = {
      eni: branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } }),
      trunk: trunkEni("eni-trunk-1", "i-1"),
      instance: instance("i-1"),
      associationId: "trunk-assoc-1",
    };

    const confirmation = confirmLeakBeforeDelete(fresh, available, "deleted");

    expect(confirmation.verdict).toBe("abort");
  });

  it("deletes an in-use ENI whose trunk is confirmed absent, disassociating first", () => {
    const fresh = { eni: branchEni("eni-1"), trunk: null, associationId: "trunk-assoc-1" };

    const confirmation = confirmLeakBeforeDelete(fresh, trunkMissing, "active");

    expect(confirmation).toEqual({
      verdict: "delete",
      reason: "A fresh describe confirms: status is in-use but its trunk ENI eni-trunk-1 no longer exists.",
      associationId: "trunk-assoc-1",
    });
  });

  it("does not take an unchecked trunk as absent", () => {
    const fresh = { eni: branchEni("eni-1") };

    const confirmation = confirmLeakBeforeDelete(fresh, trunkMissing, "active");

    expect(confirmation.verdict).toBe("abort");
  });

  it("deletes on evidence of another kind, saying the evidence changed", () => {
    const fresh = {
      eni: branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } }),
      trunk: trunkEni("eni-trunk-1", "i-1"),
      instance: instance("i-1", "terminated"),
    };

    const confirmation = confirmLeakBeforeDelete(fresh, trunkMissing, "active");

    expect(confirmation.verdict).toBe("delete");
    expect(confirmation.reason).toBe(
      "A fresh describe confirms: status is in-use but its node instance i-1 is terminated (evidence changed from trunk-missing).",
    );
  });

  it("does not count an instance that is merely not found as terminated", () => {
    const fresh = {
      eni: branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } }),
      trunk: trunkEni("eni-trunk-1", "i-1"),
      instance: null,
    };

    const confirmation = confirmLeakBeforeDelete(fresh, trunkMissing, "active");

    expect(confirmation.verdict).toBe("abort");
  });

  it("deletes a trunkless in-use ENI of a deleted cluster", () => {
    const fresh = { eni: withoutTag(branchEni("eni-1"), TAGS.trunkEniId) };

    const confirmation = confirmLeakBeforeDelete(
      fresh,
      { kind: "cluster-deleted", detail: "cluster alpha no longer exists" },
      "deleted",
    );

    expect(confirmation.verdict).toBe("delete");
    expect(confirmation.reason).toContain("cluster alpha no longer exists");
  });

  it("aborts when the ENI was skip-tagged in the meantime", () => {
    const fresh = { eni: branchEni("eni-1", { status: "available", extraTags: { [TAGS.skip]: "true" } }) };

    const confirmation = confirmLeakBeforeDelete(fresh, available, "active");

    expect(confirmation).toEqual({
      verdict: "abort",
      reason: "Not deleted: eni-1 is tagged branchkeeper.io/skip: tracked and reported, never deleted.",
    });
  });
});
