import {
  AssociateTrunkInterfaceCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateTagsCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import {
  controllerTags,
  createBranch,
  createNetwork,
  createTrunk,
  failureOf,
  launchNode,
  readEvents,
  trailEvents,
} from "./fixtures.ts";

const CONTROLLER_ARN =
  "arn:aws:sts::123456789012:assumed-role/eks-vpc-resource-controller/eks-vpc-resource-controller-session";

describe("EC2 CloudTrail events", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let net: { vpcId: string; subnetId: string; groupId: string };
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController).ec2;
    net = await createNetwork(ec2);
  });
  afterAll(() => sim.stop());

  it("records CreateNetworkInterface in CloudTrail's EC2 shape, with the caller's identity", async () => {
    const created = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: net.subnetId,
        Description: "aws-k8s-branch-eni",
        Groups: [net.groupId],
        TagSpecifications: [{ ResourceType: "network-interface", Tags: controllerTags() }],
      }),
    );
    const eniId = created.NetworkInterface?.NetworkInterfaceId;

    const [event] = (await trailEvents(sim.endpoint, "CreateNetworkInterface")).slice(-1);

    expect(event?.source).toBe("aws.ec2");
    expect(event?.detail).toMatchObject({
      eventSource: "ec2.amazonaws.com",
      userIdentity: { type: "AssumedRole", arn: CONTROLLER_ARN },
      requestParameters: {
        subnetId: net.subnetId,
        description: "aws-k8s-branch-eni",
        groupSet: { items: [{ groupId: net.groupId }] },
        privateIpAddressesSet: {},
        tagSpecificationSet: {
          items: [
            {
              resourceType: "network-interface",
              tags: [
                { key: "eks:eni:owner", value: "eks-vpc-resource-controller" },
                { key: "kubernetes.io/cluster/demo", value: "owned" },
              ],
            },
          ],
        },
      },
      responseElements: {
        networkInterface: {
          networkInterfaceId: eniId,
          subnetId: net.subnetId,
          vpcId: net.vpcId,
          status: "pending",
          description: "aws-k8s-branch-eni",
          groupSet: { items: [{ groupId: net.groupId, groupName: "pods" }] },
          tagSet: {
            items: [
              { key: "eks:eni:owner", value: "eks-vpc-resource-controller" },
              { key: "kubernetes.io/cluster/demo", value: "owned" },
            ],
          },
          ipv6AddressesSet: {},
        },
      },
    });
    expect(event?.detail.userIdentity?.sessionContext?.sessionIssuer?.arn).toBe(
      "arn:aws:iam::123456789012:role/eks-vpc-resource-controller",
    );
  });

  it("records CreateTags, AuthorizeSecurityGroupIngress, DeleteNetworkInterface and AssociateTrunkInterface", async () => {
    const instanceId = await launchNode(ec2, net.subnetId);
    const trunkId = await createTrunk(ec2, net.subnetId, instanceId);
    const branchId = await createBranch(ec2, net.subnetId, [net.groupId]);
    await ec2.send(
      new CreateTagsCommand({
        Resources: [net.groupId],
        Tags: [{ Key: "kubernetes.io/cluster/demo", Value: "owned" }],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: net.groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 8080,
            ToPort: 8080,
            UserIdGroupPairs: [{ GroupId: net.groupId, Description: "elbv2.k8s.aws/targetGroupBinding=shared" }],
          },
        ],
      }),
    );
    await ec2.send(
      new AssociateTrunkInterfaceCommand({ BranchInterfaceId: branchId, TrunkInterfaceId: trunkId, VlanId: 3 }),
    );
    const spare = await createBranch(ec2, net.subnetId, [net.groupId]);
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: spare }));

    const [tags] = await trailEvents(sim.endpoint, "CreateTags");
    const [authorize] = await trailEvents(sim.endpoint, "AuthorizeSecurityGroupIngress");
    const [associate] = await trailEvents(sim.endpoint, "AssociateTrunkInterface");
    const [deleted] = await trailEvents(sim.endpoint, "DeleteNetworkInterface");

    expect(tags?.detail.requestParameters).toEqual({
      resourcesSet: { items: [{ resourceId: net.groupId }] },
      tagSet: { items: [{ key: "kubernetes.io/cluster/demo", value: "owned" }] },
    });
    expect(authorize?.detail.requestParameters).toEqual({
      groupId: net.groupId,
      ipPermissions: {
        items: [
          {
            ipProtocol: "tcp",
            fromPort: 8080,
            toPort: 8080,
            groups: { items: [{ groupId: net.groupId, description: "elbv2.k8s.aws/targetGroupBinding=shared" }] },
            ipRanges: {},
            ipv6Ranges: {},
            prefixListIds: {},
          },
        ],
      },
    });
    expect(authorize?.detail.responseElements).toMatchObject({
      _return: true,
      securityGroupRuleSet: {
        items: [{ groupId: net.groupId, isEgress: false, ipProtocol: "tcp", fromPort: 8080, toPort: 8080 }],
      },
    });
    // The SDK fills in an idempotency ClientToken, which CloudTrail records too.
    expect(associate?.detail.requestParameters).toEqual({
      branchInterfaceId: branchId,
      trunkInterfaceId: trunkId,
      vlanId: 3,
      clientToken: expect.any(String),
    });
    expect(associate?.detail.responseElements).toMatchObject({
      interfaceAssociation: {
        branchInterfaceId: branchId,
        trunkInterfaceId: trunkId,
        vlanId: 3,
        interfaceProtocol: "VLAN",
      },
    });
    expect(deleted?.detail.requestParameters).toEqual({ networkInterfaceId: spare });
    expect(deleted?.detail.responseElements).toMatchObject({ _return: true });
  });

  it("records TerminateInstances with its instancesSet, but no trail event for the trunk deleted with it", async () => {
    const instanceId = await launchNode(ec2, net.subnetId);
    const trunkId = await createTrunk(ec2, net.subnetId, instanceId);
    const deletesBefore = (await trailEvents(sim.endpoint, "DeleteNetworkInterface")).length;

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));

    const [terminate] = (await trailEvents(sim.endpoint, "TerminateInstances")).slice(-1);
    expect(terminate?.detail.requestParameters).toEqual({ instancesSet: { items: [{ instanceId }] } });
    expect(terminate?.detail.responseElements).toMatchObject({
      instancesSet: {
        items: [
          {
            instanceId,
            currentState: { code: 32, name: "shutting-down" },
            previousState: { code: 16, name: "running" },
          },
        ],
      },
    });
    expect((await trailEvents(sim.endpoint, "DeleteNetworkInterface")).length).toBe(deletesBefore);
    const describe = await failureOf(
      ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [trunkId] })),
    );
    expect(describe.name).toBe("InvalidNetworkInterfaceID.NotFound");
  });

  it("records failed mutations with CloudTrail's Client. error code, and never records reads", async () => {
    await failureOf(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: "eni-0123456789abcdef0" })));

    const [failed] = (await trailEvents(sim.endpoint, "DeleteNetworkInterface")).slice(-1);
    const reads = (await readEvents(sim.endpoint)).filter((event) =>
      String(event.detail.eventName).startsWith("Describe"),
    );

    expect(failed?.detail.errorCode).toBe("Client.InvalidNetworkInterfaceID.NotFound");
    expect(failed?.detail.responseElements).toBeNull();
    expect(reads).toEqual([]);
  });
});
