import type { Config } from "../core/config.ts";
import type { Finding } from "../core/model/finding.ts";
import { clusterTagKey, LBC_RULE_DESCRIPTION, TAGS } from "../core/model/tags.ts";
import type { AccountObserver } from "../core/ports/account-observer.ts";
import { passProblems, runDryRunPass } from "./dry-run-pass.ts";
import type { ExplainOptions } from "./explain-eni.ts";
import { actionMentions, findingMentions } from "./mentions.ts";
import { type ReportedAction, reportedAction } from "./reported-action.ts";

/** One cluster's view of a security group. */
export interface GroupInCluster {
  readonly cluster: string;
  readonly clusterStatus: "active" | "deleted" | "unknown";
  readonly groupName: string;
  readonly vpcId: string;
  /** The value of `kubernetes.io/cluster/<cluster>` on the group, when it carries the key. */
  readonly clusterTag?: string;
  /** True when Branchkeeper added that tag (marker `branchkeeper.io/tagged-by`): only those are removed. */
  readonly taggedByBranchkeeper: boolean;
  /** True when tagged `branchkeeper.io/skip`: never changed. */
  readonly skipTagged: boolean;
  /** True when it is the cluster's LBC shared backend security group. */
  readonly backendGroup: boolean;
  /** Ingress rules labelled `elbv2.k8s.aws/targetGroupBinding=shared`. */
  readonly lbcRules: number;
  /** Branch ENIs of the cluster that use it. */
  readonly branchEnis: number;
}

/** Everything `explain <sg-id>` reports. */
export interface SecurityGroupExplanation {
  readonly kind: "security-group";
  readonly groupId: string;
  readonly clusters: readonly GroupInCluster[];
  readonly findings: readonly Finding[];
  readonly actions: readonly ReportedAction[];
  readonly complete: boolean;
}

/**
 * Explain one security group from a full dry-run plan (one cluster with `--cluster`, else every
 * configured one): how each cluster sees it (cluster tag, backend group, LBC rules, users), and the
 * cluster-tag and backend-rule findings and planned actions that mention it.
 */
export const explainSecurityGroup = async (
  groupId: string,
  config: Config,
  observer: AccountObserver,
  options: ExplainOptions,
): Promise<SecurityGroupExplanation> => {
  const plan = await runDryRunPass(config, observer, {
    log: options.log,
    ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const clusters = plan.snapshots.flatMap((snapshot): GroupInCluster[] => {
    const group = snapshot.securityGroups.get(groupId);
    if (group === undefined) return [];
    const cluster = snapshot.cluster.name;
    const clusterTag = group.tags[clusterTagKey(cluster)];
    return [
      {
        cluster,
        clusterStatus: snapshot.cluster.status,
        groupName: group.groupName,
        vpcId: group.vpcId,
        ...(clusterTag !== undefined ? { clusterTag } : {}),
        taggedByBranchkeeper: TAGS.taggedBy in group.tags,
        skipTagged: TAGS.skip in group.tags,
        backendGroup: snapshot.backendSecurityGroupId === groupId,
        lbcRules: group.ingress.filter((rule) => rule.description === LBC_RULE_DESCRIPTION).length,
        branchEnis: [...snapshot.branchEnis.values()].filter((eni) => eni.securityGroupIds.includes(groupId)).length,
      },
    ];
  });
  return {
    kind: "security-group",
    groupId,
    clusters,
    findings: plan.findings.filter((finding) => findingMentions(finding, groupId)),
    actions: plan.actions.filter((action) => actionMentions(action, groupId)).map(reportedAction),
    complete: passProblems(plan).length === 0,
  };
};
