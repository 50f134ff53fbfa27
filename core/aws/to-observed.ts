import type {
  Instance,
  NetworkInterface,
  SecurityGroupRule as SdkSecurityGroupRule,
  SecurityGroup,
  Tag,
  TrunkInterfaceAssociation,
} from "@aws-sdk/client-ec2";
import type { Cluster } from "@aws-sdk/client-eks";
import type {
  Tag as Elbv2Tag,
  LoadBalancer,
  TargetGroup,
  TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type {
  ClusterInfo,
  ObservedEni,
  ObservedInstance,
  ObservedLoadBalancer,
  ObservedSecurityGroup,
  ObservedTarget,
  ObservedTargetGroup,
  SecurityGroupRule,
  Tags,
  TrunkAssociation,
} from "../model/observed.ts";

/**
 * Translations from SDK v3 shapes into Branchkeeper's observed model. Pure; absent SDK fields become
 * absent optional fields (or empty strings for required identifiers, which readers drop).
 */

/** EC2 and ELBv2 tag lists as a record (a later duplicate key wins, as it cannot happen in AWS). */
export const tagsOf = (tags: readonly (Tag | Elbv2Tag)[] | undefined): Tags => {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
  return out;
};

export const toObservedEni = (eni: NetworkInterface): ObservedEni => {
  const addresses = eni.PrivateIpAddresses ?? [];
  const primary = addresses.filter((a) => a.Primary).map((a) => a.PrivateIpAddress);
  const secondary = addresses.filter((a) => !a.Primary).map((a) => a.PrivateIpAddress);
  const privateIps = [...primary, ...secondary].filter((ip): ip is string => ip !== undefined);
  if (privateIps.length === 0 && eni.PrivateIpAddress) privateIps.push(eni.PrivateIpAddress);
  const attachment = eni.Attachment;
  return {
    eniId: eni.NetworkInterfaceId ?? "",
    vpcId: eni.VpcId ?? "",
    subnetId: eni.SubnetId ?? "",
    status: eni.Status ?? "",
    interfaceType: eni.InterfaceType ?? "",
    description: eni.Description ?? "",
    securityGroupIds: (eni.Groups ?? []).map((g) => g.GroupId).filter((id): id is string => id !== undefined),
    tags: tagsOf(eni.TagSet),
    privateIps,
    ...(attachment
      ? {
          attachment: {
            ...(attachment.InstanceId !== undefined ? { instanceId: attachment.InstanceId } : {}),
            ...(attachment.DeviceIndex !== undefined ? { deviceIndex: attachment.DeviceIndex } : {}),
            ...(attachment.Status !== undefined ? { status: attachment.Status } : {}),
          },
        }
      : {}),
  };
};

export const toTrunkAssociation = (association: TrunkInterfaceAssociation): TrunkAssociation => ({
  associationId: association.AssociationId ?? "",
  branchEniId: association.BranchInterfaceId ?? "",
  trunkEniId: association.TrunkInterfaceId ?? "",
  ...(association.VlanId !== undefined ? { vlanId: association.VlanId } : {}),
});

export const toObservedInstance = (instance: Instance): ObservedInstance => ({
  instanceId: instance.InstanceId ?? "",
  state: instance.State?.Name ?? "",
  ...(instance.InstanceType !== undefined ? { instanceType: instance.InstanceType } : {}),
});

/**
 * An ingress rule as `DescribeSecurityGroupRules` reports it. `-1` (all protocols) has no ports:
 * EC2 reports -1 for both, kept as is.
 */
export const toSecurityGroupRule = (rule: SdkSecurityGroupRule): SecurityGroupRule => {
  const cidr = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId;
  return {
    ruleId: rule.SecurityGroupRuleId ?? "",
    groupId: rule.GroupId ?? "",
    protocol: rule.IpProtocol ?? "-1",
    fromPort: rule.FromPort ?? -1,
    toPort: rule.ToPort ?? -1,
    ...(rule.ReferencedGroupInfo?.GroupId !== undefined ? { sourceGroupId: rule.ReferencedGroupInfo.GroupId } : {}),
    ...(cidr !== undefined ? { cidr } : {}),
    ...(rule.Description !== undefined ? { description: rule.Description } : {}),
  };
};

/** A security group with its ingress rules (egress rules are dropped: Branchkeeper never reads them). */
export const toObservedSecurityGroup = (
  group: SecurityGroup,
  rules: readonly SdkSecurityGroupRule[],
): ObservedSecurityGroup => ({
  groupId: group.GroupId ?? "",
  groupName: group.GroupName ?? "",
  vpcId: group.VpcId ?? "",
  tags: tagsOf(group.Tags),
  ingress: rules.filter((r) => r.IsEgress !== true && r.GroupId === group.GroupId).map(toSecurityGroupRule),
});

const TARGET_TYPES = new Set<ObservedTargetGroup["targetType"]>(["ip", "instance", "lambda", "alb"]);

export const toObservedTarget = (description: TargetHealthDescription): ObservedTarget | undefined => {
  const target = description.Target;
  if (target?.Id === undefined) return undefined;
  return { id: target.Id, port: target.Port ?? 0 };
};

export const toObservedTargetGroup = (
  group: TargetGroup,
  tags: Tags,
  targets: readonly ObservedTarget[],
): ObservedTargetGroup => {
  const type = group.TargetType as ObservedTargetGroup["targetType"] | undefined;
  return {
    arn: group.TargetGroupArn ?? "",
    name: group.TargetGroupName ?? "",
    // ELBv2's default target type is `instance`.
    targetType: type !== undefined && TARGET_TYPES.has(type) ? type : "instance",
    protocol: group.Protocol ?? "",
    port: group.Port ?? 0,
    healthCheckPort: group.HealthCheckPort ?? "traffic-port",
    loadBalancerArns: group.LoadBalancerArns ?? [],
    tags,
    targets,
  };
};

export const toObservedLoadBalancer = (balancer: LoadBalancer, tags: Tags): ObservedLoadBalancer => ({
  arn: balancer.LoadBalancerArn ?? "",
  securityGroupIds: balancer.SecurityGroups ?? [],
  tags,
});

/**
 * A cluster EKS answered for. Every status EKS reports (CREATING, ACTIVE, UPDATING, DELETING,
 * FAILED, PENDING) means EKS still knows the cluster, hence `active`: only `ResourceNotFound` is `deleted`.
 */
export const toClusterInfo = (name: string, cluster: Cluster): ClusterInfo => ({
  name: cluster.name ?? name,
  status: "active",
  ...(cluster.resourcesVpcConfig?.vpcId !== undefined ? { vpcId: cluster.resourcesVpcConfig.vpcId } : {}),
  ...(cluster.resourcesVpcConfig?.clusterSecurityGroupId !== undefined
    ? { clusterSecurityGroupId: cluster.resourcesVpcConfig.clusterSecurityGroupId }
    : {}),
});
