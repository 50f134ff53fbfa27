import type { EniRecord } from "../../../core/model/eni-record.ts";
import type { ClusterSummary } from "../../../core/ports/state-store.ts";
import { at, eniRecord as storedEniRecord } from "../../support/state-records.ts";

/** Model records for the status API's unit tests: every field set, `overrides` adjusts. No simulator import. */

export { actionRecord, at, finding, transition } from "../../support/state-records.ts";

/** An ENI record some passes old (version 3). */
export const eniRecord = (overrides: Partial<EniRecord> = {}): EniRecord =>
  storedEniRecord({ trunkEniId: "eni-0f0f0f0f0f0f0f0f0", version: 3, ...overrides });

export const clusterSummary = (overrides: Partial<ClusterSummary> = {}): ClusterSummary => ({
  name: "alpha",
  status: "active",
  vpcId: "vpc-0bbb",
  counts: { associated: 3, detached: 0, suspect: 1, leaked: 0, deleting: 0, deleted: 0, gone: 0 },
  lastSweepAt: at(60),
  ...overrides,
});
