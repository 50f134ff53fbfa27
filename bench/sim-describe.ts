/**
 * DescribeNetworkInterfaces against the simulator holding ~100,000 ENIs, through the real SDK.
 * Populates the model directly (Ec2State methods), then times filtered, paginated describes of
 * 1,000 per page and prints p50/p99 per page. Run: `npx tsx bench/sim-describe.ts`.
 */
import { DescribeNetworkInterfacesCommand, type Filter } from "@aws-sdk/client-ec2";
import { identityFor } from "../sim/control/identities.ts";
import { startSimulator } from "../sim/index.ts";
import { ec2Service } from "../sim/services/ec2/ec2-service.ts";
import { simClients } from "../test/support/sim-clients.ts";

const NODES_PER_VPC = 950;
const BRANCHES_PER_NODE = 53;
const CNI_ENIS_PER_VPC = 2_500;
const CLUSTER = "bench";

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const sim = await startSimulator({ port: 0 });
const ec2State = sim.simulator.world.ec2;

const populateStart = performance.now();
// A /16 VPC holds at most 65,531 addresses: the ENIs are spread over two VPCs, two subnets each.
const vpcs = ["10.0.0.0/16", "10.1.0.0/16"].map((cidrBlock) => ec2State.vpcs.createVpc({ cidrBlock }));
const ownerTags = (owner: string) =>
  new Map([
    ["eks:eni:owner", owner],
    [`kubernetes.io/cluster/${CLUSTER}`, "owned"],
  ]);
for (const [vpcIndex, vpc] of vpcs.entries()) {
  const subnets = ["0.0/17", "128.0/17"].map((suffix, index) =>
    ec2State.vpcs.createSubnet({
      vpcId: vpc.id,
      cidrBlock: `10.${vpcIndex}.${suffix}`,
      availabilityZone: `us-east-1${"ab"[index]}`,
    }),
  );
  const { groupId: podGroup } = ec2State.createSecurityGroup({ vpcId: vpc.id, groupName: "pods", description: "pods" });
  for (let node = 0; node < NODES_PER_VPC; node++) {
    const subnet = subnets[node % subnets.length];
    if (!subnet) throw new Error("no subnet");
    const [instance] = ec2State.instances.run({
      imageId: "ami-bench",
      instanceType: "m5.4xlarge",
      minCount: 1,
      maxCount: 1,
      subnetId: subnet.id,
    });
    if (!instance) throw new Error("no instance");
    const trunk = ec2State.networkInterfaces.create({
      subnetId: subnet.id,
      description: "aws-k8s-trunk-eni",
      interfaceType: "trunk",
      tags: ownerTags("eks-vpc-resource-controller"),
    });
    ec2State.networkInterfaces.attach(trunk.id, instance.id, 1, true);
    for (let vlan = 1; vlan <= BRANCHES_PER_NODE; vlan++) {
      const branch = ec2State.networkInterfaces.create({
        subnetId: subnet.id,
        description: "aws-k8s-branch-eni",
        groupIds: [podGroup],
        tags: ownerTags("eks-vpc-resource-controller"),
      });
      ec2State.trunks.associate({ branchInterfaceId: branch.id, trunkInterfaceId: trunk.id, vlanId: vlan });
    }
  }
  for (let i = 0; i < CNI_ENIS_PER_VPC; i++) {
    const subnet = subnets[i % subnets.length];
    if (!subnet) throw new Error("no subnet");
    ec2State.networkInterfaces.create({
      subnetId: subnet.id,
      description: `aws-K8S-i-${i}`,
      tags: ownerTags("amazon-vpc-cni"),
    });
  }
}
const [vpc] = vpcs;
if (!vpc) throw new Error("no vpc");
const populateMs = performance.now() - populateStart;
console.log(`populated ${ec2State.networkInterfaces.enis.size} ENIs in ${(populateMs / 1000).toFixed(1)} s`);

const { ec2 } = simClients(sim.endpoint);
const scenarios: { name: string; filters: Filter[] }[] = [
  {
    name: "tag:eks:eni:owner=eks-vpc-resource-controller + vpc-id",
    filters: [
      { Name: "tag:eks:eni:owner", Values: ["eks-vpc-resource-controller"] },
      { Name: "vpc-id", Values: [vpc.id] },
    ],
  },
  { name: "interface-type=branch", filters: [{ Name: "interface-type", Values: ["branch"] }] },
  {
    name: "description=aws-k8s-branch-eni + status=in-use",
    filters: [
      { Name: "description", Values: ["aws-k8s-branch-eni"] },
      { Name: "status", Values: ["in-use"] },
    ],
  },
];

// Warm up the HTTP connection and the JIT before measuring.
await ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 1000 }));

const summary = (timings: readonly number[]): string => {
  const sorted = [...timings].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
};

/** The simulator's own share: the EC2 service answering the same page in-process, no HTTP, no SDK. */
const serverPage = (filters: Filter[], token: string | undefined): { ms: number; token: string | undefined } => {
  const body = new URLSearchParams({ Action: "DescribeNetworkInterfaces", Version: "2016-11-15", MaxResults: "1000" });
  for (const [i, filter] of filters.entries()) {
    body.set(`Filter.${i + 1}.Name`, filter.Name ?? "");
    for (const [j, value] of (filter.Values ?? []).entries()) body.set(`Filter.${i + 1}.Value.${j + 1}`, value);
  }
  if (token) body.set("NextToken", token);
  const request = {
    method: "POST",
    path: "/",
    query: new URLSearchParams(),
    headers: {},
    body: body.toString(),
    caller: identityFor("AKIDBENCH", sim.simulator.world.accountId),
    requestId: "bench",
  };
  const start = performance.now();
  const answer = ec2Service.handle(
    request,
    { action: "DescribeNetworkInterfaces", filteredOrPaged: true },
    sim.simulator.world,
  );
  const ms = performance.now() - start;
  return { ms, token: answer.body.match(/<nextToken>([^<]+)<\/nextToken>/)?.[1] };
};

for (const scenario of scenarios) {
  const endToEnd: number[] = [];
  let total = 0;
  let token: string | undefined;
  do {
    const start = performance.now();
    const page = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: scenario.filters, MaxResults: 1000, NextToken: token }),
    );
    endToEnd.push(performance.now() - start);
    total += page.NetworkInterfaces?.length ?? 0;
    token = page.NextToken;
  } while (token);
  const server: number[] = [];
  let serverToken: string | undefined;
  do {
    const page = serverPage(scenario.filters, serverToken);
    server.push(page.ms);
    serverToken = page.token;
  } while (serverToken);
  console.log(`${scenario.name}: ${total} ENIs in ${endToEnd.length} pages of 1,000`);
  console.log(`  end to end through the SDK: ${summary(endToEnd)}`);
  console.log(`  simulator only (in-process): ${summary(server)}`);
}

ec2.destroy();
await sim.stop();
