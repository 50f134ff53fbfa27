import { describe, expect, it } from "vitest";
import { findLeakEvidence } from "../../../core/decide/leak-evidence.ts";
import { TAGS } from "../../../core/model/tags.ts";
import {
  association,
  branchEni,
  instance,
  livePod,
  snapshot,
  trunkEni,
  withoutTag,
} from "../../support/snapshot-builders.ts";

describe("findLeakEvidence", () => {
  it("finds none for an in-use branch ENI whose trunk exists and whose instance runs", () => {
    const pod = livePod("eni-1");
    const view = snapshot(pod);

    const evidence = findLeakEvidence(pod.eni, view);

    expect(evidence).toBeUndefined();
  });

  it("finds none for a live ENI even when the cluster is reported deleted (controller #10, #412)", () => {
    const pod = livePod("eni-1");
    const view = snapshot({ ...pod, cluster: { status: "deleted" } });

    const evidence = findLeakEvidence(pod.eni, view);

    expect(evidence).toBeUndefined();
  });

  it("reports an available ENI with no trunk association", () => {
    const eni = branchEni("eni-1", { status: "available" });

    const evidence = findLeakEvidence(eni, snapshot({ branchEnis: [eni] }));

    expect(evidence).toEqual({ kind: "available", detail: "status is available and no trunk association exists" });
  });

  it("reports an available ENI even when associations could not be read: an associated branch is never available", () => {
    const eni = branchEni("eni-1", { status: "available" });

    const evidence = findLeakEvidence(eni, snapshot({ branchEnis: [eni], incomplete: { associations: "throttled" } }));

    expect(evidence?.kind).toBe("available");
    expect(evidence?.detail).toBe("status is available");
  });

  it("reports an in-use ENI whose tagged trunk no longer exists", () => {
    const eni = branchEni("eni-1");

    const evidence = findLeakEvidence(eni, snapshot({ branchEnis: [eni], instances: [instance("i-1")] }));

    expect(evidence).toEqual({
      kind: "trunk-missing",
      detail: "status is in-use but its trunk ENI eni-trunk-1 no longer exists",
    });
  });

  it("finds the trunk through the association when the trunk tag is absent", () => {
    const eni = withoutTag(branchEni("eni-1"), TAGS.trunkEniId);

    const evidence = findLeakEvidence(
      eni,
      snapshot({ branchEnis: [eni], associations: [association("eni-1", "eni-trunk-9")] }),
    );

    expect(evidence?.detail).toBe("status is in-use but its trunk ENI eni-trunk-9 no longer exists");
  });

  it("does not call a trunk missing when the trunk ENIs could not be read completely", () => {
    const eni = branchEni("eni-1");

    const evidence = findLeakEvidence(
      eni,
      snapshot({ branchEnis: [eni], incomplete: { "trunk-enis": "page 3 failed" } }),
    );

    expect(evidence).toBeUndefined();
  });

  it("does not call a trunk missing because a scoped snapshot did not ask for it", () => {
    const eni = branchEni("eni-1");
    const view = snapshot({
      branchEnis: [eni],
      scope: { kind: "eni", ids: ["eni-1"] },
      lookedUp: { eniIds: ["eni-1"] },
    });

    const evidence = findLeakEvidence(eni, view);

    expect(evidence).toBeUndefined();
  });

  it("calls a trunk missing when a scoped snapshot looked it up by id and EC2 did not know it", () => {
    const eni = branchEni("eni-1");
    const view = snapshot({
      branchEnis: [eni],
      scope: { kind: "eni", ids: ["eni-1"] },
      lookedUp: { eniIds: ["eni-1", "eni-trunk-1"] },
    });

    const evidence = findLeakEvidence(eni, view);

    expect(evidence?.kind).toBe("trunk-missing");
  });

  it("reports an in-use ENI whose node instance (from its tag) is terminated", () => {
    const eni = branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } });

    const evidence = findLeakEvidence(
      eni,
      snapshot({
        branchEnis: [eni],
        trunkEnis: [trunkEni("eni-trunk-1", "i-1")],
        instances: [instance("i-1", "terminated")],
      }),
    );

    expect(evidence).toEqual({
      kind: "instance-terminated",
      detail: "status is in-use but its node instance i-1 is terminated",
    });
  });

  it("finds the instance through the trunk's attachment for older ENIs without the instance tag", () => {
    const eni = branchEni("eni-old");

    const evidence = findLeakEvidence(
      eni,
      snapshot({
        branchEnis: [eni],
        trunkEnis: [trunkEni("eni-trunk-1", "i-7")],
        instances: [instance("i-7", "shutting-down")],
      }),
    );

    expect(evidence?.detail).toBe("status is in-use but its node instance i-7 is shutting-down");
  });

  it("neither requires the instance tag nor treats an unlisted instance as terminated", () => {
    const eni = branchEni("eni-old");

    const evidence = findLeakEvidence(
      eni,
      snapshot({ branchEnis: [eni], trunkEnis: [trunkEni("eni-trunk-1", "i-7")] }),
    );

    expect(evidence).toBeUndefined();
  });

  it("does not trust an instance state from an incomplete instance read", () => {
    const eni = branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } });

    const evidence = findLeakEvidence(
      eni,
      snapshot({
        branchEnis: [eni],
        trunkEnis: [trunkEni("eni-trunk-1", "i-1")],
        instances: [instance("i-1", "terminated")],
        incomplete: { instances: "AccessDenied" },
      }),
    );

    expect(evidence).toBeUndefined();
  });

  it("reports an in-use ENI without any trunk once its cluster is deleted", () => {
    const eni = withoutTag(branchEni("eni-1"), TAGS.trunkEniId);

    const evidence = findLeakEvidence(eni, snapshot({ branchEnis: [eni], cluster: { status: "deleted" } }));

    expect(evidence?.kind).toBe("cluster-deleted");
    expect(evidence?.detail).toContain("cluster alpha no longer exists");
  });

  it("says nothing about transitional statuses", () => {
    const eni = branchEni("eni-1", { status: "attaching" });

    const evidence = findLeakEvidence(eni, snapshot({ branchEnis: [eni] }));

    expect(evidence).toBeUndefined();
  });
});
