import { ArnFormat, type Stack } from "aws-cdk-lib";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";

/**
 * Least-privilege IAM statements of Branchkeeper's functions. Every action is named (no `*`, no
 * `Describe*`): a new EC2 action never silently becomes allowed. Resources are `*` only where the
 * action supports no resource type (Describe/List calls, DisassociateTrunkInterface, GetCallerIdentity).
 */

/** The owner tag the VPC resource controller puts on trunk and branch ENIs (DOMAIN.md §1). */
export const BRANCH_ENI_OWNER_TAG = { key: "eks:eni:owner", value: "eks-vpc-resource-controller" } as const;

/** The only tag keys Branchkeeper writes: the LBC's cluster tag and its own markers. */
export const WRITABLE_TAG_KEY_PATTERNS = ["kubernetes.io/cluster/*", "branchkeeper.io/*"] as const;

/** The EC2 reads the observer makes (filtered and paginated Describe calls). */
export const EC2_READ_ACTIONS = [
  "ec2:DescribeInstances",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeTrunkInterfaceAssociations",
] as const;

/** The ELBv2 reads behind backend-rule reconciliation. */
export const ELBV2_READ_ACTIONS = [
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
] as const;

/** State table reads: records, listings (indexes) and batched lookups. */
export const STATE_READ_ACTIONS = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"] as const;

/** State table writes (no Scan, no transactions, no table administration). */
export const STATE_WRITE_ACTIONS = [
  "dynamodb:BatchWriteItem",
  "dynamodb:DeleteItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
] as const;

/** What the statements are scoped to. */
export interface StatementScope {
  readonly stack: Stack;
  readonly tableArn: string;
  /** Present only when the stage enables notifications. */
  readonly notifyBusArn?: string;
}

const ec2Arn = (stack: Stack, resource: string): string =>
  stack.formatArn({ service: "ec2", resource, resourceName: "*", arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

const tableReads = (tableArn: string): PolicyStatement =>
  new PolicyStatement({
    sid: "ReadStateTable",
    effect: Effect.ALLOW,
    actions: [...STATE_READ_ACTIONS],
    resources: [tableArn, `${tableArn}/index/*`],
  });

/** The reconciler's statements (events and sweep functions): observe the account, act within the safety rules. */
export const reconcilerStatements = ({ stack, tableArn, notifyBusArn }: StatementScope): PolicyStatement[] => [
  new PolicyStatement({ sid: "ObserveEc2", effect: Effect.ALLOW, actions: [...EC2_READ_ACTIONS], resources: ["*"] }),
  new PolicyStatement({
    sid: "ObserveLoadBalancing",
    effect: Effect.ALLOW,
    actions: [...ELBV2_READ_ACTIONS],
    resources: ["*"],
  }),
  new PolicyStatement({
    sid: "DiscoverClusters",
    effect: Effect.ALLOW,
    actions: ["eks:ListClusters"],
    resources: ["*"],
  }),
  new PolicyStatement({
    sid: "DescribeClusters",
    effect: Effect.ALLOW,
    actions: ["eks:DescribeCluster"],
    resources: [
      stack.formatArn({
        service: "eks",
        resource: "cluster",
        resourceName: "*",
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    ],
  }),
  new PolicyStatement({
    // IAM itself refuses to delete any ENI the VPC resource controller does not own, whatever the code decides.
    sid: "DeleteControllerOwnedEnis",
    effect: Effect.ALLOW,
    actions: ["ec2:DeleteNetworkInterface"],
    resources: [ec2Arn(stack, "network-interface")],
    conditions: { StringEquals: { [`ec2:ResourceTag/${BRANCH_ENI_OWNER_TAG.key}`]: BRANCH_ENI_OWNER_TAG.value } },
  }),
  new PolicyStatement({
    // DisassociateTrunkInterface has no resource type and no tag condition key (Service Authorization
    // Reference: only `ec2:Region`), so the narrowest grant is this account and region. The code only
    // disassociates associations whose branch ENI it has just verified to be controller-owned.
    sid: "DisassociateBranchEnis",
    effect: Effect.ALLOW,
    actions: ["ec2:DisassociateTrunkInterface"],
    resources: ["*"],
    conditions: { StringEquals: { "ec2:Region": stack.region } },
  }),
  new PolicyStatement({
    // ForAllValues is vacuously true for a request without tag keys, and DeleteTags without tags deletes
    // every tag: the Null condition requires the request to name its keys.
    sid: "TagSecurityGroups",
    effect: Effect.ALLOW,
    actions: ["ec2:CreateTags", "ec2:DeleteTags"],
    resources: [ec2Arn(stack, "security-group")],
    conditions: {
      "ForAllValues:StringLike": { "aws:TagKeys": [...WRITABLE_TAG_KEY_PATTERNS] },
      Null: { "aws:TagKeys": "false" },
    },
  }),
  new PolicyStatement({
    sid: "EditBackendRules",
    effect: Effect.ALLOW,
    actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
    resources: [ec2Arn(stack, "security-group")],
  }),
  tableReads(tableArn),
  new PolicyStatement({
    sid: "WriteStateTable",
    effect: Effect.ALLOW,
    actions: [...STATE_WRITE_ACTIONS],
    resources: [tableArn],
  }),
  // Knowing its own ARN is how the reconciler recognizes (and ignores) its own CloudTrail events.
  new PolicyStatement({ sid: "KnowSelf", effect: Effect.ALLOW, actions: ["sts:GetCallerIdentity"], resources: ["*"] }),
  ...(notifyBusArn === undefined
    ? []
    : [
        new PolicyStatement({
          sid: "Notify",
          effect: Effect.ALLOW,
          actions: ["events:PutEvents"],
          resources: [notifyBusArn],
        }),
      ]),
];

/** The status API's statements: it reads the state table and nothing else. */
export const apiStatements = ({ tableArn }: Pick<StatementScope, "tableArn">): PolicyStatement[] => [
  tableReads(tableArn),
];
