import type { LoadBalancerType } from "./elbv2-resources.ts";

/** ELBv2's short code of a load balancer type inside ARNs and listener ARNs. */
const TYPE_CODE: Record<LoadBalancerType, string> = { application: "app", network: "net" };

const NAME = "[A-Za-z0-9-]{1,32}";
const PREFIX = "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:";
const LOAD_BALANCER_ARN = new RegExp(`^${PREFIX}loadbalancer/(app|net)/${NAME}/[0-9a-f]{16}$`);
const TARGET_GROUP_ARN = new RegExp(`^${PREFIX}targetgroup/${NAME}/[0-9a-f]{16}$`);
const LISTENER_ARN = new RegExp(`^${PREFIX}listener/(app|net)/${NAME}/[0-9a-f]{16}/[0-9a-f]{16}$`);
const RULE_ARN = new RegExp(`^${PREFIX}listener-rule/(app|net)/${NAME}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$`);

/** The ARN kinds ELBv2 checks the form of before looking anything up. */
export type Elbv2ArnKind = "load balancer" | "target group" | "listener" | "rule";

const PATTERNS: Record<Elbv2ArnKind, RegExp> = {
  "load balancer": LOAD_BALANCER_ARN,
  "target group": TARGET_GROUP_ARN,
  listener: LISTENER_ARN,
  rule: RULE_ARN,
};

export const isArnOf = (kind: Elbv2ArnKind, arn: string): boolean => PATTERNS[kind].test(arn);

export const loadBalancerArn = (
  region: string,
  accountId: string,
  type: LoadBalancerType,
  name: string,
  id: string,
): string => `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${TYPE_CODE[type]}/${name}/${id}`;

export const targetGroupArn = (region: string, accountId: string, name: string, id: string): string =>
  `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${name}/${id}`;

/** A listener ARN nests under its load balancer's: `listener/app/<name>/<lb id>/<listener id>`. */
export const listenerArn = (loadBalancer: string, id: string): string =>
  `${loadBalancer.replace(":loadbalancer/", ":listener/")}/${id}`;

/** A rule ARN nests under its listener's: `listener-rule/app/<name>/<lb id>/<listener id>/<rule id>`. */
export const ruleArn = (listener: string, id: string): string =>
  `${listener.replace(":listener/", ":listener-rule/")}/${id}`;

/**
 * The DNS name AWS gives a load balancer: ALBs `<name>-<digits>.<region>.elb.amazonaws.com`
 * (prefixed `internal-` when internal), NLBs `<name>-<hex>.elb.<region>.amazonaws.com`.
 */
export const dnsName = (type: LoadBalancerType, scheme: string, name: string, hex: string, region: string): string => {
  if (type === "network") return `${name}-${hex}.elb.${region}.amazonaws.com`;
  const digits = (BigInt(`0x${hex}`) % 10_000_000_000n).toString();
  return `${scheme === "internal" ? "internal-" : ""}${name}-${digits}.${region}.elb.amazonaws.com`;
};

/** Route 53 hosted zones of ELB DNS names per region (ALB, NLB); other regions fall back to us-east-1's. */
const HOSTED_ZONES: Record<string, Record<LoadBalancerType, string>> = {
  "us-east-1": { application: "Z35SXDOTRQ7X7K", network: "Z26RNL4JYFTOTI" },
  "us-east-2": { application: "Z3AADJGX6KTTL2", network: "ZLMOA37VPKANP" },
  "us-west-2": { application: "Z1H1FL5HABSF5", network: "Z18D5FSROUN65G" },
  "eu-west-1": { application: "Z32O12XQLNTSW2", network: "Z2IFOLAFXWLO4F" },
};

export const canonicalHostedZoneId = (region: string, type: LoadBalancerType): string =>
  (HOSTED_ZONES[region] ?? HOSTED_ZONES["us-east-1"])?.[type] ?? "";
