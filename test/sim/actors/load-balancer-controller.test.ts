import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterNode } from "../../../sim/actors/cluster-node.ts";
import {
  LoadBalancerController,
  type ManagedLoadBalancer,
  type ManagedTargetGroup,
} from "../../../sim/actors/load-balancer-controller.ts";
import { observedBackendRules } from "../../../sim/actors/observed-backend-rules.ts";
import { VpcResourceController } from "../../../sim/actors/vpc-resource-controller.ts";
import { type ActorWorld, startActorWorld } from "./actor-world.ts";

const LABEL = "elbv2.k8s.aws/targetGroupBinding=shared";

describe("LoadBalancerController", () => {
  let world: ActorWorld;
  let lbc: LoadBalancerController;
  let nodes: ClusterNode[];
  let shop: ManagedLoadBalancer;
  let web: ManagedTargetGroup;
  const groups = { cluster: "", web: "", api: "", db: "" };

  const labelledRules = async () => {
    const answer = await world.clients.operator.ec2.send(new DescribeSecurityGroupsCommand({}));
    return observedBackendRules(answer.SecurityGroups ?? []);
  };

  const authorizeByHand = (groupId: string, permission: IpPermission) =>
    world.clients.operator.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }),
    );

  beforeAll(async () => {
    world = await startActorWorld("c1");
    groups.cluster = world.cluster.clusterSecurityGroupId;
    const create = (name: string, tags?: Record<string, string>) =>
      world.operator.createSecurityGroup({ vpcId: world.vpcId, name, description: name, ...(tags ? { tags } : {}) });
    groups.web = await create("web");
    groups.api = await create("api", { "kubernetes.io/cluster/c1": "shared" });
    groups.db = await create("db");
    nodes = await world.control.createNodegroup({
      cluster: world.cluster,
      nodegroup: "ng",
      instanceType: "m5.xlarge",
      subnetIds: world.subnetIds,
      size: 2,
    });
    const controller = new VpcResourceController({ ec2: world.clients.vpcResourceController.ec2, cluster: "c1" });
    for (const node of nodes) await controller.createTrunk(node);
    const pod = async (name: string, node: ClusterNode, sgs: string[]) =>
      (await controller.createBranch({ namespace: "shop", name, node, securityGroupIds: sgs })).privateIpAddress;
    const [n1, n2] = nodes as [ClusterNode, ClusterNode];
    const webIps = [
      await pod("web-1", n1, [groups.cluster, groups.web]),
      await pod("web-2", n2, [groups.cluster, groups.web]),
    ];
    const apiIp = await pod("api-1", n1, [groups.api, groups.db]);

    lbc = new LoadBalancerController({
      ec2: world.clients.loadBalancerController.ec2,
      elbv2: world.clients.loadBalancerController.elbv2,
      cluster: "c1",
      vpcId: world.vpcId,
    });
    shop = await lbc.createLoadBalancer({
      kind: "ingress",
      namespace: "shop",
      name: "shop",
      subnetIds: world.subnetIds,
      listeners: [{ port: 80, protocol: "HTTP" }],
    });
    web = await lbc.addTargetGroup(shop, {
      serviceName: "web",
      servicePort: 80,
      targetType: "ip",
      protocol: "HTTP",
      port: 8080,
      listenerPort: 80,
    });
    const api = await lbc.addTargetGroup(shop, {
      serviceName: "api",
      servicePort: 80,
      targetType: "ip",
      protocol: "HTTP",
      port: 9000,
      healthCheckPort: 9001,
      listenerPort: 80,
      pathPattern: "/api/*",
    });
    const admin = await lbc.addTargetGroup(shop, {
      serviceName: "admin",
      servicePort: 80,
      targetType: "instance",
      protocol: "HTTP",
      port: 31080,
      listenerPort: 80,
      pathPattern: "/admin/*",
    });
    await lbc.registerTargets(web, webIps);
    await lbc.registerTargets(api, [apiIp]);
    await lbc.registerTargets(
      admin,
      nodes.map((n) => n.instanceId),
    );
  });
  afterAll(() => world.stop());

  it("creates the shared backend group once, named and tagged as the LBC does, and finds it again", async () => {
    const backend = await lbc.ensureBackendSecurityGroup();
    const before = await world.cursor();
    const again = new LoadBalancerController({
      ec2: world.clients.loadBalancerController.ec2,
      elbv2: world.clients.loadBalancerController.elbv2,
      cluster: "c1",
      vpcId: world.vpcId,
    });

    const found = await again.ensureBackendSecurityGroup();

    expect(found).toBe(backend);
    expect((await world.trail(before)).entries).toEqual([]);
    const answer = await world.clients.operator.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [backend] }));
    expect(answer.SecurityGroups?.[0]).toMatchObject({
      GroupName: "k8s-traffic-c1-d0f631ca1d",
      Description: "[k8s] Shared Backend SecurityGroup for LoadBalancer",
    });
    expect(answer.SecurityGroups?.[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "elbv2.k8s.aws/cluster", Value: "c1" },
        { Key: "elbv2.k8s.aws/resource", Value: "backend-sg" },
      ]),
    );
  });

  it("fronts the load balancer with its managed group and the backend group, all tagged with the stack", async () => {
    const backend = await lbc.ensureBackendSecurityGroup();

    const lbs = await world.clients.operator.elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [shop.arn] }),
    );
    const tags = await world.clients.operator.elbv2.send(
      new DescribeTagsCommand({ ResourceArns: [shop.arn, web.arn] }),
    );

    expect(lbs.LoadBalancers?.[0]?.SecurityGroups).toEqual([shop.managedSecurityGroupId, backend]);
    const [lbTags, tgTags] = (tags.TagDescriptions ?? []).map((d) =>
      Object.fromEntries((d.Tags ?? []).map((t) => [t.Key, t.Value])),
    );
    expect(lbTags).toEqual({
      "elbv2.k8s.aws/cluster": "c1",
      "ingress.k8s.aws/stack": "shop/shop",
      "ingress.k8s.aws/resource": "LoadBalancer",
    });
    expect(tgTags).toEqual({
      "elbv2.k8s.aws/cluster": "c1",
      "ingress.k8s.aws/stack": "shop/shop",
      "ingress.k8s.aws/resource": "shop/shop-web:80",
    });
  });

  it("writes restricted-mode rules, labelled, on each target ENI's endpoint group", async () => {
    const backend = await lbc.ensureBackendSecurityGroup();
    const before = await world.cursor();

    const result = await lbc.reconcileBackendRules();

    const expected = [
      { groupId: groups.api, protocol: "tcp", fromPort: 9000, toPort: 9001, sourceGroupId: backend },
      { groupId: groups.cluster, protocol: "tcp", fromPort: 8080, toPort: 31080, sourceGroupId: backend },
    ].sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
    expect(result.failures).toEqual([]);
    expect(await labelledRules()).toEqual(expected);
    const { entries } = await world.trail(before);
    const authorizations = entries.filter((e) => e.eventName === "AuthorizeSecurityGroupIngress");
    expect(authorizations).toHaveLength(2);
    expect(authorizations.every((e) => e.role === "aws-load-balancer-controller")).toBe(true);
    expect(JSON.stringify(authorizations[0]?.requestParameters)).toContain(LABEL);
  });

  it("revokes its own labelled rules nobody needs, and leaves other rules alone", async () => {
    const backend = await lbc.ensureBackendSecurityGroup();
    await authorizeByHand(groups.cluster, {
      IpProtocol: "tcp",
      FromPort: 5000,
      ToPort: 5000,
      UserIdGroupPairs: [{ GroupId: backend, Description: LABEL }],
    });
    await authorizeByHand(groups.cluster, {
      IpProtocol: "tcp",
      FromPort: 22,
      ToPort: 22,
      UserIdGroupPairs: [{ GroupId: backend, Description: "ssh from the load balancers, by hand" }],
    });

    const result = await lbc.reconcileBackendRules();

    expect(result.revoked).toEqual([
      { groupId: groups.cluster, protocol: "tcp", fromPort: 5000, toPort: 5000, sourceGroupId: backend },
    ]);
    const answer = await world.clients.operator.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [groups.cluster] }),
    );
    const ports = (answer.SecurityGroups?.[0]?.IpPermissions ?? []).map((p) => `${p.FromPort}-${p.ToPort}`);
    expect(ports).toContain("22-22");
    expect(ports).not.toContain("5000-5000");
  });

  it("writes nothing for a binding whose ENI has no single tagged group, and then revokes nothing", async () => {
    const backend = await lbc.ensureBackendSecurityGroup();
    const controller = new VpcResourceController({ ec2: world.clients.vpcResourceController.ec2, cluster: "c1" });
    const node = (
      await world.control.launchNodes({
        cluster: "c1",
        nodegroup: "ng",
        count: 1,
        instanceType: "m5.large",
        subnetId: world.subnetIds[0] ?? "",
        securityGroupIds: [groups.cluster],
      })
    )[0] as ClusterNode;
    await controller.createTrunk(node);
    const legacy = await controller.createBranch({
      namespace: "shop",
      name: "legacy-1",
      node,
      securityGroupIds: [groups.web, groups.db],
    });
    const legacyTg = await lbc.addTargetGroup(shop, {
      serviceName: "legacy",
      servicePort: 80,
      targetType: "ip",
      protocol: "HTTP",
      port: 6000,
      listenerPort: 80,
      pathPattern: "/legacy/*",
    });
    await lbc.registerTargets(legacyTg, [legacy.privateIpAddress]);
    const stale = {
      IpProtocol: "tcp",
      FromPort: 5001,
      ToPort: 5001,
      UserIdGroupPairs: [{ GroupId: backend, Description: LABEL }],
    };
    await authorizeByHand(groups.cluster, stale);

    const result = await lbc.reconcileBackendRules();

    expect(result.failures).toEqual([
      {
        targetGroupArn: legacyTg.arn,
        eniId: legacy.eniId,
        message: `expected exactly one securityGroup tagged with kubernetes.io/cluster/c1 for eni ${legacy.eniId}, got: [] (clusterName: c1)`,
      },
    ]);
    expect(result.revoked).toEqual([]);
    expect((await labelledRules()).map((r) => `${r.groupId}:${r.fromPort}-${r.toPort}`)).toContain(
      `${groups.cluster}:5001-5001`,
    );
    expect((await labelledRules()).some((r) => r.fromPort === 6000)).toBe(false);
  });
});
