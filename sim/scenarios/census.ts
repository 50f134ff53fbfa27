import {
  type EC2Client,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import { DescribeClusterCommand, type EKSClient, paginateListClusters } from "@aws-sdk/client-eks";
import {
  type ElasticLoadBalancingV2Client,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  BRANCH_ENI_DESCRIPTION,
  ENI_OWNER_TAG,
  TRUNK_ENI_DESCRIPTION,
  VPC_CNI_OWNER,
  VPC_RESOURCE_CONTROLLER_OWNER,
} from "../actors/eni-tags.ts";
import { BACKEND_SG_RESOURCE, ELBV2_RESOURCE_TAG } from "../actors/lbc-tags.ts";
import { observedBackendRules } from "../actors/observed-backend-rules.ts";

/** Counts of what an account holds, read back through the public API. */
export interface Census {
  /** EKS clusters that exist, with their status. */
  readonly clusters: { readonly name: string; readonly status: string }[];
  /** Instances by state. */
  readonly instances: Record<string, number>;
  readonly trunkEnis: number;
  /** Branch ENIs (resource controller's description and owner tag) by status. */
  readonly branchEnis: Record<string, number>;
  /** Branch ENIs by the cluster of their `kubernetes.io/cluster/<name>` tag, then by status. */
  readonly branchEnisByCluster: Record<string, Record<string, number>>;
  /** VPC CNI ENIs by status. */
  readonly vpcCniEnis: Record<string, number>;
  /** Every other ENI: node primaries, and anything else. */
  readonly otherEnis: number;
  readonly securityGroups: number;
  readonly backendSecurityGroups: number;
  readonly loadBalancers: number;
  readonly targetGroups: number;
  /** Ingress rules labelled `elbv2.k8s.aws/targetGroupBinding=shared`. */
  readonly backendRules: number;
}

export interface CensusClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly eks: EKSClient;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Count everything with paginated Describe and List calls. */
export const takeCensus = async ({ ec2, elbv2, eks }: CensusClients): Promise<Census> => {
  const clusters: { name: string; status: string }[] = [];
  for await (const page of paginateListClusters({ client: eks }, {})) {
    for (const name of page.clusters ?? []) {
      const described = await eks.send(new DescribeClusterCommand({ name }));
      clusters.push({ name, status: described.cluster?.status ?? "UNKNOWN" });
    }
  }

  const instances: Record<string, number> = {};
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {})) {
    for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      bump(instances, instance.State?.Name ?? "unknown");
    }
  }

  let trunkEnis = 0;
  let otherEnis = 0;
  const branchEnis: Record<string, number> = {};
  const branchEnisByCluster: Record<string, Record<string, number>> = {};
  const vpcCniEnis: Record<string, number> = {};
  for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 1000 }, {})) {
    for (const eni of page.NetworkInterfaces ?? []) {
      const tags = new Map((eni.TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
      const owner = tags.get(ENI_OWNER_TAG);
      const status = eni.Status ?? "unknown";
      if (owner === VPC_RESOURCE_CONTROLLER_OWNER && eni.Description === TRUNK_ENI_DESCRIPTION) trunkEnis++;
      else if (owner === VPC_RESOURCE_CONTROLLER_OWNER && eni.Description === BRANCH_ENI_DESCRIPTION) {
        bump(branchEnis, status);
        for (const key of tags.keys()) {
          if (!key.startsWith("kubernetes.io/cluster/")) continue;
          const cluster = key.slice("kubernetes.io/cluster/".length);
          branchEnisByCluster[cluster] ??= {};
          bump(branchEnisByCluster[cluster], status);
        }
      } else if (owner === VPC_CNI_OWNER) bump(vpcCniEnis, status);
      else otherEnis++;
    }
  }

  const groups: SecurityGroup[] = [];
  for await (const page of paginateDescribeSecurityGroups({ client: ec2, pageSize: 1000 }, {})) {
    groups.push(...(page.SecurityGroups ?? []));
  }
  const backendSecurityGroups = groups.filter((g) =>
    (g.Tags ?? []).some((t) => t.Key === ELBV2_RESOURCE_TAG && t.Value === BACKEND_SG_RESOURCE),
  ).length;

  let loadBalancers = 0;
  for await (const page of paginateDescribeLoadBalancers({ client: elbv2 }, {})) {
    loadBalancers += page.LoadBalancers?.length ?? 0;
  }
  let targetGroups = 0;
  for await (const page of paginateDescribeTargetGroups({ client: elbv2 }, {})) {
    targetGroups += page.TargetGroups?.length ?? 0;
  }

  return {
    clusters,
    instances,
    trunkEnis,
    branchEnis,
    branchEnisByCluster,
    vpcCniEnis,
    otherEnis,
    securityGroups: groups.length,
    backendSecurityGroups,
    loadBalancers,
    targetGroups,
    backendRules: observedBackendRules(groups).length,
  };
};
