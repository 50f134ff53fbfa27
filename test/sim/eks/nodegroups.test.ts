import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeNodegroupCommand,
  paginateListNodegroups,
} from "@aws-sdk/client-eks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";

const NODE_ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/eks-node`;

describe("EKS managed node groups", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let subnets: string[];
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "192.168.0.0/16" }));
    subnets = [];
    for (const [cidr, zone] of [
      ["192.168.1.0/24", "us-east-1a"],
      ["192.168.2.0/24", "us-east-1b"],
    ] as const) {
      const subnet = await clients.ec2.send(
        new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: cidr, AvailabilityZone: zone }),
      );
      subnets.push(subnet.Subnet?.SubnetId ?? "");
    }
    await clients.eks.send(
      new CreateClusterCommand({
        name: "prod",
        roleArn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/eks-cluster`,
        resourcesVpcConfig: { subnetIds: subnets },
      }),
    );
  });

  const createGroup = (nodegroupName: string) =>
    clients.eks.send(
      new CreateNodegroupCommand({
        clusterName: "prod",
        nodegroupName,
        subnets,
        nodeRole: NODE_ROLE,
        instanceTypes: ["m5.large"],
        scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      }),
    );

  it("creates a node group, answering CREATING, and describes it ACTIVE", async () => {
    const created = await createGroup("workers");
    const described = await clients.eks.send(
      new DescribeNodegroupCommand({ clusterName: "prod", nodegroupName: "workers" }),
    );

    expect(created.nodegroup?.status).toBe("CREATING");
    expect(described.nodegroup).toMatchObject({
      nodegroupName: "workers",
      clusterName: "prod",
      status: "ACTIVE",
      instanceTypes: ["m5.large"],
      subnets,
      nodeRole: NODE_ROLE,
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
    });
    expect(described.nodegroup?.nodegroupArn).toMatch(
      new RegExp(`^arn:aws:eks:us-east-1:${DEFAULT_ACCOUNT_ID}:nodegroup/prod/workers/[0-9a-f-]{36}$`),
    );
    expect(described.nodegroup?.createdAt).toBeInstanceOf(Date);
  });

  it("pages ListNodegroups with the SDK paginator", async () => {
    for (const name of ["ng-1", "ng-2", "ng-3"]) await createGroup(name);

    const seen: string[] = [];
    for await (const page of paginateListNodegroups({ client: clients.eks, pageSize: 2 }, { clusterName: "prod" })) {
      seen.push(...(page.nodegroups ?? []));
    }

    expect(seen).toEqual(["ng-1", "ng-2", "ng-3"]);
  });

  it("refuses to delete a cluster that still has node groups, and deletes it after them", async () => {
    await createGroup("workers");

    const refused = await clients.eks.send(new DeleteClusterCommand({ name: "prod" })).catch((e: unknown) => e);
    const deletedGroup = await clients.eks.send(
      new DeleteNodegroupCommand({ clusterName: "prod", nodegroupName: "workers" }),
    );
    const deletedCluster = await clients.eks.send(new DeleteClusterCommand({ name: "prod" }));

    expect(refused).toMatchObject({ name: "ResourceInUseException", $metadata: { httpStatusCode: 409 } });
    expect(deletedGroup.nodegroup?.status).toBe("DELETING");
    expect(deletedCluster.cluster?.status).toBe("DELETING");
  });

  it("answers ResourceNotFoundException for an unknown node group or cluster", async () => {
    const group = await clients.eks
      .send(new DescribeNodegroupCommand({ clusterName: "prod", nodegroupName: "ghost" }))
      .catch((e: unknown) => e);
    const cluster = await clients.eks
      .send(new DeleteNodegroupCommand({ clusterName: "ghost", nodegroupName: "workers" }))
      .catch((e: unknown) => e);

    expect(group).toMatchObject({ name: "ResourceNotFoundException", nodegroupName: "ghost", clusterName: "prod" });
    expect(cluster).toMatchObject({ name: "ResourceNotFoundException", clusterName: "ghost" });
  });

  it("refuses a second node group of the same name", async () => {
    await createGroup("workers");

    const error = await createGroup("workers").catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "ResourceInUseException", nodegroupName: "workers" });
  });
});
