import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideClusterTags } from "../../../core/decide/cluster-tags.ts";
import type { ObservedSecurityGroup, Tags } from "../../../core/model/observed.ts";
import { TAGS } from "../../../core/model/tags.ts";
import {
  branchEni,
  nodeEni,
  type SnapshotParts,
  securityGroup,
  snapshot,
  targetGroup,
  testConfig,
} from "../../support/snapshot-builders.ts";

const KEY = "kubernetes.io/cluster/alpha";
const tagged: Tags = { [KEY]: "owned" };
const ours: Tags = { [KEY]: "shared", [TAGS.taggedBy]: "branchkeeper" };
const addMissing = testConfig({ retag: "add-missing" });
const enforce = testConfig({ retag: "enforce" });

/** The tag changes of a decision, as [kind, group] pairs. */
const tagChanges = (decision: ReturnType<typeof decideClusterTags>) =>
  decision.actions.flatMap((a) => (a.kind === "tag-sg" || a.kind === "untag-sg" ? [[a.kind, a.groupId]] : []));

const pod = (eniId: string, ...groupIds: string[]) => branchEni(eniId, { securityGroupIds: groupIds });
const world = (groups: ObservedSecurityGroup[], parts: SnapshotParts) => snapshot({ securityGroups: groups, ...parts });

describe("decideClusterTags", () => {
  it("leaves an ENI with exactly one tagged group alone, and single-group ENIs too", () => {
    const view = world([securityGroup("sg-a", tagged), securityGroup("sg-b"), securityGroup("sg-c")], {
      branchEnis: [pod("eni-1", "sg-a", "sg-b"), pod("eni-2", "sg-c")],
    });

    const decision = decideClusterTags(view, addMissing);

    expect(decision).toEqual({ findings: [], actions: [] });
  });

  describe("no tagged group", () => {
    it("tags the lowest id and reports the LBC's own error", () => {
      const view = world([securityGroup("sg-b"), securityGroup("sg-a")], {
        branchEnis: [pod("eni-1", "sg-b", "sg-a")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([
        {
          kind: "tag-sg",
          cluster: "alpha",
          groupId: "sg-a",
          tagKey: KEY,
          reason: `Tag sg-a with ${KEY}=shared: eni-1 has no security group carrying ${KEY}, so the LBC cannot choose an endpoint group; sg-a is chosen because it has the lowest id.`,
        },
      ]);
      expect(decision.findings).toEqual([
        {
          cluster: "alpha",
          kind: "cluster-tag-missing",
          resourceId: "eni-1",
          detail: `expected exactly one securityGroup tagged with ${KEY} for eni eni-1, got: [] (clusterName: alpha)`,
          action: `tag sg-a with ${KEY}=shared`,
          observedAt: view.observedAt.toISOString(),
        },
      ]);
    });

    it("prefers a group tagged branchkeeper.io/preferred (the lowest of several)", () => {
      const view = world(
        [
          securityGroup("sg-a"),
          securityGroup("sg-c", { [TAGS.preferred]: "" }),
          securityGroup("sg-b", { [TAGS.preferred]: "" }),
        ],
        { branchEnis: [pod("eni-1", "sg-a", "sg-b", "sg-c")] },
      );

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([expect.objectContaining({ groupId: "sg-b" })]);
      expect(decision.actions[0]?.reason).toContain("because it is tagged branchkeeper.io/preferred");
    });

    it("then prefers the cluster security group", () => {
      const view = world([securityGroup("sg-a"), securityGroup("sg-cluster")], {
        branchEnis: [pod("eni-1", "sg-a", "sg-cluster")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([expect.objectContaining({ kind: "tag-sg", groupId: "sg-cluster" })]);
      expect(decision.actions[0]?.reason).toContain("because it is the cluster security group");
    });

    it("decides a group shared by many ENIs once, listing every ENI it fixes", () => {
      const view = world([securityGroup("sg-a"), securityGroup("sg-b")], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b"), pod("eni-2", "sg-a", "sg-b"), pod("eni-3", "sg-b", "sg-a")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toHaveLength(1);
      expect(decision.actions[0]?.reason).toContain("eni-1, eni-2 and eni-3 have no security group carrying");
      expect(decision.findings.map((f) => [f.resourceId, f.action])).toEqual([
        ["eni-1", `tag sg-a with ${KEY}=shared`],
        ["eni-2", `tag sg-a with ${KEY}=shared`],
        ["eni-3", `tag sg-a with ${KEY}=shared`],
      ]);
    });

    it("skips a candidate that would give another ENI two tagged groups", () => {
      const view = world([securityGroup("sg-a"), securityGroup("sg-b"), securityGroup("sg-c", tagged)], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b"), pod("eni-2", "sg-a", "sg-c")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([expect.objectContaining({ groupId: "sg-b" })]);
      expect(decision.actions[0]?.reason).toContain(
        "sg-b is chosen because it is the next lowest id (tagging sg-a would give eni-2 two tagged groups)",
      );
    });

    it("reports a conflict instead when every choice would break another ENI", () => {
      const view = world(
        [securityGroup("sg-a"), securityGroup("sg-b"), securityGroup("sg-c", tagged), securityGroup("sg-d", tagged)],
        { branchEnis: [pod("eni-1", "sg-a", "sg-b"), pod("eni-2", "sg-a", "sg-c"), pod("eni-3", "sg-b", "sg-d")] },
      );

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([]);
      expect(decision.findings).toEqual([
        expect.objectContaining({
          kind: "cluster-tag-conflict",
          resourceId: "eni-1",
          detail: `expected exactly one securityGroup tagged with ${KEY} for eni eni-1, got: [] (clusterName: alpha)`,
          action:
            "report only: tagging sg-a would give eni-2 two tagged groups; tagging sg-b would give eni-3 two tagged groups",
        }),
      ]);
    });

    it("never tags a skip-tagged group", () => {
      const view = world([securityGroup("sg-a", { [TAGS.skip]: "" }), securityGroup("sg-b")], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([expect.objectContaining({ groupId: "sg-b" })]);
    });

    it("reports an ENI whose groups are all skip-tagged", () => {
      const skip = { [TAGS.skip]: "" };
      const view = world([securityGroup("sg-a", skip), securityGroup("sg-b", skip)], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([]);
      expect(decision.findings[0]).toMatchObject({
        kind: "cluster-tag-missing",
        action: "report only: sg-a is tagged branchkeeper.io/skip; sg-b is tagged branchkeeper.io/skip",
      });
    });
  });

  describe("two or more tagged groups", () => {
    it("removes only Branchkeeper's own tag with RETAG=add-missing", () => {
      const view = world([securityGroup("sg-a", ours), securityGroup("sg-b", tagged)], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([
        {
          kind: "untag-sg",
          cluster: "alpha",
          groupId: "sg-a",
          tagKey: KEY,
          reason: `Remove ${KEY} from sg-a (added by Branchkeeper): eni-1 has more than one security group carrying it; sg-b keeps the tag because it was not tagged by Branchkeeper.`,
        },
      ]);
      expect(decision.findings).toEqual([
        expect.objectContaining({
          kind: "cluster-tag-conflict",
          detail: `expected exactly one securityGroup tagged with ${KEY} for eni eni-1, got: [sg-a sg-b] (clusterName: alpha)`,
          action: `remove ${KEY} from sg-a`,
        }),
      ]);
    });

    it("only reports with RETAG=add-missing when the tags are someone else's", () => {
      const view = world([securityGroup("sg-a", tagged), securityGroup("sg-b", tagged)], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      });

      const decision = decideClusterTags(view, addMissing);

      expect(decision.actions).toEqual([]);
      expect(decision.findings[0]?.action).toBe(
        "report only: RETAG=add-missing removes only tags Branchkeeper added; sg-a was not tagged by Branchkeeper and sg-b was not tagged by Branchkeeper",
      );
    });

    it("keeps the preferred group and removes the others with RETAG=enforce", () => {
      const view = world(
        [
          securityGroup("sg-a", tagged),
          securityGroup("sg-b", { ...tagged, [TAGS.preferred]: "" }),
          securityGroup("sg-c", tagged),
        ],
        { branchEnis: [pod("eni-1", "sg-a", "sg-b", "sg-c")] },
      );

      const decision = decideClusterTags(view, enforce);

      expect(tagChanges(decision)).toEqual([
        ["untag-sg", "sg-a"],
        ["untag-sg", "sg-c"],
      ]);
      expect(decision.actions[0]?.reason).toBe(
        `Remove ${KEY} from sg-a (RETAG=enforce): eni-1 has more than one security group carrying it; sg-b keeps the tag because it is tagged branchkeeper.io/preferred.`,
      );
    });

    it("keeps a skip-tagged group's tag, since it cannot be changed", () => {
      const view = world([securityGroup("sg-a", tagged), securityGroup("sg-b", { ...tagged, [TAGS.skip]: "" })], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      });

      const decision = decideClusterTags(view, enforce);

      expect(tagChanges(decision)).toEqual([["untag-sg", "sg-a"]]);
    });

    it("keeps another group when removing would leave another ENI without a tagged group", () => {
      const view = world([securityGroup("sg-a", tagged), securityGroup("sg-b", tagged), securityGroup("sg-c")], {
        branchEnis: [pod("eni-1", "sg-a", "sg-b"), pod("eni-2", "sg-b", "sg-c")],
      });

      const decision = decideClusterTags(view, enforce);

      expect(tagChanges(decision)).toEqual([["untag-sg", "sg-a"]]);
      expect(decision.actions[0]?.reason).toContain("sg-b keeps the tag because it is the next lowest id");
    });

    it("reports when every removal would leave another ENI without a tagged group", () => {
      const view = world(
        [securityGroup("sg-a", tagged), securityGroup("sg-b", tagged), securityGroup("sg-c"), securityGroup("sg-d")],
        { branchEnis: [pod("eni-1", "sg-a", "sg-b"), pod("eni-2", "sg-b", "sg-c"), pod("eni-3", "sg-a", "sg-d")] },
      );

      const decision = decideClusterTags(view, enforce);

      expect(decision.actions).toEqual([]);
      expect(decision.findings[0]?.action).toBe(
        "report only: untagging sg-b would leave eni-2 without a tagged group; untagging sg-a would leave eni-3 without a tagged group",
      );
    });
  });

  it("checks node primary ENIs behind instance-mode target groups, not other node ENIs", () => {
    const view = world([securityGroup("sg-n1"), securityGroup("sg-n2")], {
      targetEnis: [nodeEni("eni-node-1", "i-1", ["sg-n1", "sg-n2"]), nodeEni("eni-node-2", "i-2", ["sg-n1", "sg-n2"])],
      targetGroups: [
        targetGroup({ arn: "arn:tg/np/1", targetType: "instance", targets: [{ id: "i-1", port: 30080 }] }),
      ],
    });

    const decision = decideClusterTags(view, addMissing);

    expect(decision.findings.map((f) => f.resourceId)).toEqual(["eni-node-1"]);
    expect(decision.actions).toEqual([expect.objectContaining({ groupId: "sg-n1" })]);
  });

  it("only reports with RETAG=off", () => {
    const view = world([securityGroup("sg-a"), securityGroup("sg-b")], { branchEnis: [pod("eni-1", "sg-a", "sg-b")] });

    const decision = decideClusterTags(view, testConfig({ retag: "off" }));

    expect(decision.actions).toEqual([]);
    expect(decision.findings[0]).toMatchObject({ kind: "cluster-tag-missing", action: "report only (RETAG=off)" });
  });

  it("only reports when the security groups could not be read completely", () => {
    const view = world([securityGroup("sg-a", tagged), securityGroup("sg-b", tagged)], {
      branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      incomplete: { "security-groups": "throttled" },
    });

    const decision = decideClusterTags(view, enforce);

    expect(decision.actions).toEqual([]);
    expect(decision.findings[0]).toMatchObject({
      kind: "cluster-tag-conflict",
      action: "report only: security groups could not be read completely (throttled)",
    });
  });

  it("decides nothing from a scoped snapshot, which cannot see every ENI a change affects", () => {
    const view = world([securityGroup("sg-a"), securityGroup("sg-b")], {
      branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      scope: { kind: "security-group", ids: ["sg-a"] },
    });

    const decision = decideClusterTags(view, enforce);

    expect(decision).toEqual({ findings: [], actions: [] });
  });

  it("does nothing for a deleted cluster", () => {
    const view = world([securityGroup("sg-a"), securityGroup("sg-b")], {
      branchEnis: [pod("eni-1", "sg-a", "sg-b")],
      cluster: { status: "deleted" },
    });

    const decision = decideClusterTags(view, enforce);

    expect(decision).toEqual({ findings: [], actions: [] });
  });
});

describe("decideClusterTags over random tag layouts (property)", () => {
  const groupIds = ["sg-a", "sg-b", "sg-c", "sg-d", "sg-e", "sg-cluster"];
  const layout = fc.record({
    groups: fc.tuple(
      ...groupIds.map((id) =>
        fc.record({ tagged: fc.boolean(), ours: fc.boolean(), skip: fc.boolean(), preferred: fc.boolean() }).map(
          (g): ObservedSecurityGroup =>
            securityGroup(id, {
              ...(g.tagged ? { [KEY]: "owned" } : {}),
              ...(g.tagged && g.ours ? { [TAGS.taggedBy]: "branchkeeper" } : {}),
              ...(g.skip ? { [TAGS.skip]: "" } : {}),
              ...(g.preferred ? { [TAGS.preferred]: "" } : {}),
            }),
        ),
      ),
    ),
    enis: fc.array(fc.uniqueArray(fc.constantFrom(...groupIds), { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
    retag: fc.constantFrom("add-missing", "enforce") as fc.Arbitrary<"add-missing" | "enforce">,
  });

  it("leaves every multi-group ENI with exactly one tagged group, or reports it", () => {
    fc.assert(
      fc.property(layout, ({ groups, enis, retag }) => {
        const branchEnis = enis.map((ids, index) => pod(`eni-${index}`, ...ids));
        const view = world(groups, { branchEnis });

        const decision = decideClusterTags(view, testConfig({ retag }));

        const tagged = new Set(groups.filter((g) => KEY in g.tags).map((g) => g.groupId));
        const changes = decision.actions.flatMap((a) => (a.kind === "tag-sg" || a.kind === "untag-sg" ? [a] : []));
        expect(changes).toHaveLength(decision.actions.length);
        expect(new Set(changes.map((c) => c.groupId)).size).toBe(changes.length);
        for (const change of changes) {
          const group = groups.find((g) => g.groupId === change.groupId);
          expect(group !== undefined && TAGS.skip in group.tags).toBe(false);
          if (change.kind === "untag-sg" && retag === "add-missing") {
            expect(group?.tags[TAGS.taggedBy]).toBe("branchkeeper");
          }
          if (change.kind === "tag-sg") tagged.add(change.groupId);
          else tagged.delete(change.groupId);
        }
        const reported = new Set(decision.findings.map((f) => f.resourceId));
        for (const eni of branchEnis) {
          const ids = new Set(eni.securityGroupIds);
          if (ids.size < 2) continue;
          const count = [...ids].filter((id) => tagged.has(id)).length;
          expect(count === 1 || reported.has(eni.eniId)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
