import { type EniTruth, statusAt } from "./truth.ts";

/** One deletion a contender made: which ENI (logical key) and when (seconds from the start). */
export interface ModelDeletion {
  readonly key: string;
  readonly at: number;
}

/** What a model sees at `t`: the ENIs that exist, are `available`, and it has not deleted already. */
export const availableAt = (
  truth: readonly EniTruth[],
  t: number,
  deleted: ReadonlySet<string>,
  keep: (eni: EniTruth) => boolean,
): EniTruth[] => truth.filter((eni) => !deleted.has(eni.key) && statusAt(eni, t) === "available" && keep(eni));

/**
 * Contenders running side by side (the controller's cleaner with eksctl, say): the first deletion of
 * each ENI wins, the later one would get NotFound. Exact for these models, whose decisions depend only
 * on which ENIs exist.
 */
export const earliestDeletions = (...lists: readonly (readonly ModelDeletion[])[]): ModelDeletion[] => {
  const first = new Map<string, ModelDeletion>();
  for (const deletion of lists.flat()) {
    const seen = first.get(deletion.key);
    if (!seen || deletion.at < seen.at) first.set(deletion.key, deletion);
  }
  return [...first.values()].sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
};
