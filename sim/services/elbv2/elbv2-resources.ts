/** `application` (ALB) or `network` (NLB); gateway load balancers are not simulated. */
export type LoadBalancerType = "application" | "network";

/** A load balancer as the simulator keeps it. */
export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly type: LoadBalancerType;
  readonly scheme: string;
  readonly ipAddressType: string;
  readonly vpcId: string;
  readonly dnsName: string;
  readonly canonicalHostedZoneId: string;
  readonly createdTime: Date;
  readonly availabilityZones: readonly { readonly zoneName: string; readonly subnetId: string }[];
  securityGroups: string[];
}

/** A target registered with a target group; `deregisteredAt` is set while it drains. */
export interface RegisteredTarget {
  readonly id: string;
  readonly port: number;
  readonly availabilityZone?: string;
  deregisteredAt?: Date;
}

/** A target group with its health-check settings and registered targets. */
export interface TargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly protocol: string;
  readonly protocolVersion?: string;
  readonly port: number;
  readonly vpcId: string;
  readonly targetType: "instance" | "ip";
  readonly ipAddressType: string;
  readonly healthCheckProtocol: string;
  /** A port number, or `traffic-port` (each target's own port). */
  readonly healthCheckPort: string;
  readonly healthCheckEnabled: boolean;
  readonly healthCheckPath?: string;
  readonly healthCheckIntervalSeconds: number;
  readonly healthCheckTimeoutSeconds: number;
  readonly healthyThresholdCount: number;
  readonly unhealthyThresholdCount: number;
  readonly matcher?: string;
  readonly targets: RegisteredTarget[];
}

/** A listener default action: `forward` (to one or more weighted groups) or `fixed-response`. */
export interface ListenerAction {
  readonly type: "forward" | "fixed-response";
  readonly order?: number;
  readonly targetGroups: readonly { readonly arn: string; readonly weight: number }[];
  readonly fixedResponse?: {
    readonly statusCode: string;
    readonly contentType?: string;
    readonly messageBody?: string;
  };
}

/** A listener of a load balancer. */
export interface Listener {
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly port: number;
  readonly protocol: string;
  readonly certificateArns: readonly string[];
  readonly defaultActions: readonly ListenerAction[];
  /** The ARN of the listener's default rule, which DescribeRules lists last. */
  readonly defaultRuleArn: string;
}

/** A rule condition: its field (`path-pattern`, `host-header`, …) and the values it matches. */
export interface RuleCondition {
  readonly field: string;
  readonly values: readonly string[];
}

/** A listener rule; the default one (no conditions, the listener's default actions) sorts last. */
export interface ListenerRule {
  readonly arn: string;
  readonly listenerArn: string;
  readonly priority: number;
  readonly isDefault: boolean;
  readonly conditions: readonly RuleCondition[];
  readonly actions: readonly ListenerAction[];
}
