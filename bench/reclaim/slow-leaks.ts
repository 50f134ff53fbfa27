import type { ModelDeletion } from "./model-deletion.ts";
import type { EniTruth } from "./truth.ts";

/** Leaks grouped by cause and by the kind of pass that first recorded evidence. */
export interface LeakGroup {
  readonly cause: string;
  /** `event`, `follow-up`, `sweep`, or `none` (never recorded). */
  readonly foundBy: string;
  readonly leaks: number;
  /** Over grace + margin. */
  readonly slow: number;
  /** Seconds from the leak to the first evidence (negative: recorded before it leaked, e.g. at the node's termination). */
  readonly detectionSeconds: { readonly min: number; readonly max: number } | null;
  readonly reclaimSeconds: { readonly min: number; readonly max: number } | null;
}

const range = (values: readonly number[]) =>
  values.length === 0 ? null : { min: Math.round(Math.min(...values)), max: Math.round(Math.max(...values)) };

/**
 * What bounds Branchkeeper's time to reclaim: per cause and detection path, how long until its first
 * evidence, how long until the deletion, and how many took longer than `boundSeconds`.
 */
export const leakGroups = (
  truth: readonly EniTruth[],
  deletions: readonly ModelDeletion[],
  detection: Readonly<Record<string, { readonly seconds: number; readonly by: string }>>,
  boundSeconds: number,
): LeakGroup[] => {
  const deletedAt = new Map(deletions.map((d) => [d.key, d.at] as const));
  const groups = new Map<
    string,
    { cause: string; foundBy: string; detect: number[]; reclaim: number[]; leaks: number; slow: number }
  >();
  for (const eni of truth) {
    if (!eni.leak) continue;
    const found = detection[eni.key];
    const foundBy = found?.by ?? "none";
    const key = `${eni.leak.cause}|${foundBy}`;
    const group = groups.get(key) ?? { cause: eni.leak.cause, foundBy, detect: [], reclaim: [], leaks: 0, slow: 0 };
    group.leaks += 1;
    if (found) group.detect.push(found.seconds);
    const at = deletedAt.get(eni.key);
    if (at !== undefined) group.reclaim.push(at - eni.leak.at);
    if (at === undefined || at - eni.leak.at > boundSeconds) group.slow += 1;
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({
      cause: g.cause,
      foundBy: g.foundBy,
      leaks: g.leaks,
      slow: g.slow,
      detectionSeconds: range(g.detect),
      reclaimSeconds: range(g.reclaim),
    }))
    .sort((a, b) => b.slow - a.slow || b.leaks - a.leaks);
};
