import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type IpPermission,
  paginateDescribeSecurityGroupRules,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { createNetwork, failureOf } from "./fixtures.ts";

const SHARED = "elbv2.k8s.aws/targetGroupBinding=shared";

describe("EC2 security group rules", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let vpcId: string;
  let target: string;
  let backend: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
  });
  beforeEach(async () => {
    const net = await createNetwork(ec2);
    vpcId = net.vpcId;
    target = net.groupId;
    const created = await ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "backend", Description: "b" }),
    );
    backend = created.GroupId ?? "";
  });
  afterAll(() => sim.stop());

  const ingressRules = async (groupId: string) =>
    (
      await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }] }))
    ).SecurityGroupRules?.filter((rule) => !rule.IsEgress) ?? [];

  const backendPermission = (from: number, to: number, description?: string): IpPermission => ({
    IpProtocol: "tcp",
    FromPort: from,
    ToPort: to,
    UserIdGroupPairs: [{ GroupId: backend, ...(description ? { Description: description } : {}) }],
  });

  it("authorizes one rule per source, answering each rule with its id, description and referenced group", async () => {
    const answer = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: target,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 8080,
            ToPort: 8090,
            UserIdGroupPairs: [{ GroupId: backend, Description: SHARED }],
            IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "vpc" }],
          },
        ],
      }),
    );

    expect(answer.Return).toBe(true);
    expect(answer.SecurityGroupRules).toHaveLength(2);
    const [byGroup, byCidr] = answer.SecurityGroupRules ?? [];
    expect(byGroup).toEqual({
      SecurityGroupRuleId: byGroup?.SecurityGroupRuleId,
      GroupId: target,
      GroupOwnerId: "123456789012",
      IsEgress: false,
      IpProtocol: "tcp",
      FromPort: 8080,
      ToPort: 8090,
      ReferencedGroupInfo: { GroupId: backend, UserId: "123456789012" },
      Description: SHARED,
      Tags: [],
      SecurityGroupRuleArn: `arn:aws:ec2:us-east-1:123456789012:security-group-rule/${byGroup?.SecurityGroupRuleId}`,
    });
    expect(byGroup?.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    expect(byCidr).toMatchObject({ CidrIpv4: "10.0.0.0/16", Description: "vpc", FromPort: 8080, ToPort: 8090 });
    expect(byCidr?.ReferencedGroupInfo).toBeUndefined();
  });

  it("shows rules in DescribeSecurityGroups grouped per protocol and port range, with descriptions", async () => {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [backendPermission(80, 80, SHARED)] }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: target,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 80,
            ToPort: 80,
            IpRanges: [{ CidrIp: "192.168.0.0/24", Description: "office" }],
          },
          { IpProtocol: "udp", FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
        ],
      }),
    );

    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [target] }));

    expect(described.SecurityGroups?.[0]?.IpPermissions).toEqual([
      {
        IpProtocol: "tcp",
        FromPort: 80,
        ToPort: 80,
        UserIdGroupPairs: [{ GroupId: backend, UserId: "123456789012", Description: SHARED }],
        IpRanges: [{ CidrIp: "192.168.0.0/24", Description: "office" }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
      {
        IpProtocol: "udp",
        FromPort: 53,
        ToPort: 53,
        UserIdGroupPairs: [],
        IpRanges: [{ CidrIp: "10.0.0.0/8" }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
  });

  it("fails a duplicate with InvalidPermission.Duplicate and adds nothing from that call", async () => {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [backendPermission(80, 80)] }),
    );

    const duplicate = await failureOf(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: target,
          IpPermissions: [backendPermission(443, 443), backendPermission(80, 80, "other description")],
        }),
      ),
    );

    expect(duplicate.name).toBe("InvalidPermission.Duplicate");
    expect(duplicate.message).toBe(
      `the specified rule "peer: ${backend}, TCP, from port: 80, to port: 80, ALLOW" already exists`,
    );
    expect((await ingressRules(target)).map((rule) => rule.FromPort)).toEqual([80]);
  });

  it("refuses an unknown source group, missing TCP ports and an unknown protocol", async () => {
    const unknown = await failureOf(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: target,
          IpPermissions: [
            { IpProtocol: "tcp", FromPort: 1, ToPort: 2, UserIdGroupPairs: [{ GroupId: "sg-0123456789abcdef0" }] },
          ],
        }),
      ),
    );
    const noPorts = await failureOf(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: target,
          IpPermissions: [{ IpProtocol: "tcp", IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
        }),
      ),
    );
    const protocol = await failureOf(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: target,
          IpPermissions: [{ IpProtocol: "carrier-pigeon", IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
        }),
      ),
    );

    expect(unknown.name).toBe("InvalidGroup.NotFound");
    expect(noPorts.name).toBe("InvalidParameterValue");
    expect(protocol.name).toBe("InvalidParameterValue");
  });

  it("revokes by properties ignoring descriptions, answering the revoked rules", async () => {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [backendPermission(80, 80, SHARED)] }),
    );

    const answer = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [backendPermission(80, 80)] }),
    );

    expect(answer.Return).toBe(true);
    expect(answer.UnknownIpPermissions).toBeUndefined();
    expect(answer.RevokedSecurityGroupRules).toEqual([
      {
        SecurityGroupRuleId: answer.RevokedSecurityGroupRules?.[0]?.SecurityGroupRuleId,
        GroupId: target,
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 80,
        ToPort: 80,
        ReferencedGroupId: backend,
        Description: SHARED,
      },
    ]);
    expect(await ingressRules(target)).toEqual([]);
  });

  it("fails a revoke naming any missing rule with InvalidPermission.NotFound and removes nothing", async () => {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [backendPermission(80, 80)] }),
    );

    const missing = await failureOf(
      ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: target,
          IpPermissions: [backendPermission(80, 80), backendPermission(81, 81)],
        }),
      ),
    );

    expect(missing.name).toBe("InvalidPermission.NotFound");
    expect(missing.message).toBe("The specified rule does not exist in this security group.");
    expect(await ingressRules(target)).toHaveLength(1);
  });

  it("revokes by rule id; an unknown rule id is InvalidSecurityGroupRuleId.NotFound", async () => {
    const authorized = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [backendPermission(80, 80)] }),
    );
    const ruleId = authorized.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? "";

    const answer = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: target, SecurityGroupRuleIds: [ruleId] }),
    );
    const again = await failureOf(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: target, SecurityGroupRuleIds: [ruleId] })),
    );

    expect(answer.RevokedSecurityGroupRules?.map((rule) => rule.SecurityGroupRuleId)).toEqual([ruleId]);
    expect(again.name).toBe("InvalidSecurityGroupRuleId.NotFound");
    expect(again.message).toBe(`The security group rule ID '${ruleId}' does not exist`);
  });

  it("authorizes and revokes egress rules separately from ingress", async () => {
    const permission: IpPermission = {
      IpProtocol: "tcp",
      FromPort: 5432,
      ToPort: 5432,
      IpRanges: [{ CidrIp: "10.1.0.0/16" }],
    };

    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: target, IpPermissions: [permission] }));
    const ingressRevoke = await failureOf(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [permission] })),
    );
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: target, IpPermissions: [permission] }));
    const egress = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [target] }))).SecurityGroups?.[0]
      ?.IpPermissionsEgress;

    expect(ingressRevoke.name).toBe("InvalidPermission.NotFound");
    expect(egress?.map((p) => p.IpProtocol)).toEqual(["-1"]);
  });

  it("describes rules by id, group, tag and pages them with the SDK paginator", async () => {
    const authorized = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: target,
        IpPermissions: [backendPermission(1000, 1000), backendPermission(1001, 1001), backendPermission(1002, 1002)],
        TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: "owner", Value: "lbc" }] }],
      }),
    );
    const ids = (authorized.SecurityGroupRules ?? []).map((rule) => rule.SecurityGroupRuleId ?? "");

    const byId = await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ids[1] ?? ""] }));
    const byTag = await ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [
          { Name: "tag:owner", Values: ["lbc"] },
          { Name: "group-id", Values: [target] },
        ],
      }),
    );
    const paged: string[] = [];
    for await (const page of paginateDescribeSecurityGroupRules(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: "group-id", Values: [target] }] },
    )) {
      paged.push(...(page.SecurityGroupRules ?? []).map((rule) => rule.SecurityGroupRuleId ?? ""));
    }

    expect(byId.SecurityGroupRules?.[0]).toMatchObject({ FromPort: 1001, Tags: [{ Key: "owner", Value: "lbc" }] });
    expect(byTag.SecurityGroupRules?.map((rule) => rule.SecurityGroupRuleId)).toEqual(ids);
    expect(paged).toHaveLength(4);
    expect(paged.slice(1)).toEqual(ids);
  });

  it("stores all-traffic rules with ports -1 in rules and without ports in permissions", async () => {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: target,
        IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: backend }] }],
      }),
    );

    const [rule] = await ingressRules(target);
    const permissions = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [target] }))).SecurityGroups?.[0]
      ?.IpPermissions;

    expect(rule).toMatchObject({ IpProtocol: "-1", FromPort: -1, ToPort: -1 });
    expect(permissions?.[0]?.FromPort).toBeUndefined();
    expect(permissions?.[0]?.IpProtocol).toBe("-1");
  });
});
