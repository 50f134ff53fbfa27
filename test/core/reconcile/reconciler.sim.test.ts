import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { interpretEvent } from "../../../core/events/interpret-event.ts";
import { clusterTagKey } from "../../../core/model/tags.ts";
import { hasErrors } from "../../../core/reconcile/pass-summary.ts";
import { type Harness, startHarness } from "../../support/reconciler-harness.ts";
import { setFaults, simControl } from "../../support/sim-clients.ts";

const GRACE = 600;

describe("Reconciler on the demo account", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  const reclaimable = () => h.demo.leakedEniIds.filter((id) => id !== h.demo.traps.skipTaggedEniId);
  const liveBranches = () => [...h.demo.clusters.alpha.branchEniIds, ...h.demo.clusters.beta.branchEniIds];

  it("in dry-run decides and records everything and changes nothing in EC2", async () => {
    const { reconciler, store } = h.compose({ MODE: "dry-run" });
    await simControl(h.sim.endpoint, "/_sim/stats", { method: "DELETE" });

    await reconciler.sweep();
    h.advance(GRACE + 1);
    const second = await reconciler.sweep();

    const stats = await simControl<{ calls: Record<string, number> }>(h.sim.endpoint, "/_sim/stats");
    const mutations = Object.keys(stats.calls).filter(
      (key) => key.startsWith("ec2:") && !key.startsWith("ec2:Describe"),
    );
    expect(mutations).toEqual([]);
    expect(await h.existingEnis(h.demo.leakedEniIds)).toEqual(h.demo.leakedEniIds);
    const leaked = await store.listEnis("alpha", { state: "leaked", limit: 500 });
    expect(leaked.items.map((r) => r.eniId).sort()).toEqual([...h.demo.damage.terminatedNode.leakedEniIds].sort());
    const deletes = second.clusters.reduce((n, c) => n + (c.actions["delete-eni"]?.["dry-run"] ?? 0), 0);
    expect(deletes).toBe(reclaimable().length);
    const audit = await store.listActions({ kind: "delete-eni", limit: 500 });
    expect(audit.items.every((a) => a.mode === "dry-run" && a.outcome === "dry-run")).toBe(true);
  });

  it("in enforce reclaims leaked branch ENIs only after the grace, in a later pass, and never a live or foreign one", async () => {
    const { reconciler } = h.compose({ MODE: "enforce" });

    const first = await reconciler.sweep();
    const afterFirst = await h.existingEnis(h.demo.leakedEniIds);
    h.advance(GRACE + 1);
    await reconciler.sweep();

    expect(afterFirst).toEqual(h.demo.leakedEniIds);
    expect(first.clusters.every((c) => !c.actions["delete-eni"])).toBe(true);
    expect(await h.existingEnis(h.demo.leakedEniIds)).toEqual([h.demo.traps.skipTaggedEniId]);
    const traps = [h.demo.traps.unattachedVpcCniEniId, h.demo.traps.impostorEniId];
    expect(await h.existingEnis(traps)).toEqual(traps);
    expect(await h.existingEnis(liveBranches())).toEqual(liveBranches());
  });

  it("resumes a grace that started before a restart: the evidence is persisted", async () => {
    await h.compose({ MODE: "enforce" }).reconciler.sweep();
    h.advance(GRACE + 1);

    await h.compose({ MODE: "enforce" }).reconciler.sweep();

    expect(await h.existingEnis(reclaimable())).toEqual([]);
  });

  it("deletes nothing when the branch ENI read is partial", async () => {
    const { reconciler } = h.compose({ MODE: "enforce" });
    await reconciler.sweep();
    h.advance(GRACE + 1);
    await setFaults(h.sim.endpoint, { errors: [{ action: "ec2:DescribeNetworkInterfaces", rate: 1 }] });

    const summary = await reconciler.sweep();

    await setFaults(h.sim.endpoint, {});
    expect(summary.clusters.find((c) => c.cluster === "alpha")?.incomplete).toContain("branch-enis");
    expect(await h.existingEnis(h.demo.leakedEniIds)).toEqual(h.demo.leakedEniIds);
  });

  it("gives a zero-tag ENI exactly one cluster-tagged SG and resolves a two-tag ENI with RETAG=enforce", async () => {
    const { reconciler } = h.compose({ MODE: "enforce", RETAG: "enforce" });
    const key = clusterTagKey("alpha");
    const taggedAmong = async (groupIds: readonly string[]) => {
      const answer = await h.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...groupIds] }));
      return (answer.SecurityGroups ?? []).filter((g) => g.Tags?.some((t) => t.Key === key)).map((g) => g.GroupId);
    };

    await reconciler.sweep();

    expect(await taggedAmong(h.demo.damage.zeroClusterTagEni.securityGroupIds)).toHaveLength(1);
    expect(await taggedAmong(h.demo.damage.twoClusterTagEni.securityGroupIds)).toHaveLength(1);
  });

  it("restores a revoked backend rule, revokes a stale one and cleans a deleted cluster's rules so its SG can be deleted", async () => {
    const { reconciler } = h.compose({ MODE: "enforce" });
    const key = (r: { groupId: string; protocol: string; fromPort: number; toPort: number; sourceGroupId: string }) =>
      `${r.groupId}|${r.protocol}|${r.fromPort}-${r.toPort}|${r.sourceGroupId}`;

    await reconciler.sweep();

    const rules = await h.backendRules();
    expect(rules.has(key(h.demo.damage.missingBackendRule.rule))).toBe(true);
    expect(rules.has(key(h.demo.damage.staleBackendRule.rule))).toBe(false);
    for (const rule of h.demo.damage.deletedCluster.leftoverRules) expect(rules.has(key(rule))).toBe(false);
    expect(rules).toEqual(new Set(h.demo.expectedBackendRules.map(key)));
    h.advance(GRACE + 1);
    await reconciler.sweep();
    await expect(
      h.clients.ec2.send(
        new DeleteSecurityGroupCommand({ GroupId: h.demo.damage.deletedCluster.backendSecurityGroupId }),
      ),
    ).resolves.toBeDefined();
  });

  it("lets an event pass reuse the last discovery, but asks EKS afresh for a cluster an event names", async () => {
    const { reconciler } = h.compose({ MODE: "dry-run" });
    await reconciler.sweep();
    const live = h.demo.clusters.alpha.branchEniIds[0] as string;
    await simControl(h.sim.endpoint, "/_sim/stats", { method: "DELETE" });

    await reconciler.handleTrigger({
      eventId: "e-1",
      eventTime: "2026-11-21T10:00:00Z",
      scopes: [{ kind: "eni", ids: [live] }],
      reason: "test",
    });
    const scoped = await simControl<{ calls: Record<string, number> }>(h.sim.endpoint, "/_sim/stats");
    await reconciler.handleTrigger({
      eventId: "e-2",
      eventTime: "2026-11-21T10:00:01Z",
      clusters: ["gamma"],
      scopes: [{ kind: "full" }],
      reason: "test",
    });
    const named = await simControl<{ calls: Record<string, number> }>(h.sim.endpoint, "/_sim/stats");

    expect(scoped.calls["eks:ListClusters"]).toBeUndefined();
    expect(scoped.calls["eks:DescribeCluster"]).toBeUndefined();
    expect(scoped.calls["ec2:DescribeNetworkInterfaces"]).toBeLessThanOrEqual(2);
    expect(named.calls["eks:DescribeCluster"]).toBe(1);
  });

  it("reports a cluster EKS could not be asked about as an error, so an event for it is retried, and decides nothing", async () => {
    const { reconciler, store } = h.compose({ MODE: "enforce" });
    await setFaults(h.sim.endpoint, { errors: [{ action: "eks:DescribeCluster", rate: 1 }] });

    const summary = await reconciler.handleTrigger({
      eventId: "e-unknown",
      eventTime: "2026-11-21T10:00:00Z",
      clusters: ["alpha"],
      scopes: [{ kind: "full" }],
      reason: "test",
    });

    await setFaults(h.sim.endpoint, {});
    expect(hasErrors(summary)).toBe(true);
    expect(summary.clusters).toMatchObject([
      { cluster: "alpha", status: "unknown", skipped: expect.stringContaining("EKS") },
    ]);
    expect((await store.listEnis("alpha", { limit: 10 })).items).toEqual([]);
  });

  it("spends the lower bound of ENI describe pages per sweep, and its own CloudTrail events cause no work", async () => {
    const composed = h.compose({ MODE: "enforce" });
    await composed.reconciler.sweep();
    const cursor = (await simControl<{ cursor: string }>(h.sim.endpoint, "/_sim/events?after=0")).cursor;
    h.advance(GRACE + 1);
    await simControl(h.sim.endpoint, "/_sim/stats", { method: "DELETE" });

    await composed.reconciler.sweep();

    const stats = await simControl<{ calls: Record<string, number> }>(h.sim.endpoint, "/_sim/stats");
    // One page of owned ENIs (the demo holds far fewer than 1,000), at most two target-ENI lookups,
    // and the fresh re-describe of each deleted ENI and its trunk.
    const deletions = reclaimable().length;
    expect(stats.calls["ec2:DeleteNetworkInterface"]).toBe(deletions);
    expect(stats.calls["ec2:DescribeNetworkInterfaces"]).toBeLessThanOrEqual(1 + 2 + 2 * deletions);
    const identity = await composed.identity.callerIdentity();
    const events = await simControl<{ events: unknown[] }>(h.sim.endpoint, `/_sim/events?after=${cursor}`);
    const interpretations = events.events.map((event) => interpretEvent(event, identity));
    expect(interpretations.length).toBeGreaterThan(0);
    expect(interpretations.filter((i) => i.kind === "trigger")).toEqual([]);
  });
});
