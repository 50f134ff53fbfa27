import type { EksCluster, EksNodegroup } from "./eks-resources.ts";

/** The JSON protocols send timestamps as epoch seconds. */
const epochSeconds = (date: Date): number => date.getTime() / 1000;

/** A cluster as DescribeCluster (and the other cluster answers) shape it. */
export const clusterJson = (cluster: EksCluster, status: string): Record<string, unknown> => ({
  name: cluster.name,
  arn: cluster.arn,
  createdAt: epochSeconds(cluster.createdAt),
  version: cluster.version,
  endpoint: cluster.endpoint,
  roleArn: cluster.roleArn,
  resourcesVpcConfig: {
    subnetIds: cluster.subnetIds,
    securityGroupIds: cluster.securityGroupIds,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    vpcId: cluster.vpcId,
    endpointPublicAccess: cluster.endpointPublicAccess,
    endpointPrivateAccess: cluster.endpointPrivateAccess,
    publicAccessCidrs: cluster.publicAccessCidrs,
  },
  kubernetesNetworkConfig: {
    serviceIpv4Cidr: cluster.serviceIpv4Cidr,
    ipFamily: "ipv4",
    elasticLoadBalancing: { enabled: false },
  },
  logging: {
    clusterLogging: [{ types: ["api", "audit", "authenticator", "controllerManager", "scheduler"], enabled: false }],
  },
  identity: { oidc: { issuer: cluster.oidcIssuer } },
  status,
  certificateAuthority: { data: cluster.certificateAuthorityData },
  platformVersion: cluster.platformVersion,
  tags: cluster.tags,
  health: { issues: [] },
  accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
  upgradePolicy: { supportType: "EXTENDED" },
});

/** A managed node group as DescribeNodegroup (and the other node group answers) shape it. */
export const nodegroupJson = (group: EksNodegroup, status: string): Record<string, unknown> => ({
  nodegroupName: group.nodegroupName,
  nodegroupArn: group.nodegroupArn,
  clusterName: group.clusterName,
  version: group.version,
  releaseVersion: group.releaseVersion,
  createdAt: epochSeconds(group.createdAt),
  modifiedAt: epochSeconds(group.createdAt),
  status,
  capacityType: group.capacityType,
  scalingConfig: group.scalingConfig,
  instanceTypes: group.instanceTypes,
  subnets: group.subnets,
  amiType: group.amiType,
  nodeRole: group.nodeRole,
  labels: group.labels,
  resources: { autoScalingGroups: [{ name: group.autoScalingGroupName }] },
  diskSize: group.diskSize,
  health: { issues: [] },
  updateConfig: { maxUnavailable: 1 },
  tags: group.tags,
});
