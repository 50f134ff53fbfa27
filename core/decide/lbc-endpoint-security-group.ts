import type { ObservedEni, ObservedSecurityGroup } from "../model/observed.ts";
import { clusterTagKey } from "../model/tags.ts";
import { sortedUnique } from "./ordering.ts";

/** The group the LBC writes an ENI's backend rule into, or why it cannot choose one. */
export type EndpointSecurityGroup = { readonly groupId: string } | { readonly error: string };

/** True when the group carries the cluster tag key (any value: presence is what counts). */
export const hasClusterTag = (group: ObservedSecurityGroup, cluster: string): boolean =>
  clusterTagKey(cluster) in group.tags;

/**
 * The LBC's own error for an ENI without exactly one cluster-tagged group, word for word
 * (`resolveEndpointSGForENI`; Go prints the sorted id list as `[sg-a sg-b]`).
 */
export const endpointSecurityGroupError = (cluster: string, eniId: string, taggedGroupIds: Iterable<string>): string =>
  `expected exactly one securityGroup tagged with ${clusterTagKey(cluster)} for eni ${eniId}, got: [${sortedUnique(
    taggedGroupIds,
  ).join(" ")}] (clusterName: ${cluster})`;

/**
 * Mirror of the LBC's `resolveEndpointSGForENI`: an ENI with one group uses it, tagged or not;
 * otherwise exactly one of its groups must carry `kubernetes.io/cluster/<cluster>`.
 * (The LBC's optional `--service-target-eni-security-group-tags` filter is not modelled.)
 */
export const resolveEndpointSecurityGroup = (
  eni: ObservedEni,
  groups: ReadonlyMap<string, ObservedSecurityGroup>,
  cluster: string,
): EndpointSecurityGroup => {
  const [only, ...others] = eni.securityGroupIds;
  if (only !== undefined && others.length === 0) return { groupId: only };
  const unseen = eni.securityGroupIds.filter((id) => !groups.has(id));
  if (unseen.length > 0) {
    return {
      error: `security groups ${unseen.join(", ")} of ${eni.eniId} were not observed, so their tags are unknown`,
    };
  }
  const tagged = eni.securityGroupIds.filter((id) => {
    const group = groups.get(id);
    return group !== undefined && hasClusterTag(group, cluster);
  });
  const [chosen, ...extra] = tagged;
  if (chosen === undefined || extra.length > 0)
    return { error: endpointSecurityGroupError(cluster, eni.eniId, tagged) };
  return { groupId: chosen };
};
