import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Config } from "../../core/config.ts";
import type { PassInfo } from "../../core/decide/eni-lifecycle.ts";
import { planCluster } from "../../core/decide/reconcile-plan.ts";
import { SNAPSHOT_PARTS, type SnapshotPart } from "../../core/model/cluster-snapshot.ts";
import type { EniRecord } from "../../core/model/eni-record.ts";
import type { ObservedEni, SecurityGroupRule } from "../../core/model/observed.ts";
import { BRANCH_ENI_DESCRIPTION, clusterTagKey, LBC_RULE_DESCRIPTION, TAGS } from "../../core/model/tags.ts";
import {
  branchEni,
  CLUSTER,
  instance,
  loadBalancer,
  secondsAfter,
  securityGroup,
  snapshot,
  T0,
  targetGroup,
  testConfig,
  trunkEni,
  withoutTag,
} from "../support/snapshot-builders.ts";

/**
 * planCluster over random small clusters: what one pass decides must never break a safety rule,
 * whatever the account looks like, whatever Branchkeeper remembers, whatever failed to read.
 */

const NOW = secondsAfter(T0, 3600);
const GRACE = 600;
const PASS: PassInfo = { now: NOW, passId: "sweep-now", cause: "sweep:sweep-now" };
const BACKEND = "sg-backend";
const GROUPS = ["sg-a", "sg-b", "sg-c", "sg-d"] as const;
const KEY = clusterTagKey(CLUSTER);

const instanceArb = fc.record({
  id: fc.constantFrom("i-1", "i-2", "i-3"),
  state: fc.constantFrom("running", "running", "pending", "stopping", "stopped", "shutting-down", "terminated"),
  /** Whether its trunk ENI still exists (EC2 deletes it with the instance). */
  trunk: fc.boolean(),
});

const groupArb = fc.record({
  tagged: fc.boolean(),
  marker: fc.boolean(),
  skip: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  preferred: fc.boolean(),
});

const eniArb = fc.record({
  owner: fc.oneof(
    { weight: 8, arbitrary: fc.constant("eks-vpc-resource-controller") },
    fc.constantFrom("amazon-vpc-cni", undefined),
  ),
  description: fc.oneof(
    { weight: 8, arbitrary: fc.constant(BRANCH_ENI_DESCRIPTION) },
    fc.constantFrom("aws-K8S-i-1", "", "aws-k8s-trunk-eni"),
  ),
  status: fc.constantFrom("in-use", "in-use", "available", "attaching"),
  node: fc.constantFrom("i-1", "i-2", "i-3"),
  instanceTag: fc.boolean(),
  trunkTag: fc.oneof({ weight: 5, arbitrary: fc.constant("node") }, fc.constantFrom("none", "unknown-trunk")),
  associated: fc.boolean(),
  skip: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, fc.constant(true)),
  groups: fc.subarray([...GROUPS], { minLength: 1, maxLength: 3 }),
  /** What Branchkeeper remembers of it. */
  record: fc.option(
    fc.record({
      state: fc.constantFrom("associated", "detached", "suspect", "suspect", "leaked", "leaked", "deleting"),
      evidenceAgeSeconds: fc.option(fc.integer({ min: 0, max: 3 * GRACE })),
      samePass: fc.boolean(),
    }),
  ),
  /** A target of the ip target group, on this port. */
  target: fc.option(fc.constantFrom(8080, 9000)),
});

const worldArb = fc.record({
  instances: fc.uniqueArray(instanceArb, { selector: (i) => i.id, minLength: 1, maxLength: 3 }),
  groups: fc.tuple(groupArb, groupArb, groupArb, groupArb),
  enis: fc.array(eniArb, { maxLength: 8 }),
  clusterStatus: fc.constantFrom("active", "active", "active", "deleted"),
  incomplete: fc.subarray([...SNAPSHOT_PARTS], { maxLength: 2 }),
  /** Labelled rules on the groups: (group index, from, to, source is backend). */
  rules: fc.array(
    fc.record({
      group: fc.integer({ min: 0, max: 3 }),
      from: fc.constantFrom(7000, 8080, 9000),
      width: fc.constantFrom(0, 0, 920),
      fromBackend: fc.boolean(),
      labelled: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
  retag: fc.constantFrom("off", "add-missing", "enforce"),
  backendRules: fc.constantFrom("report", "repair", "repair"),
  budget: fc.integer({ min: 0, max: 5 }),
});

type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

const build = (w: World) => {
  const enis: ObservedEni[] = w.enis.map((e, i) => {
    const id = `eni-${String(i).padStart(2, "0")}`;
    let eni = branchEni(id, {
      status: e.status,
      description: e.description,
      securityGroupIds: e.groups,
      privateIps: [`10.0.1.${i + 1}`],
      extraTags: {
        ...(e.trunkTag === "node" ? { [TAGS.trunkEniId]: `eni-trunk-${e.node}` } : {}),
        ...(e.trunkTag === "unknown-trunk" ? { [TAGS.trunkEniId]: "eni-trunk-gone" } : {}),
        ...(e.instanceTag ? { [TAGS.instanceId]: e.node } : {}),
        ...(e.skip ? { [TAGS.skip]: "true" } : {}),
      },
    });
    if (e.trunkTag === "none") eni = withoutTag(eni, TAGS.trunkEniId);
    if (e.owner === undefined) eni = withoutTag(eni, TAGS.eniOwner);
    else eni = { ...eni, tags: { ...eni.tags, [TAGS.eniOwner]: e.owner } };
    return eni;
  });
  const liveTrunks = w.instances.filter((i) => i.trunk).map((i) => trunkEni(`eni-trunk-${i.id}`, i.id));
  const associations = w.enis.flatMap((e, i) =>
    e.associated && liveTrunks.some((t) => t.eniId === `eni-trunk-${e.node}`)
      ? [
          {
            associationId: `assoc-${i}`,
            branchEniId: enis[i]?.eniId ?? "",
            trunkEniId: `eni-trunk-${e.node}`,
            vlanId: i + 1,
          },
        ]
      : [],
  );
  const rules: SecurityGroupRule[] = w.rules.map((r, i) => ({
    ruleId: `sgr-${i}`,
    groupId: GROUPS[r.group] ?? "sg-a",
    protocol: "tcp",
    fromPort: r.from,
    toPort: r.from + r.width,
    sourceGroupId: r.fromBackend ? BACKEND : "sg-other",
    ...(r.labelled ? { description: LBC_RULE_DESCRIPTION } : {}),
  }));
  const groups = GROUPS.map((id, i) => {
    const g = w.groups[i] ?? { tagged: false, marker: false, skip: false, preferred: false };
    return securityGroup(
      id,
      {
        ...(g.tagged ? { [KEY]: "shared" } : {}),
        ...(g.tagged && g.marker ? { [TAGS.taggedBy]: "branchkeeper" } : {}),
        ...(g.skip ? { [TAGS.skip]: "true" } : {}),
        ...(g.preferred ? { [TAGS.preferred]: "true" } : {}),
      },
      rules.filter((r) => r.groupId === id),
    );
  });
  const targets = w.enis.flatMap((e, i) => (e.target === null ? [] : [{ id: `10.0.1.${i + 1}`, port: e.target }]));
  const snap = snapshot({
    observedAt: NOW,
    cluster: { status: w.clusterStatus as "active" | "deleted" },
    incomplete: Object.fromEntries(w.incomplete.map((part) => [part, "injected failure"])),
    branchEnis: enis,
    trunkEnis: liveTrunks,
    associations,
    instances: w.instances.map((i) => instance(i.id, i.state)),
    securityGroups: [...groups, securityGroup(BACKEND)],
    backendSecurityGroupId: BACKEND,
    loadBalancers: [loadBalancer("arn:lb/app-1", [BACKEND])],
    targetGroups: [targetGroup({ arn: "arn:tg/app/1", protocol: "HTTP", targets })],
  });
  const records = new Map<string, EniRecord>();
  w.enis.forEach((e, i) => {
    const eni = enis[i];
    if (!eni || e.record === null) return;
    const evidence =
      e.record.evidenceAgeSeconds === null
        ? undefined
        : {
            kind: "available" as const,
            detail: "status is available",
            firstRecordedAt: secondsAfter(NOW, -e.record.evidenceAgeSeconds).toISOString(),
            // Only a `suspect` record can carry evidence first seen in this very pass (retried in it).
            firstPassId: e.record.samePass && e.record.state === "suspect" ? PASS.passId : "sweep-earlier",
          };
    const at = secondsAfter(NOW, -3 * GRACE).toISOString();
    records.set(eni.eniId, {
      eniId: eni.eniId,
      cluster: CLUSTER,
      state: e.record.state as EniRecord["state"],
      reason: "generated",
      stateSince: at,
      securityGroupIds: [...eni.securityGroupIds],
      firstSeenAt: at,
      lastSeenAt: at,
      observedAt: secondsAfter(NOW, -60).toISOString(),
      version: 1,
      ...(evidence ? { evidence } : {}),
    });
  });
  const config: Config = testConfig({
    leakGraceSeconds: GRACE,
    retag: w.retag as Config["retag"],
    backendRules: w.backendRules as Config["backendRules"],
  });
  return { snap, records, config, enis };
};

const GONE = new Set(["shutting-down", "terminated"]);

describe("planCluster over random clusters (fast-check)", () => {
  const seen = { deletions: 0, tags: 0, authorizations: 0, revocations: 0 };

  it("never deletes a live, foreign, skip-tagged or unconfirmed branch ENI, and never more than the budget", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { snap, records, config } = build(w);
        const plan = planCluster(snap, records, PASS, config, { deleteBudget: w.budget });
        const decided = new Map(plan.records.map((d) => [d.record.eniId, d.record]));
        const deletions = plan.actions.flatMap((a) => (a.kind === "delete-eni" ? [a] : []));
        seen.deletions += deletions.length;

        expect(deletions.length).toBeLessThanOrEqual(w.budget);
        if (snap.incomplete.has("branch-enis")) expect(deletions).toEqual([]);
        for (const action of deletions) {
          const eni = snap.branchEnis.get(action.eniId);
          expect(eni).toBeDefined();
          if (!eni) continue;
          // Ours, and not skipped.
          expect(eni.tags[TAGS.eniOwner]).toBe(TAGS.eniOwnerVpcResourceController);
          expect(eni.description).toBe(BRANCH_ENI_DESCRIPTION);
          expect(eni.tags[TAGS.skip]).toBeUndefined();
          // Never a live one: in use over a trunk that exists, on a node not known to be gone.
          const trunkId = eni.tags[TAGS.trunkEniId] ?? snap.associations.get(eni.eniId)?.trunkEniId;
          const trunk = trunkId === undefined ? undefined : snap.trunkEnis.get(trunkId);
          const node = eni.tags[TAGS.instanceId] ?? trunk?.attachment?.instanceId;
          const nodeGone = node !== undefined && GONE.has(snap.instances.get(node)?.state ?? "");
          expect(eni.status === "in-use" && trunk !== undefined && !nodeGone).toBe(false);
          // Evidence first recorded, persisted, past the grace, in an earlier pass.
          const record = decided.get(action.eniId) ?? records.get(action.eniId);
          expect(["leaked", "deleting"]).toContain(record?.state);
          const since = Date.parse(record?.evidence?.firstRecordedAt ?? "");
          expect(NOW.getTime() - since).toBeGreaterThanOrEqual(GRACE * 1000);
          expect(record?.evidence?.firstPassId).not.toBe(PASS.passId);
        }
      }),
      { numRuns: 400, seed: 20261121 },
    );
    expect(seen.deletions).toBeGreaterThan(20);
  });

  it("leaves every port a current target needs allowed, and revokes only complete-view, labelled, unskipped rules", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { snap, config } = build(w);
        const plan = planCluster(snap, new Map(), PASS, config);
        const authorized = plan.actions.flatMap((a) => (a.kind === "authorize-rule" ? [a.rule] : []));
        const revoked = plan.actions.flatMap((a) => (a.kind === "revoke-rule" ? [a.rule] : []));
        seen.authorizations += authorized.length;
        seen.revocations += revoked.length;
        const before = [...snap.securityGroups.values()].flatMap((g) => g.ingress);
        const revokedIds = new Set(revoked.map((r) => r.ruleId));
        const after = [...before.filter((r) => !revokedIds.has(r.ruleId)), ...authorized];
        const covers = (
          rules: readonly { groupId: string; fromPort: number; toPort: number; sourceGroupId?: string }[],
          need: { group: string; port: number },
        ) =>
          rules.some(
            (r) =>
              r.groupId === need.group &&
              r.sourceGroupId === BACKEND &&
              r.fromPort <= need.port &&
              need.port <= r.toPort,
          );

        for (const rule of revoked) {
          expect(rule.description).toBe(LBC_RULE_DESCRIPTION);
          expect(TAGS.skip in (snap.securityGroups.get(rule.groupId)?.tags ?? {})).toBe(false);
          for (const part of ["security-groups", "target-groups", "load-balancers", "target-enis"] as SnapshotPart[]) {
            expect(snap.incomplete.has(part)).toBe(false);
          }
        }
        // What current targets need, resolved as the LBC does for the simple cases (one group, or one
        // tagged). A deleted cluster has no current targets: its rules go, so its groups can be deleted.
        const targets = snap.cluster.status === "active" ? snap.targetGroups.flatMap((g) => g.targets) : [];
        for (const target of targets) {
          const eni = [...snap.branchEnis.values()].find((e) => e.privateIps.includes(target.id));
          if (!eni) continue;
          const tagged = eni.securityGroupIds.filter((id) => KEY in (snap.securityGroups.get(id)?.tags ?? {}));
          const group =
            eni.securityGroupIds.length === 1 ? eni.securityGroupIds[0] : tagged.length === 1 ? tagged[0] : undefined;
          if (group === undefined) continue;
          const need = { group, port: target.port };
          if (covers(before, need)) expect(covers(after, need)).toBe(true);
        }
      }),
      { numRuns: 400, seed: 20261122 },
    );
    expect(seen.authorizations).toBeGreaterThan(20);
    expect(seen.revocations).toBeGreaterThan(10);
  });

  it("never leaves a branch ENI that had exactly one cluster-tagged group with none or two, and never touches a skip-tagged group", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { snap, config } = build(w);
        const plan = planCluster(snap, new Map(), PASS, config);
        const tags = new Set([...snap.securityGroups.values()].filter((g) => KEY in g.tags).map((g) => g.groupId));
        const after = new Set(tags);
        for (const action of plan.actions) {
          if (action.kind !== "tag-sg" && action.kind !== "untag-sg") continue;
          seen.tags += 1;
          const group = snap.securityGroups.get(action.groupId);
          expect(TAGS.skip in (group?.tags ?? {})).toBe(false);
          if (action.kind === "untag-sg" && config.retag !== "enforce")
            expect(TAGS.taggedBy in (group?.tags ?? {})).toBe(true);
          if (action.kind === "tag-sg") after.add(action.groupId);
          else after.delete(action.groupId);
        }
        if (config.retag === "off")
          expect(plan.actions.filter((a) => a.kind === "tag-sg" || a.kind === "untag-sg")).toEqual([]);
        for (const eni of snap.branchEnis.values()) {
          const groups = [...new Set(eni.securityGroupIds)];
          if (groups.length < 2) continue;
          const count = (set: Set<string>) => groups.filter((id) => set.has(id)).length;
          if (count(tags) === 1) expect(count(after)).toBe(1);
        }
      }),
      { numRuns: 400, seed: 20261123 },
    );
    expect(seen.tags).toBeGreaterThan(20);
  });
});

describe("planCluster: counter-examples fast-check found, kept as named cases", () => {
  it("revokes a deleted cluster's backend rules even while its target group still lists a target (its groups must become deletable)", () => {
    // Shrunk from the coverage property: a deleted cluster has no current targets, whatever ELBv2 still lists.
    const eni = branchEni("eni-00", { securityGroupIds: ["sg-c"], privateIps: ["10.0.1.1"] });
    const stale: SecurityGroupRule = {
      ruleId: "sgr-0",
      groupId: "sg-c",
      protocol: "tcp",
      fromPort: 8080,
      toPort: 8080,
      sourceGroupId: BACKEND,
      description: LBC_RULE_DESCRIPTION,
    };
    const snap = snapshot({
      observedAt: NOW,
      cluster: { status: "deleted" },
      branchEnis: [eni],
      securityGroups: [securityGroup("sg-c", {}, [stale]), securityGroup(BACKEND)],
      backendSecurityGroupId: BACKEND,
      loadBalancers: [loadBalancer("arn:lb/app-1", [BACKEND])],
      targetGroups: [targetGroup({ arn: "arn:tg/app/1", targets: [{ id: "10.0.1.1", port: 8080 }] })],
    });

    const plan = planCluster(snap, new Map(), PASS, testConfig());

    expect(
      plan.actions.filter((a) => a.kind === "revoke-rule").map((a) => a.kind === "revoke-rule" && a.rule.ruleId),
    ).toEqual(["sgr-0"]);
    expect(plan.actions.filter((a) => a.kind === "authorize-rule")).toEqual([]);
  });
});
