import { availableAt, type ModelDeletion } from "./model-deletion.ts";
import { BRANCH_DESCRIPTION } from "./scenario.ts";
import type { EniTruth } from "./truth.ts";

/** The policy's `mode: {type: periodic, schedule: "rate(15 minutes)"}`. */
export const CUSTODIAN_INTERVAL_SECONDS = 15 * 60;

/**
 * A Cloud Custodian periodic policy as people write it for this (Custodian has no "unused ENI" filter,
 * cloud-custodian #2521): `resource: aws.eni`, filters `Status: available` and
 * `Description: aws-k8s-branch-eni`, action `delete` (`DeleteNetworkInterface` in
 * `c7n/resources/vpc.py`), no grace, no owner tag, account-wide. Each run deletes everything that
 * matches at that moment.
 */
export const custodianPolicy = (
  truth: readonly EniTruth[],
  options: { readonly firstRunAt: number; readonly horizon: number; readonly intervalSeconds?: number },
): ModelDeletion[] => {
  const interval = options.intervalSeconds ?? CUSTODIAN_INTERVAL_SECONDS;
  const deleted = new Set<string>();
  const deletions: ModelDeletion[] = [];
  for (let t = options.firstRunAt; t < options.horizon; t += interval) {
    for (const eni of availableAt(truth, t, deleted, (e) => e.description === BRANCH_DESCRIPTION)) {
      deletions.push({ key: eni.key, at: t });
      deleted.add(eni.key);
    }
  }
  return deletions;
};
