import type { ActionRecord } from "../../core/model/action-record.ts";
import type { EniRecord, EniTransition } from "../../core/model/eni-record.ts";
import type { Finding } from "../../core/model/finding.ts";
import type { EniListItem } from "../../core/ports/state-store.ts";

/** Model records with every field set, for store and status API tests; `overrides` adjusts. No simulator import. */

export const T0 = Date.parse("2026-11-21T10:00:00.000Z");
export const at = (offsetSeconds: number): string => new Date(T0 + offsetSeconds * 1000).toISOString();

/** A branch ENI record with every field set; `overrides` adjusts it. */
export const eniRecord = (overrides: Partial<EniRecord> = {}): EniRecord => ({
  eniId: "eni-0a1b2c3d4e5f60001",
  cluster: "alpha",
  state: "suspect",
  reason: "status is available and no trunk association exists",
  stateSince: at(0),
  trunkEniId: "eni-0trunk000000000001",
  vlanId: 7,
  instanceId: "i-0123456789abcdef0",
  subnetId: "subnet-0aaa",
  vpcId: "vpc-0bbb",
  securityGroupIds: ["sg-0001", "sg-0002"],
  firstSeenAt: at(-3600),
  lastSeenAt: at(0),
  evidence: {
    kind: "available",
    detail: "status is available and no trunk association exists",
    firstRecordedAt: at(0),
    firstPassId: "sweep:0001",
  },
  observedAt: at(0),
  version: 1,
  ...overrides,
});

/** An ENI record with none of the optional fields (no trunk, VLAN, instance, subnet, VPC or evidence). */
export const bareEniRecord = (overrides: Partial<EniRecord> = {}): EniRecord => ({
  eniId: "eni-0bare",
  cluster: "alpha",
  state: "associated",
  reason: "In use.",
  stateSince: at(0),
  securityGroupIds: [],
  firstSeenAt: at(0),
  lastSeenAt: at(0),
  observedAt: at(0),
  version: 1,
  ...overrides,
});

/** The fields of a record that ENI listings show (`listEniItems`), optional ones absent when the record has none. */
export const listedEni = (record: EniRecord): EniListItem => ({
  eniId: record.eniId,
  state: record.state,
  ...(record.trunkEniId === undefined ? {} : { trunkEniId: record.trunkEniId }),
  ...(record.vlanId === undefined ? {} : { vlanId: record.vlanId }),
  ...(record.instanceId === undefined ? {} : { instanceId: record.instanceId }),
  securityGroupIds: record.securityGroupIds,
  firstSeenAt: record.firstSeenAt,
  lastSeenAt: record.lastSeenAt,
  reason: record.reason,
});

export const transition = (overrides: Partial<EniTransition> = {}): EniTransition => ({
  eniId: "eni-0a1b2c3d4e5f60001",
  cluster: "alpha",
  at: at(0),
  from: "associated",
  to: "suspect",
  reason: "status is available and no trunk association exists",
  cause: "sweep:0001",
  ...overrides,
});

export const finding = (overrides: Partial<Finding> = {}): Finding => ({
  cluster: "alpha",
  kind: "cluster-tag-missing",
  resourceId: "eni-0a1b2c3d4e5f60001",
  detail: "none of sg-0001, sg-0002 carries kubernetes.io/cluster/alpha",
  action: "tag sg-0001 with kubernetes.io/cluster/alpha=shared",
  observedAt: at(0),
  ...overrides,
});

export const actionRecord = (overrides: Partial<ActionRecord> = {}): ActionRecord => ({
  id: "act-0001",
  at: at(0),
  kind: "delete-eni",
  cluster: "alpha",
  target: "eni-0a1b2c3d4e5f60001",
  mode: "enforce",
  outcome: "succeeded",
  reason: "leak evidence (available) held for 600 s across two passes",
  detail: "DeleteNetworkInterface accepted",
  ...overrides,
});
