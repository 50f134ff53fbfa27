import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planLeakDeletions } from "../../../core/decide/leak-reclamation.ts";
import { planCluster } from "../../../core/decide/reconcile-plan.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../../../core/model/branch-eni-state.ts";
import { SNAPSHOT_PARTS, type SnapshotPart } from "../../../core/model/cluster-snapshot.ts";
import type { EniRecord } from "../../../core/model/eni-record.ts";
import type { ObservedEni } from "../../../core/model/observed.ts";
import { TAGS } from "../../../core/model/tags.ts";
import {
  association,
  branchEni,
  instance,
  livePod,
  secondsAfter,
  snapshot,
  T0,
  testConfig,
  trunkEni,
} from "../../support/snapshot-builders.ts";

const config = testConfig({ leakGraceSeconds: 600, maxDeletesPerRun: 100 });
const now = secondsAfter(T0, 3600);

const leakedRecord = (eniId: string, firstRecordedAt = T0, state: EniRecord["state"] = "leaked"): EniRecord => ({
  eniId,
  cluster: "alpha",
  state,
  reason: "Leaked.",
  stateSince: firstRecordedAt.toISOString(),
  securityGroupIds: ["sg-pod"],
  firstSeenAt: firstRecordedAt.toISOString(),
  lastSeenAt: firstRecordedAt.toISOString(),
  evidence: {
    kind: "available",
    detail: "status is available and no trunk association exists",
    firstRecordedAt: firstRecordedAt.toISOString(),
    firstPassId: "p0",
  },
  observedAt: firstRecordedAt.toISOString(),
  version: 3,
});

const available = (eniId: string, extraTags = {}) => branchEni(eniId, { status: "available", extraTags });

describe("planLeakDeletions", () => {
  it("plans the deletion of a leaked ENI whose evidence still holds", () => {
    const view = snapshot({ observedAt: now, branchEnis: [available("eni-1")] });

    const plan = planLeakDeletions([leakedRecord("eni-1")], view, config, now);

    expect(plan.actions).toEqual([
      {
        kind: "delete-eni",
        cluster: "alpha",
        eniId: "eni-1",
        evidence: { kind: "available", detail: "status is available and no trunk association exists" },
        reason: `Leaked: status is available and no trunk association exists since ${T0.toISOString()}; grace 600 s elapsed.`,
      },
    ]);
    expect(plan.held).toEqual([]);
  });

  it("asks to disassociate first when a trunk association still exists", () => {
    const eni = branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } });
    const view = snapshot({
      observedAt: now,
      branchEnis: [eni],
      trunkEnis: [trunkEni("eni-trunk-1", "i-1")],
      associations: [association("eni-1")],
      instances: [instance("i-1", "terminated")],
    });

    const plan = planLeakDeletions([leakedRecord("eni-1")], view, config, now);

    expect(plan.actions[0]).toMatchObject({
      associationId: "trunk-assoc-eni-1",
      evidence: { kind: "instance-terminated" },
    });
    expect(plan.actions[0]?.reason).toContain("disassociate trunk-assoc-eni-1 first");
  });

  it("never deletes a skip-tagged ENI, but says why it is held", () => {
    const view = snapshot({ observedAt: now, branchEnis: [available("eni-1", { [TAGS.skip]: "yes" })] });

    const plan = planLeakDeletions([leakedRecord("eni-1")], view, config, now);

    expect(plan.actions).toEqual([]);
    expect(plan.held).toEqual([
      { eniId: "eni-1", reason: "eni-1 is tagged branchkeeper.io/skip: tracked and reported, never deleted." },
    ]);
  });

  it("never deletes a VPC CNI ENI or another owner's ENI, whatever its record says", () => {
    const cni = branchEni("eni-cni", { status: "available", description: "aws-K8S-i-1" });
    const other = available("eni-other", { [TAGS.eniOwner]: "someone-else" });
    const view = snapshot({ observedAt: now, branchEnis: [cni, other] });

    const plan = planLeakDeletions([leakedRecord("eni-cni"), leakedRecord("eni-other")], view, config, now);

    expect(plan.actions).toEqual([]);
    expect(plan.held.map((h) => h.reason)).toEqual([
      "eni-cni has description aws-K8S-i-1, a VPC CNI ENI, which Branchkeeper never touches.",
      "eni-other is owned by someone-else (eks:eni:owner), not eks-vpc-resource-controller.",
    ]);
  });

  it("never deletes an in-use ENI with a live trunk and a running instance, even if its record says leaked", () => {
    const view = snapshot({ ...livePod("eni-1"), observedAt: now });

    const plan = planLeakDeletions([leakedRecord("eni-1")], view, config, now);

    expect(plan.actions).toEqual([]);
    expect(plan.held).toEqual([{ eniId: "eni-1", reason: "eni-1 shows no leak evidence in this snapshot." }]);
  });

  it("does not delete on a trunk it could not look for", () => {
    const view = snapshot({
      observedAt: now,
      branchEnis: [branchEni("eni-1")],
      incomplete: { "trunk-enis": "throttled" },
    });

    const plan = planLeakDeletions([leakedRecord("eni-1")], view, config, now);

    expect(plan.actions).toEqual([]);
    expect(plan.held[0]?.reason).toBe(
      "eni-1 shows no leak evidence in this snapshot; could not be read completely: trunk-enis (throttled).",
    );
  });

  it("deletes nothing at all when the branch ENIs could not be read completely", () => {
    const view = snapshot({
      observedAt: now,
      branchEnis: [available("eni-1"), available("eni-2")],
      incomplete: { "branch-enis": "RequestLimitExceeded on page 2" },
    });

    const plan = planLeakDeletions([leakedRecord("eni-1"), leakedRecord("eni-2")], view, config, now);

    expect(plan.actions).toEqual([]);
    expect(plan.held).toHaveLength(2);
    expect(plan.held[0]?.reason).toBe(
      "Branch ENIs could not be read completely (RequestLimitExceeded on page 2): nothing is deleted on a partial view.",
    );
  });

  it("caps deletions per run, oldest evidence first, holding the rest", () => {
    const view = snapshot({
      observedAt: now,
      branchEnis: [available("eni-a"), available("eni-b"), available("eni-c")],
    });
    const records = [
      leakedRecord("eni-a", secondsAfter(T0, 20)),
      leakedRecord("eni-b", secondsAfter(T0, 10)),
      leakedRecord("eni-c", secondsAfter(T0, 30)),
    ];

    const plan = planLeakDeletions(records, view, testConfig({ maxDeletesPerRun: 2 }), now);

    expect(plan.actions.map((a) => a.eniId)).toEqual(["eni-b", "eni-a"]);
    expect(plan.held).toEqual([
      {
        eniId: "eni-c",
        reason: "Per-run cap: at most 2 deletions per run (MAX_DELETES_PER_RUN); older evidence goes first.",
        capped: true,
      },
    ]);
  });

  it("uses what is left of the run's budget when given one", () => {
    const view = snapshot({ observedAt: now, branchEnis: [available("eni-a"), available("eni-b")] });

    const plan = planLeakDeletions([leakedRecord("eni-a"), leakedRecord("eni-b")], view, config, now, 1);

    expect(plan.actions.map((a) => a.eniId)).toEqual(["eni-a"]);
    expect(plan.held.map((h) => h.eniId)).toEqual(["eni-b"]);
  });

  it("holds a leaked record whose evidence is younger than the grace", () => {
    const view = snapshot({ observedAt: now, branchEnis: [available("eni-1")] });

    const plan = planLeakDeletions([leakedRecord("eni-1", secondsAfter(now, -60))], view, config, now);

    expect(plan.actions).toEqual([]);
    expect(plan.held[0]?.reason).toBe("eni-1 has not shown evidence for the 600 s grace yet.");
  });

  it("retries an interrupted deletion and ignores records that are not leaked", () => {
    const view = snapshot({ observedAt: now, branchEnis: [available("eni-1"), available("eni-2")] });

    const plan = planLeakDeletions(
      [leakedRecord("eni-1", T0, "deleting"), leakedRecord("eni-2", T0, "suspect")],
      view,
      config,
      now,
    );

    expect(plan.actions.map((a) => a.eniId)).toEqual(["eni-1"]);
    expect(plan.held).toEqual([]);
  });

  it("holds a leaked ENI this snapshot did not look at", () => {
    const view = snapshot({ observedAt: now, scope: { kind: "eni", ids: ["eni-2"] } });

    const plan = planLeakDeletions([leakedRecord("eni-1")], view, config, now);

    expect(plan.held).toEqual([
      { eniId: "eni-1", reason: "eni-1 is not in this snapshot, so its evidence cannot be confirmed." },
    ]);
  });
});

describe("deletion safety over random snapshots (property)", () => {
  const eniIds = ["eni-0", "eni-1", "eni-2", "eni-3", "eni-4"];
  const trunkIds = ["eni-trunk-0", "eni-trunk-1"];
  const instanceIds = ["i-0", "i-1"];

  /** Mostly `usual`, sometimes any of `others`: keeps the interesting worlds (owned, in use, leaked records) common. */
  const mostly = <T>(usual: T, ...others: T[]) =>
    fc.oneof({ arbitrary: fc.constant(usual), weight: 3 }, { arbitrary: fc.constantFrom(usual, ...others), weight: 1 });

  const arbitraryEni = (eniId: string) =>
    fc
      .record({
        owner: mostly<string | undefined>(TAGS.eniOwnerVpcResourceController, "amazon-vpc-cni", undefined),
        description: mostly("aws-k8s-branch-eni", "aws-K8S-i-0", "aws-k8s-trunk-eni"),
        skip: mostly(false, true),
        status: fc.constantFrom("available", "in-use", "in-use", "attaching"),
        trunk: fc.option(fc.constantFrom(...trunkIds), { freq: 4 }),
        instance: fc.option(fc.constantFrom(...instanceIds)),
      })
      .map(
        (e): ObservedEni => ({
          ...branchEni(eniId, { status: e.status, description: e.description }),
          tags: {
            ...(e.owner === undefined ? {} : { [TAGS.eniOwner]: e.owner }),
            ...(e.skip ? { [TAGS.skip]: "" } : {}),
            ...(e.trunk === null ? {} : { [TAGS.trunkEniId]: e.trunk }),
            ...(e.instance === null ? {} : { [TAGS.instanceId]: e.instance }),
          },
        }),
      );

  const world = fc
    .record({
      enis: fc.tuple(...eniIds.map(arbitraryEni)),
      present: fc.subarray(eniIds),
      trunks: fc.subarray(trunkIds),
      trunkInstance: fc.tuple(fc.constantFrom(...instanceIds), fc.constantFrom(...instanceIds)),
      associated: fc.subarray(eniIds),
      instanceStates: fc.tuple(
        fc.constantFrom("running", "stopped", "shutting-down", "terminated"),
        fc.constantFrom("running", "stopped", "shutting-down", "terminated"),
      ),
      instancesListed: fc.subarray(instanceIds),
      incomplete: fc.uniqueArray(fc.constantFrom(...SNAPSHOT_PARTS), { maxLength: 2 }),
      clusterStatus: fc.constantFrom("active", "deleted", "unknown") as fc.Arbitrary<"active" | "deleted" | "unknown">,
      scoped: fc.boolean(),
      lookedUp: fc.subarray([...eniIds, ...trunkIds]),
      recordStates: fc.tuple(...eniIds.map(() => mostly<BranchEniState>("leaked", ...BRANCH_ENI_STATES))),
      recordAge: fc.integer({ min: 0, max: 7200 }),
    })
    .map((w) => {
      const enis = w.enis.filter((eni) => w.present.includes(eni.eniId));
      const view = snapshot({
        observedAt: now,
        cluster: { status: w.clusterStatus },
        ...(w.scoped ? { scope: { kind: "instance", ids: ["i-0"] }, lookedUp: { eniIds: w.lookedUp } } : {}),
        branchEnis: enis,
        trunkEnis: w.trunks.map((id, index) => trunkEni(id, w.trunkInstance[index] ?? "i-0")),
        associations: w.associated.map((id) => association(id, "eni-trunk-0")),
        instances: w.instancesListed.map((id) => instance(id, w.instanceStates[instanceIds.indexOf(id)])),
        incomplete: Object.fromEntries(w.incomplete.map((part): [SnapshotPart, string] => [part, "failed"])),
      });
      const records = new Map(
        w.enis.map((eni, index) => [
          eni.eniId,
          leakedRecord(eni.eniId, secondsAfter(now, -w.recordAge), w.recordStates[index] ?? "leaked"),
        ]),
      );
      return { view, records };
    });

  /** Independent oracle of ownership: our owner tag, the branch description, no skip tag. */
  const ours = (eni: ObservedEni) =>
    eni.tags[TAGS.eniOwner] === TAGS.eniOwnerVpcResourceController &&
    eni.description === "aws-k8s-branch-eni" &&
    !(TAGS.skip in eni.tags);

  /** Independent oracle of liveness: in use, its trunk observed, its instance not seen gone. */
  const live = (eni: ObservedEni, view: ReturnType<typeof snapshot>) => {
    const trunkId = eni.tags[TAGS.trunkEniId] ?? view.associations.get(eni.eniId)?.trunkEniId;
    const trunk = trunkId === undefined ? undefined : view.trunkEnis.get(trunkId);
    const instanceId = eni.tags[TAGS.instanceId] ?? trunk?.attachment?.instanceId;
    const state = instanceId === undefined ? undefined : view.instances.get(instanceId)?.state;
    return eni.status === "in-use" && trunk !== undefined && state !== "shutting-down" && state !== "terminated";
  };

  it("never plans a delete for a foreign, skip-tagged or live ENI, nor on a partial branch ENI read", () => {
    let planned = 0;

    fc.assert(
      fc.property(world, ({ view, records }) => {
        const pass = { now, passId: "p-now", cause: "sweep:p-now" };

        const viaPlan = planCluster(view, records, pass, config).actions.filter((a) => a.kind === "delete-eni");
        const direct = planLeakDeletions(records.values(), view, config, now).actions;

        planned += viaPlan.length + direct.length;
        for (const action of [...viaPlan, ...direct]) {
          const eni = view.branchEnis.get(action.eniId);
          expect(eni).toBeDefined();
          if (eni === undefined) continue;
          expect(ours(eni)).toBe(true);
          expect(live(eni, view)).toBe(false);
          expect(view.incomplete.has("branch-enis")).toBe(false);
        }
      }),
      { numRuns: 400 },
    );

    // The worlds must include real deletions, or the property above would hold vacuously.
    expect(planned).toBeGreaterThan(0);
  });
});
