import type { XmlValue } from "../../protocol/xml.ts";
import type {
  Listener,
  ListenerAction,
  ListenerRule,
  LoadBalancer,
  RuleCondition,
  TargetGroup,
} from "./elbv2-resources.ts";
import type { TargetHealthDescription } from "./elbv2-state.ts";

type Xml = Record<string, XmlValue>;

/** A load balancer as ELBv2's `LoadBalancer` structure. */
export const loadBalancerXml = (lb: LoadBalancer): Xml => ({
  LoadBalancerArn: lb.arn,
  DNSName: lb.dnsName,
  CanonicalHostedZoneId: lb.canonicalHostedZoneId,
  CreatedTime: lb.createdTime,
  LoadBalancerName: lb.name,
  Scheme: lb.scheme,
  VpcId: lb.vpcId,
  State: { Code: "active" },
  Type: lb.type,
  AvailabilityZones: lb.availabilityZones.map((z) => ({
    ZoneName: z.zoneName,
    SubnetId: z.subnetId,
    LoadBalancerAddresses: [],
  })),
  // An NLB created without security groups has none to list, and ELBv2 omits the member.
  SecurityGroups: lb.type === "network" && lb.securityGroups.length === 0 ? undefined : lb.securityGroups,
  IpAddressType: lb.ipAddressType,
});

/** A target group as ELBv2's `TargetGroup` structure, with the load balancers forwarding to it. */
export const targetGroupXml = (group: TargetGroup, loadBalancerArns: readonly string[]): Xml => ({
  TargetGroupArn: group.arn,
  TargetGroupName: group.name,
  Protocol: group.protocol,
  Port: group.port,
  VpcId: group.vpcId,
  HealthCheckProtocol: group.healthCheckProtocol,
  HealthCheckPort: group.healthCheckPort,
  HealthCheckEnabled: group.healthCheckEnabled,
  HealthCheckIntervalSeconds: group.healthCheckIntervalSeconds,
  HealthCheckTimeoutSeconds: group.healthCheckTimeoutSeconds,
  HealthyThresholdCount: group.healthyThresholdCount,
  UnhealthyThresholdCount: group.unhealthyThresholdCount,
  HealthCheckPath: group.healthCheckPath,
  Matcher: group.matcher === undefined ? undefined : { HttpCode: group.matcher },
  LoadBalancerArns: [...loadBalancerArns],
  TargetType: group.targetType,
  ProtocolVersion: group.protocolVersion,
  IpAddressType: group.ipAddressType,
});

/**
 * A listener action. A forward action answers both `TargetGroupArn` (when it has one group) and
 * the equivalent `ForwardConfig`, as ELBv2 does.
 */
export const actionXml = (action: ListenerAction): Xml => {
  if (action.type === "fixed-response") {
    return {
      Type: action.type,
      Order: action.order,
      FixedResponseConfig: {
        StatusCode: action.fixedResponse?.statusCode,
        ContentType: action.fixedResponse?.contentType,
        MessageBody: action.fixedResponse?.messageBody,
      },
    };
  }
  const [single] = action.targetGroups;
  return {
    Type: action.type,
    TargetGroupArn: action.targetGroups.length === 1 ? single?.arn : undefined,
    Order: action.order,
    ForwardConfig: {
      TargetGroups: action.targetGroups.map((tg) => ({ TargetGroupArn: tg.arn, Weight: tg.weight })),
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
};

export const listenerXml = (listener: Listener): Xml => ({
  ListenerArn: listener.arn,
  LoadBalancerArn: listener.loadBalancerArn,
  Port: listener.port,
  Protocol: listener.protocol,
  Certificates:
    listener.certificateArns.length > 0
      ? listener.certificateArns.map((CertificateArn) => ({ CertificateArn }))
      : undefined,
  DefaultActions: listener.defaultActions.map(actionXml),
});

/** Condition fields ELBv2 also answers in their `<Field>Config` form. */
const CONDITION_CONFIGS: Record<string, string> = {
  "path-pattern": "PathPatternConfig",
  "host-header": "HostHeaderConfig",
  "http-request-method": "HttpRequestMethodConfig",
  "source-ip": "SourceIpConfig",
};

const conditionXml = (condition: RuleCondition): Xml => {
  const config = CONDITION_CONFIGS[condition.field];
  return {
    Field: condition.field,
    Values: [...condition.values],
    ...(config ? { [config]: { Values: [...condition.values] } } : {}),
  };
};

/** A rule; the default rule's priority is the word `default`, as ELBv2 answers it. */
export const ruleXml = (rule: ListenerRule): Xml => ({
  RuleArn: rule.arn,
  Priority: rule.isDefault ? "default" : String(rule.priority),
  Conditions: rule.conditions.map(conditionXml),
  Actions: rule.actions.map(actionXml),
  IsDefault: rule.isDefault,
});

/** One `TargetHealthDescription`. */
export const targetHealthXml = (description: TargetHealthDescription): Xml => ({
  Target: {
    Id: description.target.id,
    Port: description.target.port,
    AvailabilityZone: description.target.availabilityZone,
  },
  HealthCheckPort: description.healthCheckPort,
  TargetHealth: { ...description.health },
});
