import {
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  type CreateClusterCommandInput,
  DeleteClusterCommand,
  DescribeClusterCommand,
  ListClustersCommand,
  paginateListClusters,
} from "@aws-sdk/client-eks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { setFaults, simClients, simControl } from "../../support/sim-clients.ts";

const ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/eks-cluster`;

describe("EKS clusters", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let vpcId: string;
  let subnets: string[];
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    vpcId = vpc.Vpc?.VpcId ?? "";
    subnets = [];
    for (const [cidr, zone] of [
      ["10.0.1.0/24", "us-east-1a"],
      ["10.0.2.0/24", "us-east-1b"],
    ] as const) {
      const subnet = await clients.ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }),
      );
      subnets.push(subnet.Subnet?.SubnetId ?? "");
    }
  });

  const create = (name: string, extra: Partial<CreateClusterCommandInput> = {}) =>
    clients.eks.send(
      new CreateClusterCommand({ name, roleArn: ROLE, resourcesVpcConfig: { subnetIds: subnets }, ...extra }),
    );

  const clusterSecurityGroup = async (groupId: string) =>
    (await clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: [groupId] }] })))
      .SecurityGroups?.[0];

  it("creates a cluster, answering CREATING, and describes it ACTIVE with its VPC and cluster security group", async () => {
    const created = await create("prod", { version: "1.32", tags: { team: "platform" } });
    const described = await clients.eks.send(new DescribeClusterCommand({ name: "prod" }));

    expect(created.cluster?.status).toBe("CREATING");
    const cluster = described.cluster;
    expect(cluster).toMatchObject({
      name: "prod",
      arn: `arn:aws:eks:us-east-1:${DEFAULT_ACCOUNT_ID}:cluster/prod`,
      version: "1.32",
      status: "ACTIVE",
      roleArn: ROLE,
      platformVersion: expect.stringMatching(/^eks\.\d+$/),
      tags: { team: "platform" },
      resourcesVpcConfig: {
        subnetIds: subnets,
        securityGroupIds: [],
        vpcId,
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: "172.20.0.0/16", ipFamily: "ipv4" },
    });
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    expect(cluster?.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
    expect(cluster?.certificateAuthority?.data).toBeTruthy();
    expect(cluster?.resourcesVpcConfig?.clusterSecurityGroupId).toMatch(/^sg-[0-9a-f]{17}$/);
  });

  it("creates the cluster security group in EC2 with EKS's name, description and tags", async () => {
    const created = await create("prod");
    const groupId = created.cluster?.resourcesVpcConfig?.clusterSecurityGroupId ?? "";

    const group = await clusterSecurityGroup(groupId);

    expect(group?.GroupName).toMatch(/^eks-cluster-sg-prod-\d{10}$/);
    expect(group?.VpcId).toBe(vpcId);
    expect(group?.Description).toBe(
      "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
    );
    expect(group?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "kubernetes.io/cluster/prod", Value: "owned" },
        { Key: "aws:eks:cluster-name", Value: "prod" },
        { Key: "Name", Value: group?.GroupName },
      ]),
    );
  });

  it("refuses a second cluster of the same name, unknown subnets or security groups, and a single zone", async () => {
    await create("prod");

    const duplicate = await create("prod").catch((e: unknown) => e);
    const unknownSubnet = await create("other", {
      resourcesVpcConfig: { subnetIds: [subnets[0] ?? "", "subnet-0123456789abcdef0"] },
    }).catch((e: unknown) => e);
    const oneZone = await create("other", { resourcesVpcConfig: { subnetIds: [subnets[0] ?? ""] } }).catch(
      (e: unknown) => e,
    );
    const unknownGroup = await create("other", {
      resourcesVpcConfig: { subnetIds: subnets, securityGroupIds: ["sg-0123456789abcdef0"] },
    }).catch((e: unknown) => e);

    expect(duplicate).toMatchObject({
      name: "ResourceInUseException",
      clusterName: "prod",
      $metadata: { httpStatusCode: 409 },
    });
    expect(unknownSubnet).toMatchObject({ name: "InvalidParameterException", $metadata: { httpStatusCode: 400 } });
    expect(oneZone).toMatchObject({ name: "InvalidParameterException" });
    expect(unknownGroup).toMatchObject({ name: "InvalidParameterException", clusterName: "other" });
  });

  it("answers ResourceNotFoundException for a cluster that does not exist", async () => {
    const error = await clients.eks.send(new DescribeClusterCommand({ name: "ghost" })).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: "ResourceNotFoundException",
      message: "No cluster found for name: ghost.",
      clusterName: "ghost",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("pages ListClusters with the SDK paginator and refuses maxResults above 100", async () => {
    const names = ["a1", "a2", "a3", "a4", "a5"];
    for (const name of names) await create(name);

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListClusters({ client: clients.eks, pageSize: 2 }, {})) {
      pages += 1;
      seen.push(...(page.clusters ?? []));
    }
    const tooMany = await clients.eks.send(new ListClustersCommand({ maxResults: 101 })).catch((e: unknown) => e);

    expect(seen).toEqual(names);
    expect(pages).toBe(3);
    expect(tooMany).toMatchObject({ name: "InvalidParameterException" });
  });

  it("deletes a cluster, answering DELETING, and removes its unused cluster security group", async () => {
    const created = await create("prod");
    const groupId = created.cluster?.resourcesVpcConfig?.clusterSecurityGroupId ?? "";

    const deleted = await clients.eks.send(new DeleteClusterCommand({ name: "prod" }));
    const after = await clients.eks.send(new DescribeClusterCommand({ name: "prod" })).catch((e: unknown) => e);

    expect(deleted.cluster).toMatchObject({ name: "prod", status: "DELETING" });
    expect(after).toMatchObject({ name: "ResourceNotFoundException" });
    expect(await clusterSecurityGroup(groupId)).toBeUndefined();
    expect((await clients.eks.send(new ListClustersCommand({}))).clusters).toEqual([]);
  });

  it("leaves the cluster security group behind when an ENI still uses it", async () => {
    const created = await create("prod");
    const groupId = created.cluster?.resourcesVpcConfig?.clusterSecurityGroupId ?? "";
    await clients.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0], Groups: [groupId] }));

    await clients.eks.send(new DeleteClusterCommand({ name: "prod" }));

    const group = await clusterSecurityGroup(groupId);
    expect(group?.GroupId).toBe(groupId);
    expect(group?.Tags).toEqual(expect.arrayContaining([{ Key: "kubernetes.io/cluster/prod", Value: "owned" }]));
  });

  it("answers EKS's ServerException for an injected failure and AccessDeniedException for a denied caller", async () => {
    await setFaults(sim.endpoint, {
      errors: [{ action: "eks:DescribeCluster", rate: 1 }],
      deny: [{ action: "eks:ListClusters" }],
    });

    const failed = await clients.eks.send(new DescribeClusterCommand({ name: "x" })).catch((e: unknown) => e);
    const denied = await clients.eks.send(new ListClustersCommand({})).catch((e: unknown) => e);

    expect(failed).toMatchObject({ name: "ServerException", $metadata: { httpStatusCode: 500 } });
    expect(denied).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
  });

  it("answers a path EKS has no operation for with UnknownOperationException, not a crash", async () => {
    const response = await fetch(`${sim.endpoint}/clusters/prod/frobnicate`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDTESTS/20261121/us-east-1/eks/aws4_request, Signature=x",
      },
      body: "{}",
    });

    expect(response.status).toBe(404);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(await response.json()).toMatchObject({ message: expect.stringContaining("/clusters/prod/frobnicate") });
  });
});
