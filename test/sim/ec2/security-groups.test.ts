import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  paginateDescribeSecurityGroups,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { createNetwork, failureOf } from "./fixtures.ts";

describe("EC2 security groups", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let net: { vpcId: string; subnetId: string; groupId: string };
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
  });
  beforeEach(async () => {
    net = await createNetwork(ec2);
  });
  afterAll(() => sim.stop());

  const createGroup = async (name: string, tags: { Key: string; Value: string }[] = []) => {
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: net.vpcId,
        GroupName: name,
        Description: `${name} group`,
        ...(tags.length > 0 ? { TagSpecifications: [{ ResourceType: "security-group", Tags: tags }] } : {}),
      }),
    );
    return created.GroupId ?? "";
  };

  it("creates a group with its tags, ARN and EC2's default allow-all egress rule", async () => {
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        VpcId: net.vpcId,
        GroupName: "k8s-traffic-demo-0123456789",
        Description: "[k8s] Shared Backend SecurityGroup for LoadBalancer",
        TagSpecifications: [
          { ResourceType: "security-group", Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: "demo" }] },
        ],
      }),
    );
    const groupId = created.GroupId ?? "";

    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));

    expect(groupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:123456789012:security-group/${groupId}`);
    expect(created.Tags).toEqual([{ Key: "elbv2.k8s.aws/cluster", Value: "demo" }]);
    expect(described.SecurityGroups).toEqual([
      {
        GroupId: groupId,
        GroupName: "k8s-traffic-demo-0123456789",
        Description: "[k8s] Shared Backend SecurityGroup for LoadBalancer",
        OwnerId: "123456789012",
        VpcId: net.vpcId,
        SecurityGroupArn: created.SecurityGroupArn,
        Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: "demo" }],
        IpPermissions: [],
        IpPermissionsEgress: [
          {
            IpProtocol: "-1",
            IpRanges: [{ CidrIp: "0.0.0.0/0" }],
            UserIdGroupPairs: [],
            Ipv6Ranges: [],
            PrefixListIds: [],
          },
        ],
      },
    ]);
  });

  it("refuses a duplicate name in the VPC, sg-* names, a missing VPC and an unknown VPC", async () => {
    await createGroup("twice");

    const duplicate = await failureOf(
      ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "twice", Description: "again" })),
    );
    const reserved = await failureOf(
      ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "sg-mine", Description: "d" })),
    );
    const noVpc = await failureOf(ec2.send(new CreateSecurityGroupCommand({ GroupName: "x", Description: "d" })));
    const unknownVpc = await failureOf(
      ec2.send(new CreateSecurityGroupCommand({ VpcId: "vpc-0123456789abcdef0", GroupName: "x", Description: "d" })),
    );

    expect(duplicate.name).toBe("InvalidGroup.Duplicate");
    expect(duplicate.message).toBe(`The security group 'twice' already exists for VPC '${net.vpcId}'`);
    expect(reserved.name).toBe("InvalidParameterValue");
    expect(noVpc.name).toBe("VPCIdNotSpecified");
    expect(unknownVpc.name).toBe("InvalidVpcID.NotFound");
  });

  it("filters groups by name, tag, description, referenced group and VPC, and looks them up by name", async () => {
    const backend = await createGroup("backend", [{ Key: "elbv2.k8s.aws/resource", Value: "backend-sg" }]);
    const target = await createGroup("target");
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: target,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: backend }] }],
      }),
    );
    const ids = async (filters: { Name: string; Values: string[] }[]) =>
      (
        await ec2.send(
          new DescribeSecurityGroupsCommand({ Filters: [...filters, { Name: "vpc-id", Values: [net.vpcId] }] }),
        )
      ).SecurityGroups?.map((group) => group.GroupId);

    expect(await ids([{ Name: "tag:elbv2.k8s.aws/resource", Values: ["backend-sg"] }])).toEqual([backend]);
    expect(await ids([{ Name: "tag-key", Values: ["elbv2.k8s.aws/*"] }])).toEqual([backend]);
    expect(await ids([{ Name: "group-name", Values: ["backend", "target"] }])).toEqual([backend, target]);
    expect(await ids([{ Name: "description", Values: ["tar*"] }])).toEqual([target]);
    expect(await ids([{ Name: "ip-permission.group-id", Values: [backend] }])).toEqual([target]);
    expect(await ids([{ Name: "ip-permission.from-port", Values: ["8080"] }])).toEqual([target]);
    const byName = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["backend"] }));
    expect(byName.SecurityGroups?.map((group) => group.GroupId)).toContain(backend);
  });

  it("pages groups with the SDK paginator and refuses MaxResults with explicit ids", async () => {
    const created = [await createGroup("p1"), await createGroup("p2"), await createGroup("p3")];

    const paged: string[] = [];
    for await (const page of paginateDescribeSecurityGroups(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] },
    )) {
      paged.push(...(page.SecurityGroups ?? []).map((group) => group.GroupId ?? ""));
    }
    const combined = await failureOf(
      ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [net.groupId], MaxResults: 5 })),
    );

    expect(paged.slice(-3)).toEqual(created);
    expect(paged).toHaveLength(5);
    expect(combined.name).toBe("InvalidParameterCombination");
  });

  it("refuses to delete a group an ENI uses or another group's rule references, then deletes it", async () => {
    const pod = await createGroup("pod");
    const node = await createGroup("node");
    const eni = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, Groups: [pod] }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: node,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: pod }] }],
      }),
    );

    const usedByEni = await failureOf(ec2.send(new DeleteSecurityGroupCommand({ GroupId: pod })));
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterface?.NetworkInterfaceId }));
    const referenced = await failureOf(ec2.send(new DeleteSecurityGroupCommand({ GroupId: pod })));
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: node,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: pod }] }],
      }),
    );
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: pod }));
    const gone = await failureOf(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [pod] })));

    expect(usedByEni.name).toBe("DependencyViolation");
    expect(usedByEni.message).toBe(`resource ${pod} has a dependent object`);
    expect(referenced.name).toBe("DependencyViolation");
    expect(deleted.Return).toBe(true);
    expect(deleted.GroupId).toBe(pod);
    expect(gone.name).toBe("InvalidGroup.NotFound");
    expect(gone.message).toBe(`The security group '${pod}' does not exist`);
  });

  it("lets a group that only references itself be deleted, but never the VPC's default group", async () => {
    const self = await createGroup("self");
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: self,
        IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: self }] }],
      }),
    );
    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [net.vpcId] },
          { Name: "group-name", Values: ["default"] },
        ],
      }),
    );

    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: self }));
    const cannot = await failureOf(
      ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaults.SecurityGroups?.[0]?.GroupId })),
    );
    const unknown = await failureOf(ec2.send(new DeleteSecurityGroupCommand({ GroupId: "sg-0123456789abcdef0" })));

    expect(cannot.name).toBe("CannotDelete");
    expect(unknown.name).toBe("InvalidGroup.NotFound");
  });
});
