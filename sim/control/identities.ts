/** Who made a call, derived from the access key id in the SigV4 `Authorization` header. */
export interface SimIdentity {
  readonly accessKeyId: string;
  readonly accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  readonly arn: string;
  /** `arn:aws:iam::<account>:role/<role>`: CloudTrail's `sessionContext.sessionIssuer.arn`. */
  readonly roleArn: string;
  readonly principalId: string;
}

/**
 * Access key ids with a well-known meaning in scenarios and tests. Any other key id is treated as
 * an assumed role named after the key id itself, so every caller has a stable identity.
 */
export const WELL_KNOWN_ACCESS_KEYS = {
  /** The VPC resource controller (EKS control plane) that creates trunk and branch ENIs. */
  vpcResourceController: "AKIDVPCRESOURCECTRL",
  /** The AWS Load Balancer Controller. */
  loadBalancerController: "AKIDLOADBALANCERCTRL",
  /** EKS itself (cluster creation and deletion). */
  eks: "AKIDEKSSERVICE",
  /** A human operator using the console or CLI. */
  operator: "AKIDOPERATOR",
} as const;

const ROLE_NAMES: Record<string, string> = {
  [WELL_KNOWN_ACCESS_KEYS.vpcResourceController]: "eks-vpc-resource-controller",
  [WELL_KNOWN_ACCESS_KEYS.loadBalancerController]: "aws-load-balancer-controller",
  [WELL_KNOWN_ACCESS_KEYS.eks]: "AWSServiceRoleForAmazonEKS",
  [WELL_KNOWN_ACCESS_KEYS.operator]: "platform-operator",
};

export const identityFor = (accessKeyId: string, accountId: string): SimIdentity => {
  const role = ROLE_NAMES[accessKeyId] ?? accessKeyId.replace(/[^A-Za-z0-9+=,.@_-]/g, "_");
  return {
    accessKeyId,
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${role}-session`,
    roleArn: `arn:aws:iam::${accountId}:role/${role}`,
    principalId: `AROA${role
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .slice(0, 17)}:${role}-session`,
  };
};

/** The access key id, region and signing name of a SigV4 `Authorization` header, when present. */
export const parseAuthorization = (
  header: string | undefined,
): { accessKeyId: string; region: string; service: string } | undefined => {
  const match = header?.match(/Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
  if (!match) return undefined;
  return { accessKeyId: match[1] ?? "", region: match[2] ?? "", service: match[3] ?? "" };
};
