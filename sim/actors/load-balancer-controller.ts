import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
  type Tag,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { type BindingFailure, computeBackendRules, type ResolvedBinding } from "./backend-rules.ts";
import { backendSgName } from "./backend-sg-name.ts";
import type { EndpointEni } from "./endpoint-sg.ts";
import { clusterTagKey } from "./eni-tags.ts";
import { lbcResourceName } from "./lbc-names.ts";
import {
  BACKEND_SG_DESCRIPTION,
  BACKEND_SG_RESOURCE,
  ELBV2_CLUSTER_TAG,
  ELBV2_RESOURCE_TAG,
  LOAD_BALANCER_RESOURCE_ID,
  MANAGED_LB_SG_DESCRIPTION,
  MANAGED_LB_SG_RESOURCE_ID,
  type StackKind,
  stackTagPrefix,
  TGB_RULE_DESCRIPTION,
} from "./lbc-tags.ts";
import { observedBackendRules } from "./observed-backend-rules.ts";
import { required } from "./required.ts";
import { type BackendRule, backendRuleKey } from "./restricted-rules.ts";
import type { TargetGroupNetworking } from "./tgb-ports.ts";

export interface LoadBalancerControllerOptions {
  /** EC2 client signed as the LBC (`WELL_KNOWN_ACCESS_KEYS.loadBalancerController`). */
  readonly ec2: EC2Client;
  /** ELBv2 client signed as the LBC. */
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cluster: string;
  readonly vpcId: string;
  /** Restricted backend rules (the default); false = `--disable-restricted-sg-rules`. */
  readonly restricted?: boolean;
}

export type ListenerProtocol = "HTTP" | "HTTPS" | "TCP" | "UDP" | "TLS";

/** An Ingress (ALB) or a Service of type LoadBalancer (NLB), as far as AWS resources go. */
export interface LoadBalancerSpec {
  readonly kind: StackKind;
  readonly namespace: string;
  /** The Ingress or Service name. */
  readonly name: string;
  readonly subnetIds: readonly string[];
  readonly scheme?: "internal" | "internet-facing";
  /** Listener ports opened to the world on the managed load balancer group. */
  readonly listeners: readonly { readonly port: number; readonly protocol: ListenerProtocol }[];
}

export interface ManagedLoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly kind: StackKind;
  /** `<namespace>/<name>`, the stack tag of every resource of this Ingress or Service. */
  readonly stack: string;
  readonly namespace: string;
  readonly managedSecurityGroupId: string;
  readonly listeners: ReadonlyMap<number, ListenerProtocol>;
}

/** One backend of a load balancer: a Service port, served by pods (ip) or by NodePorts (instance). */
export interface TargetGroupSpec {
  readonly serviceName: string;
  readonly servicePort: number;
  readonly targetType: "ip" | "instance";
  /** HTTP for an ALB; TCP, UDP or TLS for an NLB. */
  readonly protocol: string;
  /** The pods' target port (ip mode) or the NodePort (instance mode). */
  readonly port: number;
  readonly healthCheckPort?: number | "traffic-port";
  /** The listener that forwards here. */
  readonly listenerPort: number;
  /** ALB path rule; without it, the target group is the listener's default action. */
  readonly pathPattern?: string;
}

export interface ManagedTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly loadBalancerArn: string;
  readonly targetType: "ip" | "instance";
  readonly networking: TargetGroupNetworking;
  readonly listenerArn: string;
  readonly ruleArn?: string;
}

export interface BackendRulesPlan {
  readonly rules: BackendRule[];
  readonly failures: BindingFailure[];
}

export interface BackendRulesReconciliation extends BackendRulesPlan {
  readonly authorized: BackendRule[];
  readonly revoked: BackendRule[];
}

interface Binding {
  readonly targetGroup: ManagedTargetGroup;
  /** Pod IPs (ip mode) or instance ids (instance mode). */
  readonly targets: Set<string>;
}

const CHUNK = 200;
const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
};

/**
 * The AWS Load Balancer Controller of one cluster: its shared backend group, load balancers with managed
 * groups, target groups, listeners and targets, and the backend rules of its TargetGroupBindings in
 * restricted mode (`pkg/networking/networking_manager.go`): authorize first, and revoke only its own
 * labelled rules, only when every binding was computed.
 */
export class LoadBalancerController {
  private readonly ec2: EC2Client;
  private readonly elbv2: ElasticLoadBalancingV2Client;
  private readonly cluster: string;
  private readonly vpcId: string;
  private readonly restricted: boolean;
  private readonly bindings = new Map<string, Binding>();
  private readonly listenerArns = new Map<string, string>();
  private readonly rulePriorities = new Map<string, number>();
  private backendSecurityGroupId: string | undefined;

  public constructor(options: LoadBalancerControllerOptions) {
    this.ec2 = options.ec2;
    this.elbv2 = options.elbv2;
    this.cluster = options.cluster;
    this.vpcId = options.vpcId;
    this.restricted = options.restricted ?? true;
  }

  /** The shared backend group: found by its two tags in the VPC, else created (`allocateBackendSG`). */
  public async ensureBackendSecurityGroup(): Promise<string> {
    if (this.backendSecurityGroupId) return this.backendSecurityGroupId;
    const found = await this.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [this.vpcId] },
          { Name: `tag:${ELBV2_CLUSTER_TAG}`, Values: [this.cluster] },
          { Name: `tag:${ELBV2_RESOURCE_TAG}`, Values: [BACKEND_SG_RESOURCE] },
        ],
      }),
    );
    this.backendSecurityGroupId =
      found.SecurityGroups?.[0]?.GroupId ??
      (await this.createSecurityGroup(backendSgName(this.cluster), BACKEND_SG_DESCRIPTION, [
        { Key: ELBV2_CLUSTER_TAG, Value: this.cluster },
        { Key: ELBV2_RESOURCE_TAG, Value: BACKEND_SG_RESOURCE },
      ]));
    return this.backendSecurityGroupId;
  }

  /**
   * An Ingress's ALB or a Service's NLB: its managed group (open to the world on the listener ports),
   * then the load balancer with the managed and the backend groups. Listeners come with target groups.
   */
  public async createLoadBalancer(spec: LoadBalancerSpec): Promise<ManagedLoadBalancer> {
    const backend = await this.ensureBackendSecurityGroup();
    const stack = `${spec.namespace}/${spec.name}`;
    const prefix = stackTagPrefix(spec.kind);
    const stackTags = (resource: string) => [
      { Key: ELBV2_CLUSTER_TAG, Value: this.cluster },
      { Key: `${prefix}/stack`, Value: stack },
      { Key: `${prefix}/resource`, Value: resource },
    ];
    const name = lbcResourceName(spec.namespace, spec.name, this.cluster, stack);
    const managedSecurityGroupId = await this.createSecurityGroup(
      name,
      MANAGED_LB_SG_DESCRIPTION,
      stackTags(MANAGED_LB_SG_RESOURCE_ID),
    );
    const permissions: IpPermission[] = spec.listeners.map((l) => ({
      IpProtocol: l.protocol === "UDP" ? "udp" : "tcp",
      FromPort: l.port,
      ToPort: l.port,
      IpRanges: [{ CidrIp: "0.0.0.0/0" }],
    }));
    await this.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: managedSecurityGroupId, IpPermissions: permissions }),
    );
    const created = await this.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: name,
        Type: spec.kind === "ingress" ? "application" : "network",
        Scheme: spec.scheme ?? "internet-facing",
        Subnets: [...spec.subnetIds],
        SecurityGroups: [managedSecurityGroupId, backend],
        Tags: stackTags(LOAD_BALANCER_RESOURCE_ID),
      }),
    );
    return {
      arn: required(created.LoadBalancers?.[0]?.LoadBalancerArn, "CreateLoadBalancer LoadBalancerArn"),
      name,
      kind: spec.kind,
      stack,
      namespace: spec.namespace,
      managedSecurityGroupId,
      listeners: new Map(spec.listeners.map((l) => [l.port, l.protocol])),
    };
  }

  /**
   * A target group for one Service port with its TargetGroupBinding, wired to its listener: the listener's
   * default action if the listener is new, else a path rule.
   */
  public async addTargetGroup(lb: ManagedLoadBalancer, spec: TargetGroupSpec): Promise<ManagedTargetGroup> {
    const prefix = stackTagPrefix(lb.kind);
    const resource =
      lb.kind === "ingress"
        ? `${lb.stack}-${spec.serviceName}:${spec.servicePort}`
        : `${lb.namespace}/${spec.serviceName}:${spec.servicePort}`;
    const name = lbcResourceName(lb.namespace, spec.serviceName, this.cluster, resource, spec.protocol);
    const healthCheckPort = spec.healthCheckPort ?? "traffic-port";
    const created = await this.elbv2.send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: spec.protocol as CreateTargetGroupCommand["input"]["Protocol"],
        Port: spec.port,
        VpcId: this.vpcId,
        TargetType: spec.targetType,
        HealthCheckPort: String(healthCheckPort),
        HealthCheckProtocol: lb.kind === "ingress" ? "HTTP" : "TCP",
        ...(lb.kind === "ingress" ? { HealthCheckPath: "/" } : {}),
        Tags: [
          { Key: ELBV2_CLUSTER_TAG, Value: this.cluster },
          { Key: `${prefix}/stack`, Value: lb.stack },
          { Key: `${prefix}/resource`, Value: resource },
        ],
      }),
    );
    const arn = required(created.TargetGroups?.[0]?.TargetGroupArn, "CreateTargetGroup TargetGroupArn");
    const { listenerArn, ruleArn } = await this.route(lb, spec, arn);
    const targetGroup: ManagedTargetGroup = {
      arn,
      name,
      loadBalancerArn: lb.arn,
      targetType: spec.targetType,
      networking: { kind: lb.kind, protocol: spec.protocol, port: spec.port, healthCheckPort },
      listenerArn,
      ...(ruleArn ? { ruleArn } : {}),
    };
    this.bindings.set(arn, { targetGroup, targets: new Set() });
    return targetGroup;
  }

  /** RegisterTargets: pod IPs (ip mode) or instance ids (instance mode), on the target group's port. */
  public async registerTargets(targetGroup: ManagedTargetGroup, targets: readonly string[]): Promise<void> {
    const binding = this.bindings.get(targetGroup.arn);
    if (!binding) throw new Error(`no binding for ${targetGroup.arn}`);
    for (const chunk of chunks(targets)) {
      await this.elbv2.send(
        new RegisterTargetsCommand({
          TargetGroupArn: targetGroup.arn,
          Targets: chunk.map((id) => ({ Id: id, Port: targetGroup.networking.port })),
        }),
      );
    }
    for (const target of targets) binding.targets.add(target);
  }

  /** DeregisterTargets: endpoints gone (pods deleted, nodes drained). */
  public async deregisterTargets(targetGroup: ManagedTargetGroup, targets: readonly string[]): Promise<void> {
    for (const chunk of chunks(targets)) {
      await this.elbv2.send(
        new DeregisterTargetsCommand({
          TargetGroupArn: targetGroup.arn,
          Targets: chunk.map((id) => ({ Id: id, Port: targetGroup.networking.port })),
        }),
      );
    }
    const binding = this.bindings.get(targetGroup.arn);
    for (const target of targets) binding?.targets.delete(target);
  }

  /** Drop a binding from memory only: its TargetGroupBinding is gone (its AWS resources may not be). */
  public forgetBinding(targetGroupArn: string): void {
    this.bindings.delete(targetGroupArn);
  }

  /** The backend rules every current binding needs, computed from EC2's view of their targets. */
  public async planBackendRules(): Promise<BackendRulesPlan> {
    const backend = await this.ensureBackendSecurityGroup();
    const bindings = [...this.bindings.values()];
    const ips = bindings.filter((b) => b.targetGroup.targetType === "ip").flatMap((b) => [...b.targets]);
    const instanceIds = bindings.filter((b) => b.targetGroup.targetType === "instance").flatMap((b) => [...b.targets]);
    const enisByIp = await this.enisByPrivateIp([...new Set(ips)]);
    const enisByInstance = await this.primaryEnisOf([...new Set(instanceIds)]);
    const resolved: ResolvedBinding[] = bindings.map((b) => {
      const lookup = b.targetGroup.targetType === "ip" ? enisByIp : enisByInstance;
      const enis = new Map<string, EndpointEni>();
      for (const target of b.targets) {
        const eni = lookup.get(target);
        if (eni) enis.set(eni.eniId, eni);
      }
      return {
        targetGroupArn: b.targetGroup.arn,
        networking: b.targetGroup.networking,
        sourceGroupId: backend,
        endpointEnis: [...enis.values()],
      };
    });
    const multiGroupIds = resolved.flatMap((b) =>
      b.endpointEnis.filter((e) => e.securityGroupIds.length > 1).flatMap((e) => e.securityGroupIds),
    );
    const groups = await this.describeGroups([...new Set(multiGroupIds)]);
    const tags = new Map(groups.map((g) => [g.GroupId ?? "", Object.fromEntries(tagPairs(g))]));
    return computeBackendRules(resolved, tags, this.cluster, { restricted: this.restricted });
  }

  /**
   * One reconcile pass over all bindings: authorize what is missing on every endpoint group, then, only if
   * every binding was computed, revoke the labelled rules nobody needs on the groups it tracks (the computed
   * endpoint groups and every group tagged with the cluster tag in the VPC).
   */
  public async reconcileBackendRules(): Promise<BackendRulesReconciliation> {
    const plan = await this.planBackendRules();
    const tracked = await this.clusterTaggedGroupIds();
    for (const rule of plan.rules) tracked.add(rule.groupId);
    const current = observedBackendRules(await this.describeGroups([...tracked]));
    const currentKeys = new Set(current.map(backendRuleKey));
    const desiredKeys = new Set(plan.rules.map(backendRuleKey));
    const authorized = plan.rules.filter((r) => !currentKeys.has(backendRuleKey(r)));
    const revoked = plan.failures.length > 0 ? [] : current.filter((r) => !desiredKeys.has(backendRuleKey(r)));
    for (const [groupId, rules] of byGroup(authorized)) {
      await this.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: rules.map(toPermission) }),
      );
    }
    for (const [groupId, rules] of byGroup(revoked)) {
      await this.ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: rules.map(toPermission) }),
      );
    }
    return { ...plan, authorized, revoked };
  }

  private async route(lb: ManagedLoadBalancer, spec: TargetGroupSpec, targetGroupArn: string) {
    const protocol = lb.listeners.get(spec.listenerPort);
    if (!protocol) throw new Error(`${lb.stack} has no listener on port ${spec.listenerPort}`);
    const key = `${lb.arn}:${spec.listenerPort}`;
    const existing = this.listenerArns.get(key);
    if (!existing) {
      const created = await this.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.arn,
          Port: spec.listenerPort,
          Protocol: protocol,
          DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
        }),
      );
      const listenerArn = required(created.Listeners?.[0]?.ListenerArn, "CreateListener ListenerArn");
      this.listenerArns.set(key, listenerArn);
      return { listenerArn };
    }
    const priority = (this.rulePriorities.get(existing) ?? 0) + 1;
    this.rulePriorities.set(existing, priority);
    const rule = await this.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: existing,
        Priority: priority,
        Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: [spec.pathPattern ?? "/*"] } }],
        Actions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
      }),
    );
    return { listenerArn: existing, ruleArn: required(rule.Rules?.[0]?.RuleArn, "CreateRule RuleArn") };
  }

  private async createSecurityGroup(name: string, description: string, tags: Tag[]): Promise<string> {
    const created = await this.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        Description: description,
        VpcId: this.vpcId,
        TagSpecifications: [
          { ResourceType: "security-group", Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) },
        ],
      }),
    );
    return required(created.GroupId, "CreateSecurityGroup GroupId");
  }

  /** The ENI holding each pod IP, found as the LBC does: by `addresses.private-ip-address` in the VPC. */
  private async enisByPrivateIp(ips: readonly string[]): Promise<Map<string, EndpointEni>> {
    const byIp = new Map<string, EndpointEni>();
    for (const chunk of chunks(ips)) {
      let token: string | undefined;
      do {
        const page = await this.ec2.send(
          new DescribeNetworkInterfacesCommand({
            Filters: [
              { Name: "vpc-id", Values: [this.vpcId] },
              { Name: "addresses.private-ip-address", Values: chunk },
            ],
            MaxResults: 1000,
            NextToken: token,
          }),
        );
        for (const eni of page.NetworkInterfaces ?? []) {
          const endpoint = {
            eniId: required(eni.NetworkInterfaceId, "NetworkInterfaceId"),
            securityGroupIds: (eni.Groups ?? []).map((g) => required(g.GroupId, "GroupId")),
          };
          for (const address of eni.PrivateIpAddresses ?? []) {
            if (address.PrivateIpAddress) byIp.set(address.PrivateIpAddress, endpoint);
          }
          if (eni.PrivateIpAddress) byIp.set(eni.PrivateIpAddress, endpoint);
        }
        token = page.NextToken;
      } while (token);
    }
    return byIp;
  }

  /** Each instance's primary ENI (device index 0), the target ENI of instance-mode bindings. */
  private async primaryEnisOf(instanceIds: readonly string[]): Promise<Map<string, EndpointEni>> {
    const byInstance = new Map<string, EndpointEni>();
    for (const chunk of chunks(instanceIds)) {
      const answer = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: chunk }));
      for (const instance of (answer.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        const primary = (instance.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0);
        if (!instance.InstanceId || !primary?.NetworkInterfaceId) continue;
        byInstance.set(instance.InstanceId, {
          eniId: primary.NetworkInterfaceId,
          securityGroupIds: (primary.Groups ?? []).map((g) => required(g.GroupId, "GroupId")),
        });
      }
    }
    return byInstance;
  }

  private async describeGroups(groupIds: readonly string[]): Promise<SecurityGroup[]> {
    const groups: SecurityGroup[] = [];
    for (const chunk of chunks(groupIds)) {
      const answer = await this.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: chunk }));
      groups.push(...(answer.SecurityGroups ?? []));
    }
    return groups;
  }

  /** `fetchEndpointSGsFromAWS`: groups in the VPC tagged `kubernetes.io/cluster/<cluster>` owned or shared. */
  private async clusterTaggedGroupIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: "vpc-id", Values: [this.vpcId] },
            { Name: `tag:${clusterTagKey(this.cluster)}`, Values: ["owned", "shared"] },
          ],
          MaxResults: 1000,
          NextToken: token,
        }),
      );
      for (const group of page.SecurityGroups ?? []) if (group.GroupId) ids.add(group.GroupId);
      token = page.NextToken;
    } while (token);
    return ids;
  }
}

const tagPairs = (group: SecurityGroup): [string, string][] =>
  (group.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? ""] as [string, string]]));

const byGroup = (rules: readonly BackendRule[]): Map<string, BackendRule[]> => {
  const grouped = new Map<string, BackendRule[]>();
  for (const rule of rules) grouped.set(rule.groupId, [...(grouped.get(rule.groupId) ?? []), rule]);
  return grouped;
};

const toPermission = (rule: BackendRule): IpPermission => ({
  IpProtocol: rule.protocol,
  FromPort: rule.fromPort,
  ToPort: rule.toPort,
  UserIdGroupPairs: [{ GroupId: rule.sourceGroupId, Description: TGB_RULE_DESCRIPTION }],
});
