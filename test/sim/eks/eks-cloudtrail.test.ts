import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
} from "@aws-sdk/client-eks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_ACCOUNT_ID,
  type RunningSimulator,
  startSimulator,
  WELL_KNOWN_ACCESS_KEYS,
} from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";

interface TrailEvent {
  source: string;
  "detail-type": string;
  detail: {
    eventSource: string;
    eventName: string;
    requestParameters: Record<string, unknown> | null;
    responseElements: Record<string, unknown> | null;
    errorCode?: string;
    userIdentity: { arn: string };
  };
}

const ROLE = `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/eks-cluster`;

describe("EKS CloudTrail events", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let subnets: string[];
  let cursor: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.operator);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    subnets = [];
    for (const [cidr, zone] of [
      ["10.0.1.0/24", "us-east-1a"],
      ["10.0.2.0/24", "us-east-1b"],
    ] as const) {
      const subnet = await clients.ec2.send(
        new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: cidr, AvailabilityZone: zone }),
      );
      subnets.push(subnet.Subnet?.SubnetId ?? "");
    }
    cursor = (await simControl<{ cursor: string }>(sim.endpoint, "/_sim/events?after=0")).cursor;
  });

  const eksEvents = async () =>
    (await simControl<{ events: TrailEvent[] }>(sim.endpoint, `/_sim/events?after=${cursor}`)).events.filter(
      (e) => e.source === "aws.eks",
    );

  it("records the cluster lifecycle as CloudTrail delivers it to EventBridge", async () => {
    await clients.eks.send(
      new CreateClusterCommand({
        name: "prod",
        roleArn: ROLE,
        version: "1.33",
        resourcesVpcConfig: { subnetIds: subnets, endpointPrivateAccess: true },
      }),
    );
    await clients.eks.send(new DescribeClusterCommand({ name: "prod" }));
    await clients.eks.send(
      new CreateNodegroupCommand({
        clusterName: "prod",
        nodegroupName: "workers",
        subnets,
        nodeRole: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/eks-node`,
      }),
    );
    await clients.eks.send(new DeleteNodegroupCommand({ clusterName: "prod", nodegroupName: "workers" }));
    await clients.eks.send(new DeleteClusterCommand({ name: "prod" }));

    const events = await eksEvents();

    expect(events.map((e) => e.detail.eventName)).toEqual([
      "CreateCluster",
      "CreateNodegroup",
      "DeleteNodegroup",
      "DeleteCluster",
    ]);
    const [create, , deleteGroup, deleteCluster] = events;
    expect(create?.["detail-type"]).toBe("AWS API Call via CloudTrail");
    expect(create?.detail.eventSource).toBe("eks.amazonaws.com");
    expect(create?.detail.userIdentity.arn).toContain("assumed-role/platform-operator/");
    expect(create?.detail.requestParameters).toMatchObject({
      name: "prod",
      roleArn: ROLE,
      version: "1.33",
      resourcesVpcConfig: { subnetIds: subnets, endpointPrivateAccess: true },
    });
    expect(create?.detail.responseElements).toMatchObject({
      cluster: {
        name: "prod",
        status: "CREATING",
        createdAt: expect.any(Number),
        resourcesVpcConfig: { clusterSecurityGroupId: expect.stringMatching(/^sg-/) },
      },
    });
    expect(deleteGroup?.detail.requestParameters).toEqual({ clusterName: "prod", nodegroupName: "workers" });
    expect(deleteCluster?.detail.requestParameters).toEqual({ name: "prod" });
    expect(deleteCluster?.detail.responseElements).toMatchObject({ cluster: { name: "prod", status: "DELETING" } });
  });

  it("records a refused deletion with its error code", async () => {
    await clients.eks.send(new DeleteClusterCommand({ name: "ghost" })).catch(() => undefined);

    const events = await eksEvents();

    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toMatchObject({
      eventName: "DeleteCluster",
      errorCode: "ResourceNotFoundException",
      requestParameters: { name: "ghost" },
      responseElements: null,
    });
  });
});
