import type { Config } from "../config.ts";
import type { ClusterSnapshot } from "../model/cluster-snapshot.ts";
import type { Finding } from "../model/finding.ts";
import type { PlannedAction } from "../model/planned-action.ts";
import { clusterTagKey, TAGS } from "../model/tags.ts";
import { endpointSecurityGroupError } from "./lbc-endpoint-security-group.ts";
import { compareText, listInWords, sortedUnique } from "./ordering.ts";

export interface ClusterTagDecision {
  /** One per ENI whose groups do not carry the cluster tag exactly once, by ENI id. */
  readonly findings: readonly Finding[];
  /** `tag-sg` then `untag-sg` actions, at most one per security group, by group id. */
  readonly actions: readonly PlannedAction[];
}

/** An ENI the invariant applies to: a multi-SG branch ENI, or a multi-SG node primary ENI serving instance targets. */
interface CheckedEni {
  readonly eniId: string;
  readonly groupIds: readonly string[];
}

interface TagChange {
  readonly kind: "tag-sg" | "untag-sg";
  /** Why this group, in words that finish "… because". */
  readonly because: string;
}

const checkedEnis = (snapshot: ClusterSnapshot): CheckedEni[] => {
  const checked = new Map<string, CheckedEni>();
  const consider = (eniId: string, groupIds: readonly string[]) => {
    const unique = sortedUnique(groupIds);
    if (unique.length >= 2) checked.set(eniId, { eniId, groupIds: unique });
  };
  for (const eni of snapshot.branchEnis.values()) consider(eni.eniId, eni.securityGroupIds);
  const instanceTargets = new Set(
    snapshot.targetGroups
      .filter((group) => group.targetType === "instance")
      .flatMap((group) => group.targets.map((t) => t.id)),
  );
  for (const eni of snapshot.targetEnis.values()) {
    const instanceId = eni.attachment?.instanceId;
    if (instanceId !== undefined && eni.attachment?.deviceIndex === 0 && instanceTargets.has(instanceId)) {
      consider(eni.eniId, eni.securityGroupIds);
    }
  }
  // An ENI with a group we did not see cannot be judged: its tags are unknown.
  return [...checked.values()]
    .filter((eni) => eni.groupIds.every((id) => snapshot.securityGroups.has(id)))
    .sort((a, b) => compareText(a.eniId, b.eniId));
};

/**
 * Keep the LBC's cluster-tag invariant (DOMAIN.md §3): every multi-SG branch ENI, and every multi-SG
 * node primary ENI behind an instance-mode target group, has exactly one group carrying the key
 * `kubernetes.io/cluster/<cluster>`.
 *
 * None tagged: tag one group, preferring one tagged `branchkeeper.io/preferred` (lowest id first),
 * then the cluster security group, then the lowest id. Two or more: with `RETAG=add-missing` remove
 * only tags Branchkeeper added (marker `branchkeeper.io/tagged-by`) when that leaves exactly one;
 * with `RETAG=enforce` keep the preferred / cluster / lowest one and remove the others. A group
 * shared by many ENIs is decided once; a change that would give another ENI two tagged groups, or
 * leave it none, is not made and the ENI is reported instead. Skip-tagged groups are never changed.
 * `RETAG=off` or a partial security-group read: findings only. A deleted cluster, or a scoped
 * snapshot (which cannot see every ENI a change could affect): nothing at all.
 */
export const decideClusterTags = (snapshot: ClusterSnapshot, config: Pick<Config, "retag">): ClusterTagDecision => {
  // A scoped snapshot shows only part of the cluster: it cannot tell whether a change breaks another ENI.
  if (snapshot.cluster.status === "deleted" || snapshot.scope.kind !== "full") return { findings: [], actions: [] };
  const cluster = snapshot.cluster.name;
  const key = clusterTagKey(cluster);
  const groups = snapshot.securityGroups;
  const tagsOf = (id: string) => groups.get(id)?.tags ?? {};
  const isSkipped = (id: string) => TAGS.skip in tagsOf(id);
  const addedByUs = (id: string) => TAGS.taggedBy in tagsOf(id);

  const enis = checkedEnis(snapshot);
  const observed = new Set([...groups.values()].filter((group) => key in group.tags).map((group) => group.groupId));
  const current = new Set(observed);
  const countIn = (eni: CheckedEni, tagged: ReadonlySet<string>) => eni.groupIds.filter((id) => tagged.has(id)).length;
  const changes = new Map<string, TagChange>();
  /** ENIs left as they are: what is reported, and whether fixing one would have broken another. */
  const unresolved = new Map<string, { action: string; conflict: boolean }>();

  const sectionIncomplete = snapshot.incomplete.get("security-groups");
  const blocked =
    config.retag === "off"
      ? "report only (RETAG=off)"
      : sectionIncomplete !== undefined
        ? `report only: security groups could not be read completely (${sectionIncomplete})`
        : undefined;

  const preference = (ids: readonly string[]): { id: string; because: string }[] => {
    const preferred = ids.filter((id) => TAGS.preferred in tagsOf(id));
    const clusterGroup = snapshot.cluster.clusterSecurityGroupId;
    const ordered = [
      ...preferred.map((id) => ({ id, because: `it is tagged ${TAGS.preferred}` })),
      ...(clusterGroup !== undefined && ids.includes(clusterGroup) && !preferred.includes(clusterGroup)
        ? [{ id: clusterGroup, because: "it is the cluster security group" }]
        : []),
    ];
    const rest = ids.filter((id) => !ordered.some((choice) => choice.id === id));
    return [
      ...ordered,
      ...rest.map((id, index) => ({ id, because: index === 0 ? "it has the lowest id" : "it is the next lowest id" })),
    ];
  };

  const tagOne = (eni: CheckedEni) => {
    const refusals: string[] = [];
    for (const { id, because } of preference(eni.groupIds)) {
      if (isSkipped(id)) {
        refusals.push(`${id} is tagged ${TAGS.skip}`);
        continue;
      }
      if (changes.has(id)) {
        refusals.push(`${id} was already changed in this pass`);
        continue;
      }
      const victim = enis.find(
        (other) => other !== eni && other.groupIds.includes(id) && countIn(other, current) === 1,
      );
      if (victim !== undefined) {
        refusals.push(`tagging ${id} would give ${victim.eniId} two tagged groups`);
        continue;
      }
      current.add(id);
      changes.set(id, {
        kind: "tag-sg",
        because: refusals.length === 0 ? because : `${because} (${refusals.join("; ")})`,
      });
      return;
    }
    unresolved.set(eni.eniId, {
      action: `report only: ${refusals.join("; ")}`,
      conflict: refusals.some((refusal) => refusal.startsWith("tagging")),
    });
  };

  const untagOthers = (eni: CheckedEni) => {
    const tagged = eni.groupIds.filter((id) => current.has(id));
    const locks = new Map<string, string>();
    for (const id of tagged) {
      if (isSkipped(id)) locks.set(id, `${id} is tagged ${TAGS.skip}`);
      else if (changes.has(id)) locks.set(id, `${id} was already changed in this pass`);
      else if (config.retag === "add-missing" && !addedByUs(id)) locks.set(id, `${id} was not tagged by Branchkeeper`);
    }
    const refusals: string[] = [];
    if (locks.size >= 2) {
      const mode = config.retag === "add-missing" ? "RETAG=add-missing removes only tags Branchkeeper added; " : "";
      refusals.push(`${mode}${listInWords([...locks.values()])}`);
    } else {
      const [locked] = [...locks.keys()];
      const keepers =
        locked === undefined
          ? preference(tagged)
          : [{ id: locked, because: locks.get(locked)?.replace(`${locked} `, "it ") ?? "" }];
      for (const keep of keepers) {
        const removals = tagged.filter((id) => id !== keep.id);
        const after = new Set([...current].filter((id) => !removals.includes(id)));
        const victim = enis.find(
          (other) => other !== eni && countIn(other, current) >= 1 && countIn(other, after) === 0,
        );
        if (victim !== undefined) {
          const lost = victim.groupIds.filter((id) => removals.includes(id));
          refusals.push(`untagging ${listInWords(lost)} would leave ${victim.eniId} without a tagged group`);
          continue;
        }
        for (const id of removals) {
          current.delete(id);
          changes.set(id, { kind: "untag-sg", because: `${keep.id} keeps the tag because ${keep.because}` });
        }
        return;
      }
    }
    unresolved.set(eni.eniId, { action: `report only: ${refusals.join("; ")}`, conflict: true });
  };

  const broken = enis.filter((eni) => countIn(eni, observed) !== 1);
  for (const eni of broken) {
    const count = countIn(eni, current);
    // Already fixed by a change made for an earlier ENI that shares a group.
    if (count === 1) continue;
    if (blocked !== undefined) unresolved.set(eni.eniId, { action: blocked, conflict: false });
    else if (count === 0) tagOne(eni);
    else untagOthers(eni);
  }

  const describeChange = (id: string, change: TagChange) =>
    change.kind === "tag-sg" ? `tag ${id} with ${key}=shared` : `remove ${key} from ${id}`;
  const observedAt = snapshot.observedAt.toISOString();
  const findings: Finding[] = broken.map((eni) => {
    const taggedBefore = eni.groupIds.filter((id) => observed.has(id));
    const outcome = unresolved.get(eni.eniId);
    const fixes = eni.groupIds.flatMap((id) => {
      const change = changes.get(id);
      return change === undefined ? [] : [describeChange(id, change)];
    });
    const conflict = taggedBefore.length > 1 || outcome?.conflict === true;
    return {
      cluster,
      kind: conflict ? "cluster-tag-conflict" : "cluster-tag-missing",
      resourceId: eni.eniId,
      detail: endpointSecurityGroupError(cluster, eni.eniId, taggedBefore),
      action: outcome?.action ?? fixes.join("; "),
      observedAt,
    };
  });

  const actions: PlannedAction[] = [];
  for (const kind of ["tag-sg", "untag-sg"] as const) {
    for (const id of sortedUnique(changes.keys())) {
      const change = changes.get(id);
      if (change?.kind !== kind) continue;
      const fixed = broken
        .filter((eni) => eni.groupIds.includes(id) && countIn(eni, current) === 1)
        .map((e) => e.eniId);
      const verb = fixed.length === 1 ? "has" : "have";
      const reason =
        kind === "tag-sg"
          ? `Tag ${id} with ${key}=shared: ${listInWords(fixed)} ${verb} no security group carrying ${key}, so the LBC cannot choose an endpoint group; ${id} is chosen because ${change.because}.`
          : `Remove ${key} from ${id} (${addedByUs(id) ? "added by Branchkeeper" : "RETAG=enforce"}): ${listInWords(fixed)} ${verb} more than one security group carrying it; ${change.because}.`;
      actions.push({ kind, cluster, groupId: id, tagKey: key, reason });
    }
  }
  return { findings, actions };
};
