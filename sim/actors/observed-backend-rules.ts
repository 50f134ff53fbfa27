import type { SecurityGroup } from "@aws-sdk/client-ec2";
import { TGB_RULE_DESCRIPTION } from "./lbc-tags.ts";
import { type BackendRule, backendRuleKey } from "./restricted-rules.ts";

/**
 * The LBC's rules as EC2 describes them: every group-sourced ingress permission whose description is
 * exactly `elbv2.k8s.aws/targetGroupBinding=shared`. Sorted by key.
 */
export const observedBackendRules = (groups: readonly SecurityGroup[]): BackendRule[] => {
  const rules: BackendRule[] = [];
  for (const group of groups) {
    for (const permission of group.IpPermissions ?? []) {
      const protocol = permission.IpProtocol;
      if (protocol !== "tcp" && protocol !== "udp") continue;
      for (const pair of permission.UserIdGroupPairs ?? []) {
        if (pair.Description !== TGB_RULE_DESCRIPTION || !group.GroupId || !pair.GroupId) continue;
        rules.push({
          groupId: group.GroupId,
          protocol,
          fromPort: permission.FromPort ?? 0,
          toPort: permission.ToPort ?? 65535,
          sourceGroupId: pair.GroupId,
        });
      }
    }
  }
  return rules.sort((a, b) => (backendRuleKey(a) < backendRuleKey(b) ? -1 : 1));
};
