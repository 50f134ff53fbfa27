import type { SnapshotScope } from "../model/cluster-snapshot.ts";

/**
 * Ids one scoped observation may name before a full pass is asked for instead. A scoped view reads
 * its ids 200 to a Describe call, so up to here it costs a few calls per kind; an account big enough
 * for one event or batch to name more (a TerminateInstances of thousands of nodes) is read in fewer
 * pages by a full pass than by that many scoped ones.
 */
export const MAX_SCOPED_IDS = 1000;

/** The scope kinds that name ids, in the order a merged pass observes them. */
const ID_KINDS = ["eni", "instance", "security-group", "target-group"] as const;
type IdKind = (typeof ID_KINDS)[number];

/**
 * The union of scopes, as few views as cover them all: one view per kind holding every id once; a
 * full view covers everything; the whole load-balancing side covers any target group; more than
 * `maxIds` ids in all become one full view. Never narrower than what was asked: events only say
 * where to look, so a broader view is always safe.
 */
export const mergeScopes = (scopes: Iterable<SnapshotScope>, maxIds: number = MAX_SCOPED_IDS): SnapshotScope[] => {
  const ids = new Map<IdKind, Set<string>>();
  let loadBalancing = false;
  for (const scope of scopes) {
    if (scope.kind === "full") return [{ kind: "full" }];
    if (scope.kind === "load-balancing") {
      loadBalancing = true;
      continue;
    }
    const set = ids.get(scope.kind) ?? new Set<string>();
    for (const id of scope.ids) set.add(id);
    ids.set(scope.kind, set);
  }
  if (loadBalancing) ids.delete("target-group");
  const total = [...ids.values()].reduce((n, set) => n + set.size, 0);
  if (total > maxIds) return [{ kind: "full" }];
  const merged: SnapshotScope[] = ID_KINDS.flatMap((kind) => {
    const set = ids.get(kind);
    return set && set.size > 0 ? [{ kind, ids: [...set] }] : [];
  });
  return loadBalancing ? [...merged, { kind: "load-balancing" }] : merged;
};
