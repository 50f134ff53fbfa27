import { describe, expect, it } from "vitest";
import {
  actionView,
  clusterView,
  eniDetailView,
  eniView,
  findingView,
  listView,
  transitionView,
} from "../../../core/api/status-views.ts";
import { actionRecord, at, clusterSummary, eniRecord, finding, transition } from "./status-records.ts";

describe("status API views", () => {
  it("shows an ENI with exactly the contract's fields", () => {
    // Prepare
    const record = eniRecord();

    // Act
    const view = eniView(record);

    // Assess: bookkeeping (version, evidence, observation time, subnet, VPC) stays inside.
    expect(view).toStrictEqual({
      eniId: "eni-0a1b2c3d4e5f60001",
      state: "suspect",
      trunkEniId: "eni-0f0f0f0f0f0f0f0f0",
      vlanId: 7,
      instanceId: "i-0123456789abcdef0",
      securityGroupIds: ["sg-0001", "sg-0002"],
      firstSeenAt: at(-3600),
      lastSeenAt: at(0),
      reason: "status is available and no trunk association exists",
    });
    expect(eniDetailView(record)).toStrictEqual({ ...view, cluster: "alpha" });
  });

  it("shows what the record does not know as null, never as a missing field", () => {
    // Prepare
    const { trunkEniId: _t, vlanId: _v, instanceId: _i, ...detached } = eniRecord({ state: "detached" });

    // Act
    const view = eniView(detached);

    // Assess
    expect(view).toMatchObject({ trunkEniId: null, vlanId: null, instanceId: null });
  });

  it("shows a transition, with from null for the first sighting", () => {
    // Prepare
    const { from: _from, ...first } = transition({ to: "associated" });

    // Act / Assess
    expect(transitionView(transition())).toStrictEqual({
      at: at(0),
      from: "associated",
      to: "suspect",
      reason: "status is available and no trunk association exists",
      cause: "sweep:0001",
    });
    expect(transitionView(first)).toMatchObject({ from: null, to: "associated" });
  });

  it("shows a finding with what was or would be done, without its cluster", () => {
    // Prepare / Act / Assess
    expect(findingView(finding())).toStrictEqual({
      kind: "cluster-tag-missing",
      resourceId: "eni-0a1b2c3d4e5f60001",
      detail: "none of sg-0001, sg-0002 carries kubernetes.io/cluster/alpha",
      action: "tag sg-0001 with kubernetes.io/cluster/alpha=shared",
      observedAt: at(0),
    });
  });

  it("shows an audit entry without its id, detail null when there is none", () => {
    // Prepare
    const { detail: _detail, ...plain } = actionRecord({ outcome: "dry-run", mode: "dry-run" });

    // Act / Assess
    expect(actionView(actionRecord())).toStrictEqual({
      at: at(0),
      kind: "delete-eni",
      cluster: "alpha",
      target: "eni-0a1b2c3d4e5f60001",
      mode: "enforce",
      outcome: "succeeded",
      reason: "leak evidence (available) held for 600 s across two passes",
      detail: "DeleteNetworkInterface accepted",
    });
    expect(actionView(plain)).toMatchObject({ mode: "dry-run", outcome: "dry-run", detail: null });
  });

  it("shows a cluster with every state counted, zero for states never counted", () => {
    // Prepare: a summary as an older version stored it, with counts only for the states it saw.
    const { vpcId: _vpc, ...deleted } = clusterSummary({
      status: "deleted",
      counts: { leaked: 4, deleted: 9 } as ReturnType<typeof clusterSummary>["counts"],
    });

    // Act
    const view = clusterView(deleted);

    // Assess
    expect(view).toStrictEqual({
      name: "alpha",
      status: "deleted",
      vpcId: null,
      counts: { associated: 0, detached: 0, suspect: 0, leaked: 4, deleting: 0, deleted: 9, gone: 0 },
      lastSweepAt: at(60),
    });
  });

  it("ends a listing with cursor null, and passes the store's cursor on otherwise", () => {
    // Prepare / Act / Assess
    expect(listView({ items: [finding()] }, findingView)).toStrictEqual({
      items: [findingView(finding())],
      cursor: null,
    });
    expect(listView({ items: [], cursor: "next" }, findingView)).toStrictEqual({ items: [], cursor: "next" });
  });
});
