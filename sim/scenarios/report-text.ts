import type { BackendRule } from "../actors/restricted-rules.ts";
import type { Census } from "./census.ts";
import type { DemoReport } from "./demo-report.ts";
import type { ScenarioReport } from "./index.ts";

const counts = (byStatus: Readonly<Record<string, number>>): string =>
  Object.entries(byStatus)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ") || "none";

const rule = (r: BackendRule): string =>
  `${r.groupId} ${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`} from ${r.sourceGroupId}`;

/** The census as a few readable lines. */
export const censusLines = (census: Census): string[] => [
  `EKS clusters: ${census.clusters.map((c) => `${c.name} (${c.status})`).join(", ") || "none"}`,
  `Instances: ${counts(census.instances)}`,
  `Trunk ENIs: ${census.trunkEnis}`,
  `Branch ENIs: ${counts(census.branchEnis)}`,
  ...Object.entries(census.branchEnisByCluster).map(([cluster, byStatus]) => `  ${cluster}: ${counts(byStatus)}`),
  `VPC CNI ENIs: ${counts(census.vpcCniEnis)}; other ENIs: ${census.otherEnis}`,
  `Security groups: ${census.securityGroups} (${census.backendSecurityGroups} LBC backend groups)`,
  `Load balancers: ${census.loadBalancers}, target groups: ${census.targetGroups}, backend rules: ${census.backendRules}`,
];

const demoLines = (report: DemoReport): string[] => {
  const { damage, traps } = report;
  return [
    `VPC ${report.vpcId} with ${Object.keys(report.subnetIds).length} subnets; cluster gamma deleted`,
    ...censusLines(report.census),
    "Damage:",
    `  leaked: alpha node ${damage.terminatedNode.instanceId} scaled in, its trunk ${damage.terminatedNode.trunkEniId} gone, ` +
      `${damage.terminatedNode.leakedEniIds.length} branch ENIs available`,
    `  forgotten: beta branch ENI ${damage.forgottenBranch.eniId} available, its trunk ${damage.forgottenBranch.trunkEniId} alive`,
    `  deleted cluster gamma: ${damage.deletedCluster.leakedEniIds.length} branch ENIs available, backend group ` +
      `${damage.deletedCluster.backendSecurityGroupId} and ${damage.deletedCluster.leftoverRules.length} rule left`,
    `  zero cluster tags: ${damage.zeroClusterTagEni.eniId} (alpha, target of shop/legacy)`,
    `  two cluster tags: ${damage.twoClusterTagEni.eniId} (alpha, target of shop/canary)`,
    `  stale backend rule: ${rule(damage.staleBackendRule.rule)} (beta reports NLB deleted by hand)`,
    `  missing backend rule: ${rule(damage.missingBackendRule.rule)} (alpha payments, revoked by hand)`,
    `Traps (leave alone): VPC CNI ENI ${traps.unattachedVpcCniEniId}, look-alike ${traps.impostorEniId}, ` +
      `skip-tagged ${traps.skipTaggedEniId}`,
  ];
};

/** A scenario report as readable lines. */
export const reportLines = (report: ScenarioReport): string[] => {
  const header = `Scenario ${report.scenario}, built in ${(report.buildMs / 1000).toFixed(1)} s`;
  switch (report.scenario) {
    case "demo":
      return [header, ...demoLines(report)];
    case "large":
      return [
        header,
        `Generated ${report.account.branchEnis} branch ENIs in ${report.account.clusters.length} clusters ` +
          `(seed ${report.account.seed}), ${report.account.leakedEniIds.length} leaked`,
        ...censusLines(report.census),
      ];
    case "empty":
      return [header, ...censusLines(report.census)];
  }
};
