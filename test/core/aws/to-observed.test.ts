import { describe, expect, it } from "vitest";
import {
  tagsOf,
  toClusterInfo,
  toObservedEni,
  toObservedSecurityGroup,
  toObservedTargetGroup,
  toTrunkAssociation,
} from "../../../core/aws/to-observed.ts";

describe("SDK to observed mappers", () => {
  it("maps a branch ENI, primary address first, without an attachment block", () => {
    // Act
    const eni = toObservedEni({
      NetworkInterfaceId: "eni-b1",
      VpcId: "vpc-1",
      SubnetId: "subnet-1",
      Status: "in-use",
      InterfaceType: "branch",
      Description: "aws-k8s-branch-eni",
      Groups: [{ GroupId: "sg-a" }, { GroupId: "sg-b" }],
      TagSet: [{ Key: "eks:eni:owner", Value: "eks-vpc-resource-controller" }],
      PrivateIpAddresses: [
        { PrivateIpAddress: "10.0.0.9", Primary: false },
        { PrivateIpAddress: "10.0.0.5", Primary: true },
      ],
    });

    // Assess
    expect(eni).toEqual({
      eniId: "eni-b1",
      vpcId: "vpc-1",
      subnetId: "subnet-1",
      status: "in-use",
      interfaceType: "branch",
      description: "aws-k8s-branch-eni",
      securityGroupIds: ["sg-a", "sg-b"],
      tags: { "eks:eni:owner": "eks-vpc-resource-controller" },
      privateIps: ["10.0.0.5", "10.0.0.9"],
    });
  });

  it("keeps a trunk's attachment", () => {
    // Act
    const eni = toObservedEni({
      NetworkInterfaceId: "eni-t1",
      Attachment: { InstanceId: "i-1", DeviceIndex: 2, Status: "attached" },
      PrivateIpAddress: "10.0.0.7",
    });

    // Assess
    expect(eni.attachment).toEqual({ instanceId: "i-1", deviceIndex: 2, status: "attached" });
    expect(eni.privateIps).toEqual(["10.0.0.7"]);
  });

  it("maps only the group's own ingress rules, with rule ids and group sources", () => {
    // Act
    const group = toObservedSecurityGroup(
      {
        GroupId: "sg-a",
        GroupName: "pods",
        VpcId: "vpc-1",
        Tags: [{ Key: "kubernetes.io/cluster/alpha", Value: "shared" }],
      },
      [
        {
          SecurityGroupRuleId: "sgr-1",
          GroupId: "sg-a",
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 80,
          ToPort: 8080,
          ReferencedGroupInfo: { GroupId: "sg-backend" },
          Description: "elbv2.k8s.aws/targetGroupBinding=shared",
        },
        { SecurityGroupRuleId: "sgr-2", GroupId: "sg-a", IsEgress: true, IpProtocol: "-1", CidrIpv4: "0.0.0.0/0" },
        { SecurityGroupRuleId: "sgr-3", GroupId: "sg-a", IsEgress: false, IpProtocol: "-1", CidrIpv4: "10.0.0.0/8" },
      ],
    );

    // Assess
    expect(group).toEqual({
      groupId: "sg-a",
      groupName: "pods",
      vpcId: "vpc-1",
      tags: { "kubernetes.io/cluster/alpha": "shared" },
      ingress: [
        {
          ruleId: "sgr-1",
          groupId: "sg-a",
          protocol: "tcp",
          fromPort: 80,
          toPort: 8080,
          sourceGroupId: "sg-backend",
          description: "elbv2.k8s.aws/targetGroupBinding=shared",
        },
        { ruleId: "sgr-3", groupId: "sg-a", protocol: "-1", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" },
      ],
    });
  });

  it("maps a target group with its tags and targets", () => {
    // Act
    const group = toObservedTargetGroup(
      {
        TargetGroupArn: "arn:tg/1",
        TargetGroupName: "k8s-web",
        TargetType: "ip",
        Protocol: "TCP",
        Port: 80,
        HealthCheckPort: "traffic-port",
        LoadBalancerArns: ["arn:lb/1"],
      },
      tagsOf([{ Key: "elbv2.k8s.aws/cluster", Value: "alpha" }]),
      [{ id: "10.0.0.5", port: 8080 }],
    );

    // Assess
    expect(group).toEqual({
      arn: "arn:tg/1",
      name: "k8s-web",
      targetType: "ip",
      protocol: "TCP",
      port: 80,
      healthCheckPort: "traffic-port",
      loadBalancerArns: ["arn:lb/1"],
      tags: { "elbv2.k8s.aws/cluster": "alpha" },
      targets: [{ id: "10.0.0.5", port: 8080 }],
    });
  });

  it("maps associations and clusters", () => {
    // Act / Assess
    expect(
      toTrunkAssociation({
        AssociationId: "trunk-assoc-1",
        BranchInterfaceId: "eni-b",
        TrunkInterfaceId: "eni-t",
        VlanId: 3,
      }),
    ).toEqual({ associationId: "trunk-assoc-1", branchEniId: "eni-b", trunkEniId: "eni-t", vlanId: 3 });
    expect(
      toClusterInfo("alpha", {
        name: "alpha",
        status: "UPDATING",
        resourcesVpcConfig: { vpcId: "vpc-1", clusterSecurityGroupId: "sg-cluster" },
      }),
    ).toEqual({ name: "alpha", status: "active", vpcId: "vpc-1", clusterSecurityGroupId: "sg-cluster" });
  });
});
