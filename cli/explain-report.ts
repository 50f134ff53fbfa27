import type { Finding } from "../core/model/finding.ts";
import type { EniExplanation } from "./explain-eni.ts";
import type { SecurityGroupExplanation } from "./explain-security-group.ts";
import type { ReportedAction } from "./reported-action.ts";
import { renderTable } from "./text-table.ts";

const VERDICT_WORDS: Readonly<Record<EniExplanation["verdict"]["outcome"], string>> = {
  "reclaim-after-grace": "delete it later",
  held: "not delete it",
  nothing: "nothing",
};

/** A label column of fixed width, so the explanations line up. */
const field = (label: string, value: string): string => `  ${`${label}:`.padEnd(13)}${value}`;

const mentionTables = (
  findings: readonly Finding[],
  actions: readonly ReportedAction[],
  width: number | undefined,
): string[] => {
  const lines = ["", `Findings that mention it (${findings.length})`];
  if (findings.length > 0) {
    lines.push(
      ...renderTable(
        ["cluster", "kind", "resource", "detail"],
        findings.map((f) => [f.cluster, f.kind, f.resourceId, f.detail]),
        width,
      ),
    );
  }
  lines.push("", `Actions enforce mode would take that mention it (${actions.length})`);
  if (actions.length > 0) {
    lines.push(
      ...renderTable(
        ["cluster", "kind", "target", "reason"],
        actions.map((a) => [a.cluster, a.kind, a.target, a.reason]),
        width,
      ),
    );
  }
  return lines;
};

const roleWords = (explanation: EniExplanation): string => {
  const where = explanation.cluster ? ` of cluster ${explanation.cluster.name} (${explanation.cluster.status})` : "";
  if (explanation.role === "branch") return `branch ENI${where}`;
  if (explanation.role === "trunk") return `trunk ENI${where}`;
  return explanation.cluster ? `not a branch ENI${where}` : "not a branch ENI of any cluster";
};

/** The readable explanation of an ENI. */
export const eniText = (explanation: EniExplanation, width?: number): string[] => {
  const { observed } = explanation;
  const lines = [
    `${explanation.eniId}: ${roleWords(explanation)}`,
    field(
      "EC2",
      `${observed.status}, ${observed.interfaceType || "interface"} "${observed.description}", ${observed.subnetId}, ${observed.vpcId}; groups ${observed.securityGroupIds.join(", ") || "none"}`,
    ),
  ];
  if (explanation.trunk) {
    lines.push(
      field("Trunk", `${explanation.trunk.eniId} (${explanation.trunk.exists ? "exists" : "no longer exists"})`),
    );
  }
  if (explanation.instance) {
    lines.push(field("Node", `${explanation.instance.instanceId} (${explanation.instance.state})`));
  }
  lines.push(field("Ownership", `${explanation.ownership.verdict}: ${explanation.ownership.reason}`));
  if (explanation.state !== undefined) lines.push(field("State", `${explanation.state}: ${explanation.reason ?? ""}`));
  if (explanation.role === "branch") {
    lines.push(
      field("Evidence", explanation.evidence ? `${explanation.evidence.kind}: ${explanation.evidence.detail}` : "none"),
    );
  }
  lines.push(field("Would do", `${VERDICT_WORDS[explanation.verdict.outcome]}: ${explanation.verdict.reason}`));
  for (const failure of explanation.unread) lines.push(field("Unread", `${failure.part}: ${failure.reason}`));
  if (explanation.cluster) lines.push(...mentionTables(explanation.findings, explanation.actions, width));
  if (!explanation.complete) lines.push("", "This explanation is INCOMPLETE: something could not be read.");
  return lines;
};

/** The readable explanation of a security group. */
export const securityGroupText = (explanation: SecurityGroupExplanation, width?: number): string[] => {
  const lines = [`${explanation.groupId}: security group`];
  if (explanation.clusters.length === 0) {
    lines.push(
      "  Not seen by any cluster's pass: no branch ENI, target ENI, load balancer or backend rule of the planned clusters refers to it, so Branchkeeper has nothing to do with it.",
    );
  }
  for (const view of explanation.clusters) {
    const tag =
      view.clusterTag !== undefined
        ? `carries kubernetes.io/cluster/${view.cluster}=${view.clusterTag}${view.taggedByBranchkeeper ? " (added by Branchkeeper)" : ""}`
        : `does not carry kubernetes.io/cluster/${view.cluster}`;
    lines.push(
      `  In cluster ${view.cluster} (${view.clusterStatus}): "${view.groupName}" in ${view.vpcId}`,
      field("  Tag", tag),
      field("  Role", view.backendGroup ? "the LBC's shared backend security group" : "endpoint or pod group"),
      field("  Used by", `${view.branchEnis} branch ENIs`),
      field("  LBC rules", `${view.lbcRules} ingress rules labelled elbv2.k8s.aws/targetGroupBinding=shared`),
    );
    if (view.skipTagged) lines.push(field("  Skip", "tagged branchkeeper.io/skip: Branchkeeper never changes it"));
  }
  lines.push(...mentionTables(explanation.findings, explanation.actions, width));
  if (!explanation.complete) lines.push("", "This explanation is INCOMPLETE: something could not be read.");
  return lines;
};
