import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTrunkInterfaceAssociationsCommand,
  EC2Client,
  EC2ServiceException,
  type Filter,
  type Instance,
  type NetworkInterface,
  type SecurityGroup,
  type SecurityGroupRule,
  type Tag,
  type TrunkInterfaceAssociation,
} from "@aws-sdk/client-ec2";
import {
  type Cluster,
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-eks";
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";

/** An EC2 error as the SDK raises it. */
export const ec2Error = (name: string, status = 400) =>
  new EC2ServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });

type Values = (string | undefined)[];

const tagValues = (tags: Tag[] | undefined, key: string): Values =>
  (tags ?? []).filter((t) => t.Key === key).map((t) => t.Value);

const matches = (filters: Filter[] | undefined, valuesOf: (name: string) => Values): boolean =>
  (filters ?? []).every((f) => {
    const have = valuesOf(f.Name ?? "");
    return (f.Values ?? []).some((v) => have.includes(v));
  });

const page = <T>(items: T[], input: { NextToken?: string; MaxResults?: number }) => {
  const start = Number(input.NextToken ?? "0");
  const size = input.MaxResults ?? items.length;
  const next = start + size < items.length ? String(start + size) : undefined;
  return { slice: items.slice(start, start + size), next };
};

interface Failure {
  readonly command: string;
  readonly error: Error;
  readonly when: (input: Record<string, unknown>) => boolean;
}

/**
 * A small in-memory account answering EC2, ELBv2 and EKS Describe calls through aws-sdk-client-mock,
 * with server-side filters and pagination, and failures injected per command.
 */
export class MockAccount {
  public readonly enis: NetworkInterface[] = [];
  public readonly instances: Instance[] = [];
  public readonly groups: SecurityGroup[] = [];
  public readonly rules: SecurityGroupRule[] = [];
  public readonly associations: TrunkInterfaceAssociation[] = [];
  public readonly targetGroups: TargetGroup[] = [];
  public readonly elbv2Tags = new Map<string, Tag[]>();
  public readonly targets = new Map<string, TargetHealthDescription[]>();
  public readonly loadBalancers: LoadBalancer[] = [];
  public readonly clusters = new Map<string, Cluster>();
  public readonly ec2 = mockClient(EC2Client);
  public readonly elbv2 = mockClient(ElasticLoadBalancingV2Client);
  public readonly eks = mockClient(EKSClient);
  private readonly failures: Failure[] = [];

  public constructor() {
    this.install();
  }

  public clients() {
    return {
      ec2: new EC2Client({ region: "us-east-1" }),
      elbv2: new ElasticLoadBalancingV2Client({ region: "us-east-1" }),
      eks: new EKSClient({ region: "us-east-1" }),
    };
  }

  /** Undo the client mocks (call after each test). */
  public restore(): void {
    this.ec2.restore();
    this.elbv2.restore();
    this.eks.restore();
  }

  /** Fail `command` (class name without `Command`) whenever `when` holds for its input. */
  public fail(command: string, error: Error, when: (input: Record<string, unknown>) => boolean = () => true): void {
    this.failures.push({ command, error, when });
  }

  /** Calls per command name, e.g. `{ DescribeNetworkInterfaces: 2 }`. */
  public callCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const mock of [this.ec2, this.elbv2, this.eks]) {
      for (const call of mock.calls()) {
        const name = (call.args[0] as object).constructor.name.replace(/Command$/, "");
        counts[name] = (counts[name] ?? 0) + 1;
      }
    }
    return counts;
  }

  /** Inputs of every call to `command`. */
  public inputsOf(command: string): Record<string, unknown>[] {
    return [this.ec2, this.elbv2, this.eks].flatMap((mock) =>
      mock
        .calls()
        .filter((c) => (c.args[0] as object).constructor.name === `${command}Command`)
        .map((c) => (c.args[0] as unknown as { input: Record<string, unknown> }).input),
    );
  }

  private check(command: string, input: Record<string, unknown>): void {
    const failure = this.failures.find((f) => f.command === command && f.when(input));
    if (failure) throw failure.error;
  }

  private install(): void {
    this.ec2.on(DescribeNetworkInterfacesCommand).callsFake((input) => {
      this.check("DescribeNetworkInterfaces", input);
      const ids: string[] | undefined = input.NetworkInterfaceIds;
      if (ids) {
        const found = this.enis.filter((e) => ids.includes(e.NetworkInterfaceId ?? ""));
        if (found.length < ids.length) throw ec2Error("InvalidNetworkInterfaceID.NotFound");
        return { NetworkInterfaces: found };
      }
      const all = this.enis.filter((eni) =>
        matches(input.Filters, (name) => {
          if (name.startsWith("tag:")) return tagValues(eni.TagSet, name.slice(4));
          const fields: Record<string, Values> = {
            description: [eni.Description],
            "vpc-id": [eni.VpcId],
            "network-interface-id": [eni.NetworkInterfaceId],
            "group-id": (eni.Groups ?? []).map((g) => g.GroupId),
            "attachment.instance-id": [eni.Attachment?.InstanceId],
            "attachment.device-index": [eni.Attachment ? String(eni.Attachment.DeviceIndex) : undefined],
            "addresses.private-ip-address": (eni.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress),
          };
          return fields[name] ?? [];
        }),
      );
      const { slice, next } = page(all, input);
      return { NetworkInterfaces: slice, NextToken: next };
    });
    this.ec2.on(DescribeInstancesCommand).callsFake((input) => {
      this.check("DescribeInstances", input);
      const all = this.instances.filter((i) =>
        matches(input.Filters, (name) => (name === "instance-id" ? [i.InstanceId] : [])),
      );
      const { slice, next } = page(all, input);
      return { Reservations: slice.map((instance) => ({ Instances: [instance] })), NextToken: next };
    });
    this.ec2.on(DescribeSecurityGroupsCommand).callsFake((input) => {
      this.check("DescribeSecurityGroups", input);
      const all = this.groups.filter((g) =>
        matches(input.Filters, (name) => {
          if (name.startsWith("tag:")) return tagValues(g.Tags, name.slice(4));
          if (name === "group-id") return [g.GroupId];
          if (name === "vpc-id") return [g.VpcId];
          if (name === "ip-permission.group-id") {
            return (g.IpPermissions ?? []).flatMap((p) => (p.UserIdGroupPairs ?? []).map((pair) => pair.GroupId));
          }
          return [];
        }),
      );
      const { slice, next } = page(all, input);
      return { SecurityGroups: slice, NextToken: next };
    });
    this.ec2.on(DescribeSecurityGroupRulesCommand).callsFake((input) => {
      this.check("DescribeSecurityGroupRules", input);
      const all = this.rules.filter((r) => matches(input.Filters, (name) => (name === "group-id" ? [r.GroupId] : [])));
      const { slice, next } = page(all, input);
      return { SecurityGroupRules: slice, NextToken: next };
    });
    this.ec2.on(DescribeTrunkInterfaceAssociationsCommand).callsFake((input) => {
      this.check("DescribeTrunkInterfaceAssociations", input);
      const all = this.associations.filter((a) =>
        matches(input.Filters, (name) => {
          if (name === "trunk-interface-association.trunk-interface-id") return [a.TrunkInterfaceId];
          if (name === "trunk-interface-association.branch-interface-id") return [a.BranchInterfaceId];
          return [];
        }),
      );
      const { slice, next } = page(all, input);
      return { InterfaceAssociations: slice, NextToken: next };
    });

    this.elbv2.on(DescribeTargetGroupsCommand).callsFake((input) => {
      this.check("DescribeTargetGroups", input);
      const start = Number(input.Marker ?? "0");
      const size = input.PageSize ?? 400;
      const next = start + size < this.targetGroups.length ? String(start + size) : undefined;
      return { TargetGroups: this.targetGroups.slice(start, start + size), NextMarker: next };
    });
    this.elbv2.on(DescribeTagsCommand).callsFake((input) => {
      this.check("DescribeTags", input);
      if ((input.ResourceArns ?? []).length > 20) throw new Error("too many ARNs");
      return {
        TagDescriptions: (input.ResourceArns ?? []).map((arn: string) => ({
          ResourceArn: arn,
          Tags: this.elbv2Tags.get(arn) ?? [],
        })),
      };
    });
    this.elbv2.on(DescribeTargetHealthCommand).callsFake((input) => {
      this.check("DescribeTargetHealth", input);
      return { TargetHealthDescriptions: this.targets.get(input.TargetGroupArn) ?? [] };
    });
    this.elbv2.on(DescribeLoadBalancersCommand).callsFake((input) => {
      this.check("DescribeLoadBalancers", input);
      return { LoadBalancers: this.loadBalancers };
    });

    this.eks.on(ListClustersCommand).callsFake((input) => {
      this.check("ListClusters", input);
      return { clusters: [...this.clusters.keys()] };
    });
    this.eks.on(DescribeClusterCommand).callsFake((input) => {
      this.check("DescribeCluster", input);
      const cluster = this.clusters.get(input.name);
      if (!cluster)
        throw new ResourceNotFoundException({ message: `No cluster found for name: ${input.name}.`, $metadata: {} });
      return { cluster };
    });
  }
}
