import {
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  type EC2Client,
  RevokeSecurityGroupIngressCommand,
  type Tag,
} from "@aws-sdk/client-ec2";
import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { TGB_RULE_DESCRIPTION } from "./lbc-tags.ts";
import { required } from "./required.ts";
import type { BackendRule } from "./restricted-rules.ts";

export interface PlatformOperatorOptions {
  /** Clients signed as a human (`WELL_KNOWN_ACCESS_KEYS.operator`). */
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
}

export interface SubnetSpec {
  readonly name: string;
  readonly cidr: string;
  readonly availabilityZone: string;
}

const toTags = (tags: Readonly<Record<string, string>>): Tag[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * The platform team with console or CLI access: builds the network and the pods' security groups, and
 * does the out-of-band things that damage an account (revoking a rule, deleting a load balancer by hand).
 */
export class PlatformOperator {
  private readonly ec2: EC2Client;
  private readonly elbv2: ElasticLoadBalancingV2Client;

  public constructor(options: PlatformOperatorOptions) {
    this.ec2 = options.ec2;
    this.elbv2 = options.elbv2;
  }

  /** A VPC and its subnets; subnet ids come back in the order given. */
  public async createVpc(name: string, cidr: string, subnets: readonly SubnetSpec[]) {
    const vpc = await this.ec2.send(
      new CreateVpcCommand({
        CidrBlock: cidr,
        TagSpecifications: [{ ResourceType: "vpc", Tags: toTags({ Name: name }) }],
      }),
    );
    const vpcId = required(vpc.Vpc?.VpcId, "CreateVpc VpcId");
    const subnetIds: string[] = [];
    for (const subnet of subnets) {
      const created = await this.ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: subnet.cidr,
          AvailabilityZone: subnet.availabilityZone,
          TagSpecifications: [{ ResourceType: "subnet", Tags: toTags({ Name: subnet.name }) }],
        }),
      );
      subnetIds.push(required(created.Subnet?.SubnetId, "CreateSubnet SubnetId"));
    }
    return { vpcId, subnetIds };
  }

  public async createSecurityGroup(input: {
    vpcId: string;
    name: string;
    description: string;
    tags?: Readonly<Record<string, string>>;
  }): Promise<string> {
    const created = await this.ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: input.vpcId,
        GroupName: input.name,
        Description: input.description,
        TagSpecifications: [{ ResourceType: "security-group", Tags: toTags({ Name: input.name, ...input.tags }) }],
      }),
    );
    return required(created.GroupId, "CreateSecurityGroup GroupId");
  }

  /** One CreateTags call for any number of resources. */
  public async tag(resourceIds: readonly string[], tags: Readonly<Record<string, string>>): Promise<void> {
    await this.ec2.send(new CreateTagsCommand({ Resources: [...resourceIds], Tags: toTags(tags) }));
  }

  /** An ENI made by hand (a test, a debugging session), left `available`. */
  public async createNetworkInterface(input: {
    subnetId: string;
    securityGroupIds: readonly string[];
    description: string;
    tags?: Readonly<Record<string, string>>;
  }): Promise<string> {
    const created = await this.ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: input.subnetId,
        Groups: [...input.securityGroupIds],
        Description: input.description,
        ...(input.tags ? { TagSpecifications: [{ ResourceType: "network-interface", Tags: toTags(input.tags) }] } : {}),
      }),
    );
    return required(created.NetworkInterface?.NetworkInterfaceId, "CreateNetworkInterface NetworkInterfaceId");
  }

  /** Revoke one of the LBC's backend rules by hand, as in aws-load-balancer-controller #4889. */
  public async revokeBackendRule(rule: BackendRule): Promise<void> {
    await this.ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: rule.groupId,
        IpPermissions: [
          {
            IpProtocol: rule.protocol,
            FromPort: rule.fromPort,
            ToPort: rule.toPort,
            UserIdGroupPairs: [{ GroupId: rule.sourceGroupId, Description: TGB_RULE_DESCRIPTION }],
          },
        ],
      }),
    );
  }

  /** Delete a load balancer (its listeners and rules go with it), as eksctl's cleanup or a hurried human does. */
  public async deleteLoadBalancer(loadBalancerArn: string): Promise<void> {
    await this.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: loadBalancerArn }));
  }

  public async deleteTargetGroup(targetGroupArn: string): Promise<void> {
    await this.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroupArn }));
  }

  public async deleteSecurityGroup(groupId: string): Promise<void> {
    await this.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
  }
}
