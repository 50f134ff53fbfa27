import type { ObservedEni, Tags } from "../model/observed.ts";
import { BRANCH_ENI_DESCRIPTION, TAGS, TRUNK_ENI_DESCRIPTION } from "../model/tags.ts";

/** Cluster names named by `kubernetes.io/cluster/<name>` tag keys (the value, owned or shared, does not matter). */
export const clusterNamesOf = (tags: Tags): string[] =>
  Object.keys(tags)
    .filter((key) => key.startsWith(TAGS.clusterPrefix) && key.length > TAGS.clusterPrefix.length)
    .map((key) => key.slice(TAGS.clusterPrefix.length));

const ownedByController = (eni: ObservedEni): boolean => eni.tags[TAGS.eniOwner] === TAGS.eniOwnerVpcResourceController;

/** A VPC resource controller branch ENI: owner tag and branch description, both required. */
export const isBranchEni = (eni: ObservedEni): boolean =>
  ownedByController(eni) && eni.description === BRANCH_ENI_DESCRIPTION;

/** A VPC resource controller trunk ENI: owner tag and trunk description. */
export const isTrunkEni = (eni: ObservedEni): boolean =>
  ownedByController(eni) && eni.description === TRUNK_ENI_DESCRIPTION;

/** One cluster's share of the owned ENIs. */
export interface OwnedEnis {
  readonly branches: ObservedEni[];
  readonly trunks: ObservedEni[];
}

/**
 * Split owned branch and trunk ENIs by cluster. A branch ENI belongs to the clusters its tags name,
 * or, when it names none, to its trunk's clusters (one naming neither belongs to no cluster and is
 * left alone). A cluster's trunks are those naming it plus every trunk its branches reference, so a
 * trunk missing a cluster tag never looks "gone" to its branches.
 */
export const partitionOwnedEnis = (enis: readonly ObservedEni[]): ReadonlyMap<string, OwnedEnis> => {
  const trunksById = new Map(enis.filter(isTrunkEni).map((eni) => [eni.eniId, eni]));
  const byCluster = new Map<string, { branches: Map<string, ObservedEni>; trunks: Map<string, ObservedEni> }>();
  const share = (cluster: string) => {
    let entry = byCluster.get(cluster);
    if (!entry) {
      entry = { branches: new Map(), trunks: new Map() };
      byCluster.set(cluster, entry);
    }
    return entry;
  };
  for (const trunk of trunksById.values()) {
    for (const cluster of clusterNamesOf(trunk.tags)) share(cluster).trunks.set(trunk.eniId, trunk);
  }
  for (const branch of enis.filter(isBranchEni)) {
    const trunkId = branch.tags[TAGS.trunkEniId];
    const trunk = trunkId !== undefined ? trunksById.get(trunkId) : undefined;
    const clusters = clusterNamesOf(branch.tags);
    const owners = clusters.length > 0 ? clusters : trunk ? clusterNamesOf(trunk.tags) : [];
    for (const cluster of owners) {
      const entry = share(cluster);
      entry.branches.set(branch.eniId, branch);
      if (trunk) entry.trunks.set(trunk.eniId, trunk);
    }
  }
  return new Map(
    [...byCluster].map(([cluster, entry]) => [
      cluster,
      { branches: [...entry.branches.values()], trunks: [...entry.trunks.values()] },
    ]),
  );
};
