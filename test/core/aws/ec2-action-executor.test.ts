import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DeleteNetworkInterfaceCommand,
  DeleteTagsCommand,
  DisassociateTrunkInterfaceCommand,
  EC2Client,
  EC2ServiceException,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { Ec2ActionExecutor } from "../../../core/aws/ec2-action-executor.ts";
import { MutationPacer } from "../../../core/aws/mutation-pacer.ts";
import type { PlannedAction } from "../../../core/model/planned-action.ts";
import { LBC_RULE_DESCRIPTION, TAGS } from "../../../core/model/tags.ts";
import { FakeClock } from "./fake-clock.ts";

const ec2Mock = mockClient(EC2Client);

const ec2Error = (name: string, status = 400) =>
  new EC2ServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });

const base = { cluster: "alpha", reason: "test" };
const deleteEni = (eniId: string, associationId?: string): PlannedAction => ({
  ...base,
  kind: "delete-eni",
  eniId,
  evidence: { kind: "available", detail: "status is available" },
  ...(associationId ? { associationId } : {}),
});
const tagSg = (groupId: string): PlannedAction => ({
  ...base,
  kind: "tag-sg",
  groupId,
  tagKey: "kubernetes.io/cluster/alpha",
});
const untagSg = (groupId: string): PlannedAction => ({
  ...base,
  kind: "untag-sg",
  groupId,
  tagKey: "kubernetes.io/cluster/alpha",
});
const authorize = (groupId: string, fromPort: number, sourceGroupId = "sg-backend"): PlannedAction => ({
  ...base,
  kind: "authorize-rule",
  rule: { groupId, protocol: "tcp", fromPort, toPort: fromPort, sourceGroupId },
});
const revoke = (groupId: string, ruleId: string): PlannedAction => ({
  ...base,
  kind: "revoke-rule",
  rule: { ruleId, groupId, protocol: "tcp", fromPort: 80, toPort: 80, sourceGroupId: "sg-backend" },
});

describe("Ec2ActionExecutor", () => {
  let clock: FakeClock;
  let executor: Ec2ActionExecutor;

  beforeEach(() => {
    ec2Mock.reset();
    clock = new FakeClock();
    executor = new Ec2ActionExecutor(new EC2Client({ region: "us-east-1" }), new MutationPacer(2, clock), { clock });
  });

  it("sends nothing at all in dry-run", async () => {
    // Prepare
    const actions = [
      deleteEni("eni-1", "trunk-assoc-1"),
      tagSg("sg-1"),
      authorize("sg-1", 80),
      revoke("sg-1", "sgr-1"),
    ];

    // Act
    const results = await executor.execute(actions, "dry-run");

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["dry-run", "dry-run", "dry-run", "dry-run"]);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it("disassociates before deleting and counts NotFound on either as done", async () => {
    // Prepare
    ec2Mock.on(DisassociateTrunkInterfaceCommand).rejects(ec2Error("InvalidTrunkInterfaceAssociationID.NotFound"));
    ec2Mock
      .on(DeleteNetworkInterfaceCommand, { NetworkInterfaceId: "eni-1" })
      .resolves({})
      .on(DeleteNetworkInterfaceCommand, { NetworkInterfaceId: "eni-2" })
      .rejects(ec2Error("InvalidNetworkInterfaceID.NotFound"));

    // Act
    const results = await executor.execute([deleteEni("eni-1", "trunk-assoc-1"), deleteEni("eni-2")], "enforce");

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["succeeded", "already-done"]);
    expect(ec2Mock.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "DisassociateTrunkInterfaceCommand",
      "DeleteNetworkInterfaceCommand",
      "DeleteNetworkInterfaceCommand",
    ]);
    expect(ec2Mock).toHaveReceivedCommandWith(DisassociateTrunkInterfaceCommand, { AssociationId: "trunk-assoc-1" });
  });

  it("does not delete when the disassociation fails for another reason", async () => {
    // Prepare
    ec2Mock.on(DisassociateTrunkInterfaceCommand).rejects(ec2Error("UnauthorizedOperation"));

    // Act
    const [result] = await executor.execute([deleteEni("eni-1", "trunk-assoc-1")], "enforce");

    // Assess
    expect(result).toMatchObject({ outcome: "failed" });
    expect(result?.detail).toContain("DisassociateTrunkInterface failed: UnauthorizedOperation");
    expect(ec2Mock).not.toHaveReceivedCommand(DeleteNetworkInterfaceCommand);
  });

  it("retries a deletion EC2 still sees in use right after the disassociation, a bounded number of times", async () => {
    // Prepare
    ec2Mock.on(DisassociateTrunkInterfaceCommand).resolves({});
    ec2Mock.on(DeleteNetworkInterfaceCommand).rejectsOnce(ec2Error("InvalidNetworkInterface.InUse")).resolves({});

    // Act
    const [result] = await executor.execute([deleteEni("eni-1", "trunk-assoc-1")], "enforce");

    // Assess
    expect(result?.outcome).toBe("succeeded");
    expect(ec2Mock).toHaveReceivedCommandTimes(DeleteNetworkInterfaceCommand, 2);
  });

  it("suppresses deletions beyond the cap it is given", async () => {
    // Prepare
    ec2Mock.on(DeleteNetworkInterfaceCommand).resolves({});

    // Act
    const results = await executor.execute([deleteEni("eni-1"), deleteEni("eni-2"), deleteEni("eni-3")], "enforce", {
      maxDeletes: 2,
    });

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["succeeded", "succeeded", "suppressed"]);
    expect(ec2Mock).toHaveReceivedCommandTimes(DeleteNetworkInterfaceCommand, 2);
  });

  it("tags many SGs in one CreateTags call with the marker, and splits above 200 ids", async () => {
    // Prepare
    ec2Mock.on(CreateTagsCommand).resolves({});
    const actions = Array.from({ length: 250 }, (_, i) => tagSg(`sg-${i}`));

    // Act
    const results = await executor.execute(actions, "enforce");

    // Assess
    expect(results.every((r) => r.outcome === "succeeded")).toBe(true);
    const calls = ec2Mock.commandCalls(CreateTagsCommand);
    expect(calls.map((c) => c.args[0].input.Resources?.length)).toEqual([200, 50]);
    expect(calls[0]?.args[0].input.Tags).toEqual([
      { Key: "kubernetes.io/cluster/alpha", Value: "shared" },
      { Key: TAGS.taggedBy, Value: "branchkeeper" },
    ]);
  });

  it("retries a failed batch one id at a time so one bad id does not fail the others", async () => {
    // Prepare
    ec2Mock.on(CreateTagsCommand).callsFake((input: { Resources: string[] }) => {
      if (input.Resources.includes("sg-gone")) throw ec2Error("InvalidGroup.NotFound");
      return {};
    });

    // Act
    const results = await executor.execute([tagSg("sg-1"), tagSg("sg-gone"), tagSg("sg-2")], "enforce");

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["succeeded", "failed", "succeeded"]);
    expect(ec2Mock).toHaveReceivedCommandTimes(CreateTagsCommand, 4);
  });

  it("fails a throttled batch without multiplying calls", async () => {
    // Prepare
    ec2Mock.on(CreateTagsCommand).rejects(ec2Error("RequestLimitExceeded", 503));

    // Act
    const results = await executor.execute([tagSg("sg-1"), tagSg("sg-2")], "enforce");

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["failed", "failed"]);
    expect(results[0]?.detail).toContain("(retryable)");
    expect(ec2Mock).toHaveReceivedCommandTimes(CreateTagsCommand, 1);
  });

  it("removes the cluster tag and the marker by key, and counts a vanished SG as done", async () => {
    // Prepare
    ec2Mock.on(DeleteTagsCommand).rejects(ec2Error("InvalidGroup.NotFound"));

    // Act
    const [result] = await executor.execute([untagSg("sg-1")], "enforce");

    // Assess
    expect(result?.outcome).toBe("already-done");
    expect(ec2Mock).toHaveReceivedCommandWith(DeleteTagsCommand, {
      Resources: ["sg-1"],
      Tags: [{ Key: "kubernetes.io/cluster/alpha" }, { Key: TAGS.taggedBy }],
    });
  });

  it("authorizes the rules of one SG in one call, labelled as the LBC labels them", async () => {
    // Prepare
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({
      Return: true,
      SecurityGroupRules: [{ SecurityGroupRuleId: "sgr-a" }, { SecurityGroupRuleId: "sgr-b" }],
    });

    // Act
    const results = await executor.execute(
      [authorize("sg-1", 80), authorize("sg-1", 8080), authorize("sg-2", 80)],
      "enforce",
    );

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(ec2Mock).toHaveReceivedCommandTimes(AuthorizeSecurityGroupIngressCommand, 2);
    expect(ec2Mock).toHaveReceivedNthCommandWith(AuthorizeSecurityGroupIngressCommand, 1, {
      GroupId: "sg-1",
      IpPermissions: [
        {
          IpProtocol: "tcp",
          FromPort: 80,
          ToPort: 80,
          UserIdGroupPairs: [{ GroupId: "sg-backend", Description: LBC_RULE_DESCRIPTION }],
        },
        {
          IpProtocol: "tcp",
          FromPort: 8080,
          ToPort: 8080,
          UserIdGroupPairs: [{ GroupId: "sg-backend", Description: LBC_RULE_DESCRIPTION }],
        },
      ],
    });
  });

  it("maps a duplicate rule to already-done without losing the others of the same call", async () => {
    // Prepare
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).callsFake((input: { IpPermissions: { FromPort: number }[] }) => {
      if (input.IpPermissions.some((p) => p.FromPort === 80)) throw ec2Error("InvalidPermission.Duplicate");
      return { Return: true };
    });

    // Act
    const results = await executor.execute([authorize("sg-1", 80), authorize("sg-1", 8080)], "enforce");

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["already-done", "succeeded"]);
  });

  it("revokes by rule id per SG, after authorizing, and counts a vanished rule as done", async () => {
    // Prepare
    ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2Mock
      .on(RevokeSecurityGroupIngressCommand, { GroupId: "sg-1" })
      .resolves({ Return: true })
      .on(RevokeSecurityGroupIngressCommand, { GroupId: "sg-2" })
      .rejects(ec2Error("InvalidSecurityGroupRuleId.NotFound"));

    // Act
    const results = await executor.execute(
      [revoke("sg-1", "sgr-1"), revoke("sg-1", "sgr-2"), revoke("sg-2", "sgr-3"), authorize("sg-1", 443)],
      "enforce",
    );

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["succeeded", "succeeded", "already-done", "succeeded"]);
    const names = ec2Mock.calls().map((c) => c.args[0].constructor.name);
    expect(names.indexOf("AuthorizeSecurityGroupIngressCommand")).toBeLessThan(
      names.indexOf("RevokeSecurityGroupIngressCommand"),
    );
    expect(ec2Mock).toHaveReceivedCommandWith(RevokeSecurityGroupIngressCommand, {
      GroupId: "sg-1",
      SecurityGroupRuleIds: ["sgr-1", "sgr-2"],
    });
  });

  it("paces every mutation through the shared limiter", async () => {
    // Prepare
    ec2Mock.on(DeleteNetworkInterfaceCommand).resolves({});
    ec2Mock.on(CreateTagsCommand).resolves({});

    // Act
    await executor.execute([deleteEni("eni-1"), deleteEni("eni-2"), tagSg("sg-1")], "enforce");

    // Assess: 3 calls at 2/s: the first is free, the next two wait 500 ms each.
    expect(clock.sleeps).toEqual([500, 500]);
    expect(clock.now()).toBe(1_000);
  });
});
