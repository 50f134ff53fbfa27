import { type ClusterSnapshot, isComplete, isEniConfirmedAbsent } from "../model/cluster-snapshot.ts";
import type { ClusterInfo, ObservedEni, ObservedInstance } from "../model/observed.ts";
import { TAGS } from "../model/tags.ts";

/**
 * What is known around one branch ENI: its trunk, association and node instance.
 * Three-valued on purpose: a value = observed, `null` = confirmed absent (by a complete read or a
 * NotFound), `undefined` = unknown. Only `null` may ever count as evidence of absence.
 */
export interface EniContext {
  readonly eni: ObservedEni;
  readonly clusterName: string;
  readonly clusterStatus: ClusterInfo["status"];
  /** The live trunk association's id; `null` when a complete read found none. */
  readonly associationId: string | null | undefined;
  /** The trunk named by the branch's trunk tag, else by its association. */
  readonly trunkEniId?: string;
  readonly trunk: ObservedEni | null | undefined;
  readonly vlanId?: number;
  /** The node instance named by the branch's instance tag, else by its trunk's attachment. */
  readonly instanceId?: string;
  /** Never `null` from a snapshot: an instance missing from a read is not evidence of termination. */
  readonly instance: ObservedInstance | null | undefined;
}

const parseVlan = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
};

/**
 * The context of a branch ENI as one snapshot shows it. Incomplete parts, and things a scoped
 * snapshot did not look up by id, stay unknown.
 */
export const eniContextFromSnapshot = (eni: ObservedEni, snapshot: ClusterSnapshot): EniContext => {
  const association = snapshot.associations.get(eni.eniId);
  const trunkEniId = eni.tags[TAGS.trunkEniId] ?? association?.trunkEniId;
  const trunk =
    trunkEniId === undefined
      ? undefined
      : (snapshot.trunkEnis.get(trunkEniId) ??
        (isEniConfirmedAbsent(snapshot, trunkEniId, "trunk-enis") ? null : undefined));
  const instanceId = eni.tags[TAGS.instanceId] ?? trunk?.attachment?.instanceId;
  const instance =
    instanceId !== undefined && isComplete(snapshot, "instances") ? snapshot.instances.get(instanceId) : undefined;
  const vlanId = parseVlan(eni.tags[TAGS.vlanId]) ?? association?.vlanId;
  return {
    eni,
    clusterName: snapshot.cluster.name,
    clusterStatus: snapshot.cluster.status,
    // Only a complete read of the whole cluster's associations proves that one does not exist.
    associationId:
      association?.associationId ??
      (snapshot.scope.kind === "full" && isComplete(snapshot, "associations") ? null : undefined),
    trunk,
    instance,
    ...(trunkEniId === undefined ? {} : { trunkEniId }),
    ...(vlanId === undefined ? {} : { vlanId }),
    ...(instanceId === undefined ? {} : { instanceId }),
  };
};

const GONE_INSTANCE_STATES: ReadonlySet<string> = new Set(["shutting-down", "terminated"]);

/** True when the node instance is known to be shutting down or terminated. */
export const isInstanceGone = (context: EniContext): boolean =>
  context.instance != null && GONE_INSTANCE_STATES.has(context.instance.state);

/** True when the ENI is in use over a trunk that was positively observed. */
export const isAssociatedToLiveTrunk = (context: EniContext): boolean =>
  context.eni.status === "in-use" && context.trunk != null;
