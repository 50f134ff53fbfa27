import type { EventPattern } from "../core/events/event-pattern.ts";

/**
 * The EventBridge patterns of Branchkeeper's rules on the account's default bus (DOMAIN.md §5).
 * The stack creates one rule per entry of {@link RULE_PATTERNS}; tests and the local runner route sample
 * and simulator events through the same constants, so infrastructure and tests cannot drift apart.
 * Every pattern pins `source`, `detail-type` and the event names: each rule costs an SQS message and a
 * Lambda invocation per match, and events are only hints (the sweep catches whatever is filtered out).
 */

/** A rule pattern: fixed source and detail-type, content filters under `detail`. */
export interface RulePattern extends EventPattern {
  readonly source: readonly string[];
  readonly "detail-type": readonly string[];
  readonly detail: EventPattern;
}

/** CloudTrail delivers failed calls too (with `errorCode`); they changed nothing, so no rule wants them. */
const SUCCEEDED_ONLY = { errorCode: [{ exists: false }] } as const;

/**
 * Instance state changes that may orphan branch ENIs (the trunk goes with the instance) or bring a node
 * (and its trunk) back. `pending` is left out: nothing to reconcile until the instance runs.
 */
export const EC2_INSTANCE_STATE_CHANGE_PATTERN = {
  source: ["aws.ec2"],
  "detail-type": ["EC2 Instance State-change Notification"],
  detail: { state: ["shutting-down", "terminated", "stopping", "stopped", "running"] },
} as const satisfies RulePattern;

/** Successful EC2 calls that create, re-wire, re-tag or remove branch ENIs, their nodes or their security groups. */
export const EC2_API_CALL_PATTERN = {
  source: ["aws.ec2"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["ec2.amazonaws.com"],
    eventName: [
      "CreateNetworkInterface",
      "DeleteNetworkInterface",
      "AssociateTrunkInterface",
      "DisassociateTrunkInterface",
      "CreateTags",
      "DeleteTags",
      "ModifyNetworkInterfaceAttribute",
      "AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupIngress",
      "TerminateInstances",
      "DeleteSecurityGroup",
    ],
    ...SUCCEEDED_ONLY,
  },
} as const satisfies RulePattern;

/** Successful EKS calls that start or end a cluster (EKS emits no lifecycle events of its own). */
export const EKS_API_CALL_PATTERN = {
  source: ["aws.eks"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["eks.amazonaws.com"],
    eventName: ["CreateCluster", "DeleteCluster", "DeleteNodegroup"],
    ...SUCCEEDED_ONLY,
  },
} as const satisfies RulePattern;

/** Successful ELBv2 calls that change which targets, ports or security groups backend rules must serve. */
export const ELBV2_API_CALL_PATTERN = {
  source: ["aws.elasticloadbalancing"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["elasticloadbalancing.amazonaws.com"],
    eventName: [
      "RegisterTargets",
      "DeregisterTargets",
      "CreateTargetGroup",
      "DeleteTargetGroup",
      "CreateLoadBalancer",
      "DeleteLoadBalancer",
      "SetSecurityGroups",
      "CreateListener",
      "DeleteListener",
      "ModifyListener",
    ],
    ...SUCCEEDED_ONLY,
  },
} as const satisfies RulePattern;

/** Every rule, by name (the name becomes the rule's construct id). */
export const RULE_PATTERNS = {
  "ec2-instance-state-change": EC2_INSTANCE_STATE_CHANGE_PATTERN,
  "ec2-api-call": EC2_API_CALL_PATTERN,
  "eks-api-call": EKS_API_CALL_PATTERN,
  "elbv2-api-call": ELBV2_API_CALL_PATTERN,
} as const satisfies Readonly<Record<string, RulePattern>>;

/** The name of one of Branchkeeper's rules. */
export type RuleName = keyof typeof RULE_PATTERNS;
