import { SimError } from "../../protocol/sim-error.ts";
import type { SimWorld } from "../../world.ts";
import { Ec2View } from "./ec2-view.ts";
import {
  canonicalHostedZoneId,
  dnsName,
  type Elbv2ArnKind,
  isArnOf,
  listenerArn,
  loadBalancerArn,
  ruleArn,
  targetGroupArn,
} from "./elbv2-arns.ts";
import {
  invalidTarget,
  listenerNotFound,
  loadBalancerNotFound,
  quoteAll,
  resourceInUse,
  ruleNotFound,
  targetGroupNotFound,
  validationError,
} from "./elbv2-errors.ts";
import type {
  Listener,
  ListenerAction,
  ListenerRule,
  LoadBalancer,
  LoadBalancerType,
  RegisteredTarget,
  RuleCondition,
  TargetGroup,
} from "./elbv2-resources.ts";
import { ResourceTags } from "./resource-tags.ts";
import { type TargetHealth, targetHealth } from "./target-health.ts";

/** Seconds a deregistered target keeps draining (the target group's default deregistration delay). */
export const DEREGISTRATION_DELAY_SECONDS = 300;

const RESOURCE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const ALB_PROTOCOLS = new Set(["HTTP", "HTTPS"]);
const NLB_PROTOCOLS = new Set(["TCP", "TLS", "UDP", "TCP_UDP"]);
const TARGET_GROUP_PROTOCOLS = new Set([...ALB_PROTOCOLS, ...NLB_PROTOCOLS, "GENEVE"]);

export interface CreateLoadBalancerInput {
  readonly name: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly scheme?: string;
  readonly type?: string;
  readonly ipAddressType?: string;
}

export interface CreateTargetGroupInput {
  readonly name: string;
  readonly protocol?: string;
  readonly protocolVersion?: string;
  readonly port?: number;
  readonly vpcId?: string;
  readonly targetType?: string;
  readonly ipAddressType?: string;
  readonly healthCheckProtocol?: string;
  readonly healthCheckPort?: string;
  readonly healthCheckEnabled?: boolean;
  readonly healthCheckPath?: string;
  readonly healthCheckIntervalSeconds?: number;
  readonly healthCheckTimeoutSeconds?: number;
  readonly healthyThresholdCount?: number;
  readonly unhealthyThresholdCount?: number;
  readonly matcher?: string;
}

export interface CreateListenerInput {
  readonly loadBalancerArn: string;
  readonly protocol?: string;
  readonly port?: number;
  readonly defaultActions: readonly ListenerAction[];
  readonly certificateArns: readonly string[];
}

export interface CreateRuleInput {
  readonly listenerArn: string;
  readonly priority?: number;
  readonly conditions: readonly RuleCondition[];
  readonly actions: readonly ListenerAction[];
}

/** ELBv2's range of rule priorities. */
const MAX_RULE_PRIORITY = 50_000;

export interface TargetInput {
  readonly id: string;
  readonly port?: number;
  readonly availabilityZone?: string;
}

/** A target and its health, one entry of DescribeTargetHealth. */
export interface TargetHealthDescription {
  readonly target: RegisteredTarget;
  readonly healthCheckPort: string;
  readonly health: TargetHealth;
}

/**
 * The account's Elastic Load Balancing v2 resources: load balancers, target groups, listeners,
 * registered targets and tags. Validation follows ELBv2's rules and error codes; target health
 * is derived from EC2's current state.
 */
export class Elbv2State {
  private readonly loadBalancerMap = new Map<string, LoadBalancer>();
  private readonly targetGroupMap = new Map<string, TargetGroup>();
  private readonly listenerMap = new Map<string, Listener>();
  private readonly ruleMap = new Map<string, ListenerRule>();
  public readonly tags = new ResourceTags();
  private readonly ec2: Ec2View;

  public constructor(private readonly world: SimWorld) {
    this.ec2 = new Ec2View(world);
  }

  /** Whether any load balancer uses the security group (EC2 refuses to delete it then). */
  public securityGroupInUse(groupId: string): boolean {
    for (const lb of this.loadBalancerMap.values()) if (lb.securityGroups.includes(groupId)) return true;
    return false;
  }

  public loadBalancers(): LoadBalancer[] {
    return [...this.loadBalancerMap.values()];
  }

  public targetGroups(): TargetGroup[] {
    this.purgeDrained();
    return [...this.targetGroupMap.values()];
  }

  public listeners(): Listener[] {
    return [...this.listenerMap.values()];
  }

  public loadBalancer(arn: string): LoadBalancer {
    this.checkArn("load balancer", arn);
    const lb = this.loadBalancerMap.get(arn);
    if (!lb) throw loadBalancerNotFound();
    return lb;
  }

  public targetGroup(arn: string): TargetGroup {
    this.checkArn("target group", arn);
    this.purgeDrained();
    const group = this.targetGroupMap.get(arn);
    if (!group) throw targetGroupNotFound();
    return group;
  }

  public listener(arn: string): Listener {
    this.checkArn("listener", arn);
    const listener = this.listenerMap.get(arn);
    if (!listener) throw listenerNotFound();
    return listener;
  }

  /** The load balancers whose listeners forward to a target group, as DescribeTargetGroups lists them. */
  public loadBalancerArnsOf(targetGroupArn: string): string[] {
    const arns = new Set<string>();
    for (const listener of this.listenerMap.values()) {
      if (forwardsTo(listener.defaultActions, targetGroupArn)) arns.add(listener.loadBalancerArn);
    }
    for (const rule of this.ruleMap.values()) {
      const listener = this.listenerMap.get(rule.listenerArn);
      if (listener && forwardsTo(rule.actions, targetGroupArn)) arns.add(listener.loadBalancerArn);
    }
    return [...arns];
  }

  /** Check that every ARN names an existing resource of its kind (ELBv2's tagging calls take any kind). */
  public requireResource(arn: string): void {
    if (isArnOf("load balancer", arn)) this.loadBalancer(arn);
    else if (isArnOf("target group", arn)) this.targetGroup(arn);
    else if (isArnOf("listener", arn)) this.listener(arn);
    else if (isArnOf("rule", arn)) this.rule(arn);
    else throw validationError(`'${arn}' is not a valid resource ARN`);
  }

  /**
   * Create a load balancer; asking again for one of the same name and settings returns it (ELBv2's
   * creation is idempotent), while different settings are `DuplicateLoadBalancerName`.
   */
  public createLoadBalancer(input: CreateLoadBalancerInput): { loadBalancer: LoadBalancer; created: boolean } {
    const { name } = input;
    if (!RESOURCE_NAME.test(name) || name.startsWith("internal-")) {
      throw validationError(
        `The load balancer name '${name}' is not valid: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen, nor with 'internal-'`,
      );
    }
    const type = (input.type ?? "application") as LoadBalancerType;
    if (type !== "application" && type !== "network") {
      throw validationError(`Load balancer type '${input.type}' is not supported by the simulator`);
    }
    const scheme = input.scheme ?? "internet-facing";
    if (scheme !== "internet-facing" && scheme !== "internal") {
      throw new SimError("InvalidScheme", `The scheme '${scheme}' is not valid`);
    }
    const ipAddressType = input.ipAddressType ?? "ipv4";
    const zones = this.zonesOf(input.subnets, type);
    const vpcId = zones[0]?.vpcId ?? "";
    for (const groupId of input.securityGroups) {
      if (!this.ec2.securityGroupExists(groupId)) {
        throw new SimError("InvalidSecurityGroup", `Security group '${groupId}' does not exist`);
      }
    }
    const defaultGroup = type === "application" ? this.ec2.defaultSecurityGroup(vpcId) : undefined;
    const securityGroups =
      input.securityGroups.length === 0 && defaultGroup ? [defaultGroup] : [...new Set(input.securityGroups)];
    const existing = [...this.loadBalancerMap.values()].find((lb) => lb.name === name);
    if (existing) {
      const same =
        existing.type === type &&
        existing.scheme === scheme &&
        sameSet(
          existing.availabilityZones.map((z) => z.subnetId),
          zones.map((z) => z.subnetId),
        ) &&
        sameSet(existing.securityGroups, securityGroups);
      if (!same) {
        throw new SimError(
          "DuplicateLoadBalancerName",
          `A load balancer with the same name '${name}' exists, but with different settings`,
        );
      }
      return { loadBalancer: existing, created: false };
    }
    const id = this.hex(16);
    const loadBalancer: LoadBalancer = {
      arn: loadBalancerArn(this.world.region, this.world.accountId, type, name, id),
      name,
      type,
      scheme,
      ipAddressType,
      vpcId,
      dnsName: dnsName(type, scheme, name, this.hex(16), this.world.region),
      canonicalHostedZoneId: canonicalHostedZoneId(this.world.region, type),
      createdTime: this.world.clock.now(),
      availabilityZones: zones.map((z) => ({ zoneName: z.availabilityZone, subnetId: z.subnetId })),
      securityGroups,
    };
    this.loadBalancerMap.set(loadBalancer.arn, loadBalancer);
    return { loadBalancer, created: true };
  }

  /** Delete a load balancer and its listeners; deleting one that is already gone succeeds. */
  public deleteLoadBalancer(arn: string): void {
    this.checkArn("load balancer", arn);
    if (!this.loadBalancerMap.delete(arn)) return;
    this.tags.drop(arn);
    for (const listener of [...this.listenerMap.values()]) {
      if (listener.loadBalancerArn === arn) this.deleteListener(listener.arn);
    }
  }

  public setSecurityGroups(arn: string, securityGroups: readonly string[]): LoadBalancer {
    const lb = this.loadBalancer(arn);
    for (const groupId of securityGroups) {
      if (!this.ec2.securityGroupExists(groupId)) {
        throw new SimError("InvalidSecurityGroup", `Security group '${groupId}' does not exist`);
      }
    }
    if (lb.type === "network" && lb.securityGroups.length === 0 && securityGroups.length > 0) {
      // ELBv2 rule: security groups can be added to an NLB only if it was created with some.
      throw validationError("You cannot set security groups on a Network Load Balancer which was created without any");
    }
    lb.securityGroups = [...new Set(securityGroups)];
    return lb;
  }

  /** Create a target group; idempotent for the same name and settings, like CreateLoadBalancer. */
  public createTargetGroup(input: CreateTargetGroupInput): { targetGroup: TargetGroup; created: boolean } {
    const { name } = input;
    if (!RESOURCE_NAME.test(name)) {
      throw validationError(
        `The target group name '${name}' is not valid: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen`,
      );
    }
    const targetType = input.targetType ?? "instance";
    if (targetType !== "instance" && targetType !== "ip") {
      throw validationError(`Target type '${targetType}' is not supported by the simulator`);
    }
    const protocol = input.protocol;
    if (!protocol) throw validationError("A protocol must be specified");
    if (!TARGET_GROUP_PROTOCOLS.has(protocol)) throw validationError(`Protocol '${protocol}' is not valid`);
    if (input.port === undefined) throw validationError("A port must be specified");
    checkPort(input.port);
    const vpcId = input.vpcId;
    if (!vpcId) throw validationError("A VPC ID must be specified");
    if (!this.ec2.vpcExists(vpcId)) throw validationError(`The VPC ID '${vpcId}' is not found`);
    const healthCheckPort = input.healthCheckPort ?? "traffic-port";
    if (healthCheckPort !== "traffic-port") checkPort(Number(healthCheckPort), "Health check port");
    const isHttp = ALB_PROTOCOLS.has(protocol);
    const healthCheckProtocol = input.healthCheckProtocol ?? (isHttp ? protocol : "TCP");
    const httpCheck = ALB_PROTOCOLS.has(healthCheckProtocol);
    const settings = {
      name,
      protocol,
      protocolVersion: isHttp ? (input.protocolVersion ?? "HTTP1") : undefined,
      port: input.port,
      vpcId,
      targetType: targetType as "instance" | "ip",
      ipAddressType: input.ipAddressType ?? "ipv4",
      healthCheckProtocol,
      healthCheckPort,
      healthCheckEnabled: input.healthCheckEnabled ?? true,
      healthCheckPath: httpCheck ? (input.healthCheckPath ?? "/") : undefined,
      healthCheckIntervalSeconds: input.healthCheckIntervalSeconds ?? 30,
      healthCheckTimeoutSeconds: input.healthCheckTimeoutSeconds ?? (isHttp ? 5 : 10),
      healthyThresholdCount: input.healthyThresholdCount ?? 5,
      unhealthyThresholdCount: input.unhealthyThresholdCount ?? 2,
      matcher: httpCheck ? (input.matcher ?? (isHttp ? "200" : "200-399")) : undefined,
    };
    const existing = [...this.targetGroupMap.values()].find((tg) => tg.name === name);
    if (existing) {
      const { targets: _targets, arn: _arn, ...existingSettings } = existing;
      if (JSON.stringify(existingSettings) !== JSON.stringify(settings)) {
        throw new SimError(
          "DuplicateTargetGroupName",
          `A target group with the same name '${name}' exists, but with different settings`,
        );
      }
      return { targetGroup: existing, created: false };
    }
    const targetGroup: TargetGroup = {
      arn: targetGroupArn(this.world.region, this.world.accountId, name, this.hex(16)),
      ...settings,
      targets: [],
    };
    this.targetGroupMap.set(targetGroup.arn, targetGroup);
    return { targetGroup, created: true };
  }

  /** Delete a target group no listener forwards to; deleting one that is already gone succeeds. */
  public deleteTargetGroup(arn: string): void {
    this.checkArn("target group", arn);
    if (!this.targetGroupMap.has(arn)) return;
    if (this.loadBalancerArnsOf(arn).length > 0) {
      throw resourceInUse(`Target group '${arn}' is currently in use by a listener or a rule`);
    }
    this.targetGroupMap.delete(arn);
    this.tags.drop(arn);
  }

  /** Create a listener; the same port with the same settings returns the existing one. */
  public createListener(input: CreateListenerInput): { listener: Listener; created: boolean } {
    const lb = this.loadBalancer(input.loadBalancerArn);
    const protocol = input.protocol;
    if (!protocol) throw validationError("A listener protocol must be specified");
    const allowed = lb.type === "application" ? ALB_PROTOCOLS : NLB_PROTOCOLS;
    if (!allowed.has(protocol)) {
      throw new SimError(
        "UnsupportedProtocol",
        `Protocol '${protocol}' is not supported for load balancers of type '${lb.type}'`,
      );
    }
    if (input.port === undefined) throw validationError("A listener port must be specified");
    checkPort(input.port);
    if ((protocol === "HTTPS" || protocol === "TLS") && input.certificateArns.length === 0) {
      throw validationError(`A certificate must be specified for ${protocol} listeners`);
    }
    if (input.defaultActions.length === 0) throw validationError("At least one default action must be specified");
    for (const action of input.defaultActions) this.checkAction(lb, protocol, action);
    const existing = [...this.listenerMap.values()].find((l) => l.loadBalancerArn === lb.arn && l.port === input.port);
    if (existing) {
      const same =
        existing.protocol === protocol &&
        JSON.stringify(existing.defaultActions) === JSON.stringify(input.defaultActions);
      if (!same) {
        throw new SimError(
          "DuplicateListener",
          `A listener already exists on this port for this load balancer '${lb.arn}'`,
        );
      }
      return { listener: existing, created: false };
    }
    const arn = listenerArn(lb.arn, this.hex(16));
    const listener: Listener = {
      arn,
      loadBalancerArn: lb.arn,
      port: input.port,
      protocol,
      certificateArns: [...input.certificateArns],
      defaultActions: input.defaultActions,
      defaultRuleArn: ruleArn(arn, this.hex(16)),
    };
    this.listenerMap.set(listener.arn, listener);
    return { listener, created: true };
  }

  /** Delete a listener and its rules. */
  public deleteListener(arn: string): void {
    this.listener(arn);
    this.listenerMap.delete(arn);
    this.tags.drop(arn);
    for (const rule of [...this.ruleMap.values()]) {
      if (rule.listenerArn === arn) {
        this.ruleMap.delete(rule.arn);
        this.tags.drop(rule.arn);
      }
    }
  }

  /** A listener's rules by priority, its default rule last, as DescribeRules lists them. */
  public rulesOf(listenerArn: string): ListenerRule[] {
    const listener = this.listener(listenerArn);
    const rules = [...this.ruleMap.values()]
      .filter((rule) => rule.listenerArn === listenerArn)
      .sort((a, b) => a.priority - b.priority);
    return [...rules, defaultRuleOf(listener)];
  }

  public rule(arn: string): ListenerRule {
    this.checkArn("rule", arn);
    const rule = this.ruleMap.get(arn);
    if (rule) return rule;
    const owner = [...this.listenerMap.values()].find((listener) => listener.defaultRuleArn === arn);
    if (!owner) throw ruleNotFound();
    return defaultRuleOf(owner);
  }

  /** Add a rule to an Application Load Balancer listener, at a priority no other rule of it holds. */
  public createRule(input: CreateRuleInput): ListenerRule {
    const listener = this.listener(input.listenerArn);
    const lb = this.loadBalancer(listener.loadBalancerArn);
    if (lb.type !== "application") {
      throw validationError("Rules are supported only by listeners of Application Load Balancers");
    }
    const { priority } = input;
    if (priority === undefined) throw validationError("A rule priority must be specified");
    if (!Number.isInteger(priority) || priority < 1 || priority > MAX_RULE_PRIORITY) {
      throw validationError(`Priority '${priority}' must be between 1 and ${MAX_RULE_PRIORITY}`);
    }
    if (this.rulesOf(listener.arn).some((rule) => !rule.isDefault && rule.priority === priority)) {
      throw new SimError("PriorityInUse", `Priority '${priority}' is currently in use`);
    }
    if (input.conditions.length === 0) throw validationError("A rule must have at least one condition");
    if (input.actions.length === 0) throw validationError("A rule must have at least one action");
    for (const action of input.actions) this.checkAction(lb, listener.protocol, action);
    const rule: ListenerRule = {
      arn: ruleArn(listener.arn, this.hex(16)),
      listenerArn: listener.arn,
      priority,
      isDefault: false,
      conditions: input.conditions,
      actions: input.actions,
    };
    this.ruleMap.set(rule.arn, rule);
    return rule;
  }

  public deleteRule(arn: string): void {
    if (this.rule(arn).isDefault) {
      throw new SimError("OperationNotPermitted", `Default rule '${arn}' cannot be deleted`);
    }
    this.ruleMap.delete(arn);
    this.tags.drop(arn);
  }

  /** Register targets (again registering one is a no-op; a draining one is taken back). */
  public registerTargets(targetGroupArn: string, targets: readonly TargetInput[]): void {
    const group = this.targetGroup(targetGroupArn);
    if (targets.length === 0) throw validationError("At least one target must be specified");
    const resolved = targets.map((t) => ({ ...t, port: t.port ?? group.port }));
    for (const target of resolved) checkPort(target.port);
    this.checkTargets(group, resolved);
    for (const target of resolved) {
      const known = group.targets.find((t) => t.id === target.id && t.port === target.port);
      if (known) delete known.deregisteredAt;
      else group.targets.push({ id: target.id, port: target.port, availabilityZone: target.availabilityZone });
    }
  }

  /**
   * Deregister targets: they drain for the deregistration delay while a listener forwards to the
   * group, and go at once otherwise.
   */
  public deregisterTargets(targetGroupArn: string, targets: readonly TargetInput[]): void {
    const group = this.targetGroup(targetGroupArn);
    if (targets.length === 0) throw validationError("At least one target must be specified");
    const matched = targets.map((input) => ({
      input,
      target: group.targets.find(
        (t) => t.id === input.id && t.port === (input.port ?? group.port) && t.deregisteredAt === undefined,
      ),
    }));
    const missing = matched.filter((m) => !m.target).map((m) => m.input.id);
    if (missing.length > 0) {
      throw invalidTarget(
        `The following targets are not registered in target group '${group.arn}': ${quoteAll(missing)}`,
      );
    }
    const draining = this.loadBalancerArnsOf(group.arn).length > 0;
    const now = this.world.clock.now();
    for (const { target } of matched) {
      if (!target) continue;
      if (draining) target.deregisteredAt = now;
      else group.targets.splice(group.targets.indexOf(target), 1);
    }
  }

  /**
   * The health of the group's targets, or of the given ones (an unregistered one is reported
   * `unused` with `Target.NotRegistered`, as ELBv2 does).
   */
  public describeTargetHealth(targetGroupArn: string, targets: readonly TargetInput[]): TargetHealthDescription[] {
    const group = this.targetGroup(targetGroupArn);
    const inUse = this.loadBalancerArnsOf(group.arn).length > 0;
    const healthPort = (target: RegisteredTarget) =>
      group.healthCheckPort === "traffic-port" ? String(target.port) : group.healthCheckPort;
    if (targets.length === 0) {
      return group.targets.map((target) => ({
        target,
        healthCheckPort: healthPort(target),
        health: targetHealth(group, target, inUse, this.ec2),
      }));
    }
    this.checkTargets(
      group,
      targets.map((t) => ({ ...t, port: t.port ?? group.port })),
      false,
    );
    return targets.flatMap((input): TargetHealthDescription[] => {
      const registered = group.targets.filter(
        (t) => t.id === input.id && (input.port === undefined || t.port === input.port),
      );
      if (registered.length > 0) {
        return registered.map((target) => ({
          target,
          healthCheckPort: healthPort(target),
          health: targetHealth(group, target, inUse, this.ec2),
        }));
      }
      const target = { id: input.id, port: input.port ?? group.port, availabilityZone: input.availabilityZone };
      return [
        {
          target,
          healthCheckPort: healthPort(target),
          health: {
            State: "unused",
            Reason: "Target.NotRegistered",
            Description: "Target is not registered to the target group",
          },
        },
      ];
    });
  }

  private checkArn(kind: Elbv2ArnKind, arn: string): void {
    if (!isArnOf(kind, arn)) throw validationError(`'${arn}' is not a valid ${kind} ARN`);
  }

  /** The subnets' zones: all in one VPC, one subnet per zone, two zones at least for an ALB. */
  private zonesOf(
    subnetIds: readonly string[],
    type: LoadBalancerType,
  ): { subnetId: string; vpcId: string; availabilityZone: string }[] {
    if (subnetIds.length === 0) throw validationError("At least one subnet must be specified");
    const zones = [...new Set(subnetIds)].map((subnetId) => {
      const subnet = this.ec2.subnet(subnetId);
      if (!subnet) throw new SimError("SubnetNotFound", `The subnet ID '${subnetId}' is not valid`);
      return { subnetId, ...subnet };
    });
    if (new Set(zones.map((z) => z.vpcId)).size > 1) {
      throw new SimError("InvalidConfigurationRequest", "The subnets must all belong to the same VPC");
    }
    const zoneNames = new Set(zones.map((z) => z.availabilityZone));
    if (zoneNames.size < zones.length) {
      throw new SimError(
        "InvalidConfigurationRequest",
        "A load balancer cannot be attached to multiple subnets in the same Availability Zone",
      );
    }
    if (type === "application" && zoneNames.size < 2) {
      throw validationError("At least two subnets in two different Availability Zones must be specified");
    }
    return zones;
  }

  private checkAction(lb: LoadBalancer, protocol: string, action: ListenerAction): void {
    if (action.type === "fixed-response") {
      if (lb.type !== "application") {
        throw new SimError(
          "InvalidLoadBalancerAction",
          "Fixed-response actions are supported only by Application Load Balancers",
        );
      }
      if (!action.fixedResponse?.statusCode) throw validationError("A fixed-response action must have a status code");
      return;
    }
    if (action.targetGroups.length === 0) throw validationError("A forward action must specify a target group");
    for (const { arn } of action.targetGroups) {
      const group = this.targetGroup(arn);
      const compatible = lb.type === "application" ? ALB_PROTOCOLS : NLB_PROTOCOLS;
      if (!compatible.has(group.protocol)) {
        throw new SimError(
          "IncompatibleProtocols",
          `Listener protocol '${protocol}' is not supported with a target group with the protocol '${group.protocol}'`,
        );
      }
      if (group.vpcId !== lb.vpcId) {
        throw validationError(`Target group '${arn}' is not in the same VPC as load balancer '${lb.arn}'`);
      }
      const others = this.loadBalancerArnsOf(arn).filter((other) => other !== lb.arn);
      if (others.length > 0) {
        throw new SimError(
          "TargetGroupAssociationLimit",
          `The following target groups cannot be associated with more than one load balancer: '${arn}'`,
        );
      }
    }
  }

  /**
   * ELBv2's registration checks: instances must exist, be running (or starting) and sit in the
   * group's VPC; IP targets must be IPv4 inside the VPC unless registered with zone `all`.
   */
  private checkTargets(group: TargetGroup, targets: readonly TargetInput[], requireRunning = true): void {
    if (group.targetType === "instance") {
      const invalid = targets.filter((t) => !this.ec2.instance(t.id)).map((t) => t.id);
      if (invalid.length > 0)
        throw invalidTarget(`The following targets are not valid instances: ${quoteAll(invalid)}`);
      const outside = targets.filter((t) => this.ec2.instance(t.id)?.vpcId !== group.vpcId).map((t) => t.id);
      if (outside.length > 0) {
        throw invalidTarget(
          `The following targets are not in the target group VPC '${group.vpcId}': ${quoteAll(outside)}`,
        );
      }
      if (!requireRunning) return;
      const stopped = targets
        .filter((t) => !["running", "pending"].includes(this.ec2.instance(t.id)?.state ?? ""))
        .map((t) => t.id);
      if (stopped.length > 0) {
        throw invalidTarget(
          `The following targets are not in a running state and cannot be registered: ${quoteAll(stopped)}`,
        );
      }
      return;
    }
    for (const target of targets) {
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(target.id)) {
        throw invalidTarget(`The IP address '${target.id}' is not a valid IPv4 address`);
      }
      if (target.availabilityZone !== "all" && !this.ec2.vpcContainsIp(group.vpcId, target.id)) {
        throw invalidTarget(
          `The IP address '${target.id}' is not within the VPC CIDR of target group '${group.arn}'; register it with AvailabilityZone 'all' if it is outside the VPC`,
        );
      }
    }
  }

  /** Drop targets whose deregistration delay has passed. */
  private purgeDrained(): void {
    const cutoff = this.world.clock.now().getTime() - DEREGISTRATION_DELAY_SECONDS * 1000;
    for (const group of this.targetGroupMap.values()) {
      for (let i = group.targets.length - 1; i >= 0; i--) {
        const at = group.targets[i]?.deregisteredAt;
        if (at && at.getTime() <= cutoff) group.targets.splice(i, 1);
      }
    }
  }

  private hex(length: number): string {
    return this.world.ids.next("elb", length).slice("elb-".length);
  }
}

/** The default rule ELBv2 lists for every listener: no conditions, the listener's default actions. */
const defaultRuleOf = (listener: Listener): ListenerRule => ({
  arn: listener.defaultRuleArn,
  listenerArn: listener.arn,
  priority: Number.POSITIVE_INFINITY,
  isDefault: true,
  conditions: [],
  actions: listener.defaultActions,
});

const forwardsTo = (actions: readonly ListenerAction[], targetGroupArn: string): boolean =>
  actions.some((action) => action.targetGroups.some((tg) => tg.arn === targetGroupArn));

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
};

const checkPort = (port: number, what = "Port"): void => {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw validationError(`${what} '${port}' is not valid: it must be between 1 and 65535`);
  }
};
