import type { NetworkInterface, NetworkInterfaceStatus } from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AwsAccountObserver } from "../../../core/aws/aws-account-observer.ts";
import { isEniConfirmedAbsent } from "../../../core/model/cluster-snapshot.ts";
import type { ClusterInfo } from "../../../core/model/observed.ts";
import { ec2Error, MockAccount } from "./mock-account.ts";

const OWNER = { Key: "eks:eni:owner", Value: "eks-vpc-resource-controller" };
const clusterTag = (cluster: string) => ({ Key: `kubernetes.io/cluster/${cluster}`, Value: "owned" });

const trunk = (id: string, cluster: string, instanceId: string): NetworkInterface => ({
  NetworkInterfaceId: id,
  VpcId: "vpc-1",
  SubnetId: "subnet-1",
  Status: "in-use",
  InterfaceType: "trunk",
  Description: "aws-k8s-trunk-eni",
  Groups: [{ GroupId: "sg-node" }],
  TagSet: [OWNER, clusterTag(cluster), { Key: "node.k8s.amazonaws.com/instance_id", Value: instanceId }],
  Attachment: { InstanceId: instanceId, DeviceIndex: 1, Status: "attached" },
});

const branch = (
  id: string,
  cluster: string,
  options: { trunk?: string; instance?: string; status?: NetworkInterfaceStatus; groups?: string[]; ip?: string } = {},
): NetworkInterface => ({
  NetworkInterfaceId: id,
  VpcId: "vpc-1",
  SubnetId: "subnet-1",
  Status: options.status ?? "in-use",
  InterfaceType: "branch",
  Description: "aws-k8s-branch-eni",
  Groups: (options.groups ?? ["sg-pod"]).map((GroupId) => ({ GroupId })),
  TagSet: [
    OWNER,
    clusterTag(cluster),
    { Key: "vpcresources.k8s.aws/trunk-eni-id", Value: options.trunk ?? "eni-trunk-1" },
    { Key: "vpcresources.k8s.aws/vlan-id", Value: "1" },
    ...(options.instance ? [{ Key: "node.k8s.amazonaws.com/instance_id", Value: options.instance }] : []),
  ],
  PrivateIpAddresses: [
    { PrivateIpAddress: options.ip ?? `10.0.${id.length}.${id.charCodeAt(id.length - 1)}`, Primary: true },
  ],
});

const alpha: ClusterInfo = { name: "alpha", status: "active", vpcId: "vpc-1" };
const beta: ClusterInfo = { name: "beta", status: "active", vpcId: "vpc-1" };

describe("AwsAccountObserver.observe (full)", () => {
  let account: MockAccount;

  beforeEach(() => {
    account = new MockAccount();
    account.groups.push({ GroupId: "sg-pod", GroupName: "pod", VpcId: "vpc-1" });
  });
  afterEach(() => account.restore());

  it("reads every owned ENI in one paginated, filtered sweep and splits it by cluster", async () => {
    // Prepare
    account.enis.push(trunk("eni-trunk-1", "alpha", "i-1"), trunk("eni-trunk-2", "beta", "i-2"));
    for (let i = 0; i < 1500; i++) account.enis.push(branch(`eni-a${i}`, "alpha"));
    for (let i = 0; i < 600; i++) account.enis.push(branch(`eni-b${i}`, "beta", { trunk: "eni-trunk-2" }));
    const progress: number[] = [];
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a, b] = await observer.observe(
      [alpha, beta],
      { kind: "full" },
      { onProgress: (p) => progress.push(p.enisSeen) },
    );

    // Assess
    expect(a?.branchEnis.size).toBe(1500);
    expect([...(a?.trunkEnis.keys() ?? [])]).toEqual(["eni-trunk-1"]);
    expect(b?.branchEnis.size).toBe(600);
    const sweeps = account.inputsOf("DescribeNetworkInterfaces");
    expect(sweeps).toHaveLength(3);
    expect(sweeps[0]).toMatchObject({
      MaxResults: 1000,
      Filters: [
        { Name: "tag:eks:eni:owner", Values: ["eks-vpc-resource-controller"] },
        { Name: "description", Values: ["aws-k8s-branch-eni", "aws-k8s-trunk-eni"] },
        { Name: "vpc-id", Values: ["vpc-1"] },
      ],
    });
    expect(progress).toContain(2102);
    expect(a?.incomplete.size).toBe(1);
    expect(a?.incomplete.get("associations")).toMatch(/^not read in a full sweep/);
  });

  it("marks exactly the ENI parts incomplete when a page fails, and keeps reading the rest", async () => {
    // Prepare
    for (let i = 0; i < 1200; i++) account.enis.push(branch(`eni-a${i}`, "alpha"));
    account.fail("DescribeNetworkInterfaces", ec2Error("InternalError", 500), (input) => input.NextToken !== undefined);
    account.targetGroups.push({ TargetGroupArn: "arn:tg/1", VpcId: "vpc-1", TargetType: "ip", LoadBalancerArns: [] });
    account.elbv2Tags.set("arn:tg/1", [{ Key: "elbv2.k8s.aws/cluster", Value: "alpha" }]);
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a] = await observer.observe([alpha], { kind: "full" });

    // Assess
    expect(a?.branchEnis.size).toBe(1000);
    expect([...(a?.incomplete.keys() ?? [])].sort()).toEqual(["associations", "branch-enis", "trunk-enis"]);
    expect(a?.incomplete.get("branch-enis")).toContain("DescribeNetworkInterfaces failed: InternalError");
    expect(a?.incomplete.get("branch-enis")).toContain("(retryable)");
    expect(a?.targetGroups.map((g) => g.arn)).toEqual(["arn:tg/1"]);
    expect(a?.securityGroups.has("sg-pod")).toBe(true);
  });

  it("marks only the cluster whose target health failed", async () => {
    // Prepare
    for (const [arn, cluster] of [
      ["arn:tg/a", "alpha"],
      ["arn:tg/b", "beta"],
    ] as const) {
      account.targetGroups.push({ TargetGroupArn: arn, VpcId: "vpc-1", TargetType: "ip" });
      account.elbv2Tags.set(arn, [{ Key: "elbv2.k8s.aws/cluster", Value: cluster }]);
    }
    account.fail(
      "DescribeTargetHealth",
      ec2Error("InternalError", 500),
      (input) => input.TargetGroupArn === "arn:tg/a",
    );
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a, b] = await observer.observe([alpha, beta], { kind: "full" });

    // Assess
    expect(a?.incomplete.has("target-groups")).toBe(true);
    expect(b?.incomplete.has("target-groups")).toBe(false);
    expect(b?.targetGroups.map((g) => g.arn)).toEqual(["arn:tg/b"]);
  });

  it("asks for instances only where the trunk is gone, by id in chunks of 200", async () => {
    // Prepare
    account.enis.push(trunk("eni-trunk-1", "alpha", "i-live"));
    account.enis.push(branch("eni-live", "alpha", { instance: "i-live" }));
    for (let i = 0; i < 450; i++) {
      account.enis.push(
        branch(`eni-l${i}`, "alpha", { trunk: `eni-gone${i}`, instance: `i-${i}`, status: "available" }),
      );
    }
    account.instances.push({ InstanceId: "i-0", State: { Name: "terminated" } });
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a] = await observer.observe([alpha], { kind: "full" });

    // Assess
    const asked = account
      .inputsOf("DescribeInstances")
      .map((input) => (input.Filters as { Values: string[] }[])[0]?.Values);
    expect(asked.map((values) => values?.length)).toEqual([200, 200, 50]);
    expect(asked.flat()).not.toContain("i-live");
    expect(a?.instances.get("i-0")?.state).toBe("terminated");
    expect(a?.lookedUp?.instanceIds.has("i-1")).toBe(true);
    expect(a?.lookedUp?.instanceIds.has("i-live")).toBe(false);
  });

  it("reads target groups, targets, load balancers, target ENIs and LBC rules of the cluster", async () => {
    // Prepare
    account.enis.push(
      trunk("eni-trunk-1", "alpha", "i-1"),
      branch("eni-pod", "alpha", { ip: "10.0.9.9", groups: ["sg-pod"] }),
    );
    account.enis.push({
      NetworkInterfaceId: "eni-node",
      VpcId: "vpc-1",
      Groups: [{ GroupId: "sg-node" }],
      Attachment: { InstanceId: "i-1", DeviceIndex: 0 },
      PrivateIpAddresses: [{ PrivateIpAddress: "10.0.1.1", Primary: true }, { PrivateIpAddress: "10.0.1.2" }],
    });
    account.groups.push(
      {
        GroupId: "sg-backend",
        VpcId: "vpc-1",
        Tags: [
          { Key: "elbv2.k8s.aws/cluster", Value: "alpha" },
          { Key: "elbv2.k8s.aws/resource", Value: "backend-sg" },
        ],
      },
      { GroupId: "sg-lb", VpcId: "vpc-1" },
      { GroupId: "sg-node", VpcId: "vpc-1" },
      {
        GroupId: "sg-stale",
        VpcId: "vpc-1",
        IpPermissions: [
          {
            IpProtocol: "tcp",
            UserIdGroupPairs: [{ GroupId: "sg-backend", Description: "elbv2.k8s.aws/targetGroupBinding=shared" }],
          },
        ],
      },
    );
    account.rules.push(
      {
        SecurityGroupRuleId: "sgr-stale",
        GroupId: "sg-stale",
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 80,
        ToPort: 80,
        ReferencedGroupInfo: { GroupId: "sg-backend" },
        Description: "elbv2.k8s.aws/targetGroupBinding=shared",
      },
      {
        SecurityGroupRuleId: "sgr-egress",
        GroupId: "sg-stale",
        IsEgress: true,
        IpProtocol: "-1",
        CidrIpv4: "0.0.0.0/0",
      },
    );
    account.targetGroups.push(
      { TargetGroupArn: "arn:tg/ip", VpcId: "vpc-1", TargetType: "ip", LoadBalancerArns: ["arn:lb/1"] },
      { TargetGroupArn: "arn:tg/instance", VpcId: "vpc-1", TargetType: "instance", LoadBalancerArns: ["arn:lb/1"] },
      { TargetGroupArn: "arn:tg/other", VpcId: "vpc-1", TargetType: "ip" },
      { TargetGroupArn: "arn:tg/elsewhere", VpcId: "vpc-9", TargetType: "ip" },
    );
    account.elbv2Tags.set("arn:tg/ip", [{ Key: "elbv2.k8s.aws/cluster", Value: "alpha" }]);
    account.elbv2Tags.set("arn:tg/instance", [{ Key: "elbv2.k8s.aws/cluster", Value: "alpha" }]);
    account.elbv2Tags.set("arn:lb/1", [{ Key: "elbv2.k8s.aws/cluster", Value: "alpha" }]);
    account.targets.set("arn:tg/ip", [
      { Target: { Id: "10.0.9.9", Port: 8080 } },
      { Target: { Id: "10.0.1.2", Port: 8080 } },
    ]);
    account.targets.set("arn:tg/instance", [{ Target: { Id: "i-1", Port: 30080 } }]);
    account.loadBalancers.push({ LoadBalancerArn: "arn:lb/1", SecurityGroups: ["sg-lb", "sg-backend"] });
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a] = await observer.observe([alpha], { kind: "full" });

    // Assess
    expect(a?.incomplete.size).toBe(1);
    expect(a?.backendSecurityGroupId).toBe("sg-backend");
    expect(a?.targetGroups.map((g) => g.arn).sort()).toEqual(["arn:tg/instance", "arn:tg/ip"]);
    expect(a?.loadBalancers.get("arn:lb/1")?.securityGroupIds).toEqual(["sg-lb", "sg-backend"]);
    expect([...(a?.targetEnis.keys() ?? [])].sort()).toEqual(["eni-node", "eni-pod"]);
    expect([...(a?.securityGroups.keys() ?? [])].sort()).toEqual([
      "sg-backend",
      "sg-lb",
      "sg-node",
      "sg-pod",
      "sg-stale",
    ]);
    expect(a?.securityGroups.get("sg-stale")?.ingress.map((r) => r.ruleId)).toEqual(["sgr-stale"]);
    // Only the tags of groups in the cluster's VPC (and their LB) were asked for, in one call.
    expect(account.inputsOf("DescribeTags")).toEqual([
      { ResourceArns: ["arn:tg/ip", "arn:lb/1", "arn:tg/instance", "arn:tg/other"] },
    ]);
    // The pod's IP was resolved from the sweep; only the node's secondary IP cost a lookup.
    const byIp = account
      .inputsOf("DescribeNetworkInterfaces")
      .filter((i) => JSON.stringify(i).includes("addresses.private-ip-address"));
    expect(byIp).toHaveLength(1);
    expect(JSON.stringify(byIp[0])).toContain("10.0.1.2");
    expect(JSON.stringify(byIp[0])).not.toContain("10.0.9.9");
  });

  it("reads security groups of more than 200 ids through VPC pages when that is cheaper", async () => {
    // Prepare
    for (let i = 0; i < 300; i++) {
      account.enis.push(branch(`eni-a${i}`, "alpha", { groups: [`sg-${i}`] }));
      account.groups.push({ GroupId: `sg-${i}`, VpcId: "vpc-1" });
    }
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a] = await observer.observe([alpha], { kind: "full" });

    // Assess
    expect(a?.securityGroups.size).toBe(300);
    const groupCalls = account
      .inputsOf("DescribeSecurityGroups")
      .map((i) => (i.Filters as { Name: string }[])[0]?.Name);
    expect(groupCalls).toEqual(["tag:elbv2.k8s.aws/resource", "vpc-id"]);
  });
});

describe("AwsAccountObserver.observe (scoped)", () => {
  let account: MockAccount;

  beforeEach(() => {
    account = new MockAccount();
  });
  afterEach(() => account.restore());

  it("reads one ENI with its trunk, association and node, and marks what it did not read", async () => {
    // Prepare
    account.enis.push(trunk("eni-trunk-1", "alpha", "i-1"), branch("eni-1", "alpha", { instance: "i-1" }));
    account.associations.push({
      AssociationId: "trunk-assoc-1",
      BranchInterfaceId: "eni-1",
      TrunkInterfaceId: "eni-trunk-1",
      VlanId: 1,
    });
    account.instances.push({ InstanceId: "i-1", State: { Name: "running" } });
    account.groups.push({ GroupId: "sg-pod", VpcId: "vpc-1" });
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a] = await observer.observe([alpha], { kind: "eni", ids: ["eni-1"] });

    // Assess
    expect([...(a?.branchEnis.keys() ?? [])]).toEqual(["eni-1"]);
    expect([...(a?.trunkEnis.keys() ?? [])]).toEqual(["eni-trunk-1"]);
    expect(a?.associations.get("eni-1")?.associationId).toBe("trunk-assoc-1");
    expect(a?.instances.get("i-1")?.state).toBe("running");
    expect(a?.securityGroups.has("sg-pod")).toBe(true);
    expect([...(a?.incomplete.keys() ?? [])].sort()).toEqual(["load-balancers", "target-enis", "target-groups"]);
    expect(a?.incomplete.get("target-groups")).toBe("not read in a scoped observation (eni eni-1)");
  });

  it("proves absence only for the ENI it looked up", async () => {
    // Prepare
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a] = await observer.observe([alpha], { kind: "eni", ids: ["eni-gone"] });

    // Assess
    expect(a && isEniConfirmedAbsent(a, "eni-gone")).toBe(true);
    expect(a && isEniConfirmedAbsent(a, "eni-other")).toBe(false);
  });

  it("finds an instance's trunk and branches, and proves a trunk gone only when looked up by id", async () => {
    // Prepare
    account.enis.push(
      trunk("eni-trunk-1", "alpha", "i-1"),
      branch("eni-1", "alpha", { instance: "i-1" }),
      branch("eni-old", "alpha"),
      branch("eni-stale", "alpha", { instance: "i-1", trunk: "eni-trunk-old" }),
    );
    account.instances.push({ InstanceId: "i-1", State: { Name: "shutting-down" } });
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const [a] = await observer.observe([alpha], { kind: "instance", ids: ["i-1"] });

    // Assess
    expect([...(a?.branchEnis.keys() ?? [])].sort()).toEqual(["eni-1", "eni-old", "eni-stale"]);
    expect(a?.instances.get("i-1")?.state).toBe("shutting-down");
    expect(a && isEniConfirmedAbsent(a, "eni-trunk-old", "trunk-enis")).toBe(true);
    expect(a?.incomplete.has("trunk-enis")).toBe(false);
  });
});

describe("AwsAccountObserver.discoverClusters", () => {
  let account: MockAccount;

  beforeEach(() => {
    account = new MockAccount();
  });
  afterEach(() => account.restore());

  it("adds clusters EKS no longer knows from EC2 tags, and never calls an unanswered one deleted", async () => {
    // Prepare
    account.clusters.set("alpha", { name: "alpha", status: "ACTIVE", resourcesVpcConfig: { vpcId: "vpc-1" } });
    account.clusters.set("gamma", { name: "gamma", status: "ACTIVE" });
    account.enis.push(branch("eni-1", "ghost", { status: "available" }));
    account.groups.push({
      GroupId: "sg-backend-old",
      VpcId: "vpc-7",
      Tags: [
        { Key: "elbv2.k8s.aws/cluster", Value: "relic" },
        { Key: "elbv2.k8s.aws/resource", Value: "backend-sg" },
      ],
    });
    account.fail("DescribeCluster", ec2Error("ServiceUnavailableException", 503), (input) => input.name === "gamma");
    const errors: Error[] = [];
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const clusters = await observer.discoverClusters("*", { onError: (e) => errors.push(e) });

    // Assess
    expect(clusters).toEqual([
      { name: "alpha", status: "active", vpcId: "vpc-1" },
      { name: "gamma", status: "unknown" },
      { name: "ghost", status: "deleted", vpcId: "vpc-1" },
      { name: "relic", status: "deleted", vpcId: "vpc-7" },
    ]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining("DescribeCluster failed")]);
  });

  it("lets the sweep that follows reuse the ENIs discovery just read", async () => {
    // Prepare
    account.clusters.set("alpha", { name: "alpha", status: "ACTIVE", resourcesVpcConfig: { vpcId: "vpc-1" } });
    account.enis.push(branch("eni-1", "alpha"));
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const clusters = await observer.discoverClusters("*");
    const [first] = await observer.observe(clusters, { kind: "full" });
    const [second] = await observer.observe(clusters, { kind: "full" });

    // Assess
    expect(first?.branchEnis.has("eni-1")).toBe(true);
    expect(second?.branchEnis.has("eni-1")).toBe(true);
    expect(account.callCounts().DescribeNetworkInterfaces).toBe(2);
  });

  it("describes only the configured clusters when given names", async () => {
    // Prepare
    account.clusters.set("alpha", { name: "alpha", status: "CREATING" });
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const clusters = await observer.discoverClusters(["alpha", "omega"]);

    // Assess
    expect(clusters).toEqual([
      { name: "alpha", status: "active" },
      { name: "omega", status: "deleted" },
    ]);
    expect(account.callCounts()).toEqual({ DescribeCluster: 2 });
  });
});

describe("AwsAccountObserver.recheckBranchEni", () => {
  let account: MockAccount;

  beforeEach(() => {
    account = new MockAccount();
  });
  afterEach(() => account.restore());

  it("says undefined for an ENI EC2 no longer knows", async () => {
    // Prepare
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const recheck = await observer.recheckBranchEni("eni-gone");

    // Assess
    expect(recheck.eni).toBeUndefined();
    expect(account.callCounts()).toEqual({ DescribeNetworkInterfaces: 1 });
  });

  it("confirms a missing trunk as null and reads the node and the live association", async () => {
    // Prepare
    account.enis.push(branch("eni-1", "alpha", { trunk: "eni-trunk-9", instance: "i-9" }));
    account.associations.push({
      AssociationId: "trunk-assoc-9",
      BranchInterfaceId: "eni-1",
      TrunkInterfaceId: "eni-trunk-9",
    });
    account.instances.push({ InstanceId: "i-9", State: { Name: "terminated" } });
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const recheck = await observer.recheckBranchEni("eni-1");

    // Assess
    expect(recheck.eni?.eniId).toBe("eni-1");
    expect(recheck.trunk).toBeNull();
    expect(recheck.instance).toEqual({ instanceId: "i-9", state: "terminated" });
    expect(recheck.associationId).toBe("trunk-assoc-9");
  });

  it("throws rather than guess when a read fails", async () => {
    // Prepare
    account.enis.push(branch("eni-1", "alpha"));
    account.fail("DescribeTrunkInterfaceAssociations", ec2Error("RequestLimitExceeded", 503));
    const observer = new AwsAccountObserver(account.clients());

    // Act
    const error = await observer.recheckBranchEni("eni-1").catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "AwsCallError", code: "RequestLimitExceeded", retryable: true });
  });
});
