import { clusterTagKey } from "./eni-tags.ts";

/** A target ENI as the LBC sees it: its id and its security groups. */
export interface EndpointEni {
  readonly eniId: string;
  readonly securityGroupIds: readonly string[];
}

/** Tags of security groups by group id (absent = no tags known). */
export type SecurityGroupTags = ReadonlyMap<string, Readonly<Record<string, string>>>;

export type EndpointSgResolution =
  | { readonly ok: true; readonly securityGroupId: string }
  | {
      readonly ok: false;
      /** The cluster-tagged groups found: none, or more than one. */
      readonly taggedSecurityGroupIds: readonly string[];
      /** The LBC's own error text, as its TargetGroupBinding reports it. */
      readonly message: string;
    };

/**
 * The security group of an ENI that receives the LBC's backend rule (`resolveEndpointSGForENI` in
 * aws-load-balancer-controller `pkg/networking/networking_manager.go`): the only group of a
 * single-group ENI, tagged or not; otherwise the one group carrying the tag key
 * `kubernetes.io/cluster/<cluster>` (any value). None or several: no endpoint, and the error the LBC reports.
 */
export const resolveEndpointSg = (
  eni: EndpointEni,
  sgTags: SecurityGroupTags,
  cluster: string,
): EndpointSgResolution => {
  const [only] = eni.securityGroupIds;
  if (eni.securityGroupIds.length === 1 && only !== undefined) return { ok: true, securityGroupId: only };
  const key = clusterTagKey(cluster);
  const tagged = [...new Set(eni.securityGroupIds)].filter((id) => Object.hasOwn(sgTags.get(id) ?? {}, key)).sort();
  const [endpoint] = tagged;
  if (tagged.length === 1 && endpoint !== undefined) return { ok: true, securityGroupId: endpoint };
  return {
    ok: false,
    taggedSecurityGroupIds: tagged,
    // Go prints a []string as [a b]; the LBC lists the ids sorted (sets.String.List).
    message: `expected exactly one securityGroup tagged with ${key} for eni ${eni.eniId}, got: [${tagged.join(" ")}] (clusterName: ${cluster})`,
  };
};
