/** Who Branchkeeper is in AWS, so that its own CloudTrail events can be recognised and ignored. */
export interface CallerIdentity {
  readonly accountId: string;
  /** The caller's ARN, e.g. `arn:aws:sts::123456789012:assumed-role/branchkeeper/session`. */
  readonly arn: string;
  /**
   * The long-lived principal behind it: the role ARN for an assumed role
   * (`arn:aws:iam::123456789012:role/branchkeeper`, without the role's path, which STS does not
   * report), the ARN itself otherwise.
   */
  readonly principalArn: string;
  /** The region Branchkeeper works in (its clients' region), when known. */
  readonly region?: string;
}

export interface CallerIdentityProvider {
  callerIdentity(): Promise<CallerIdentity>;
}

/** The `userIdentity` block of a CloudTrail event, as far as matching needs it. */
export interface TrailUserIdentity {
  readonly arn?: string;
  readonly accountId?: string;
  readonly sessionContext?: { readonly sessionIssuer?: { readonly arn?: string } };
}

const roleNameOf = (arn: string): string | undefined => {
  const match = /^arn:[^:]+:iam::\d+:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1];
};

/**
 * True when a CloudTrail event was caused by Branchkeeper itself. Matches the exact caller ARN, or the
 * session issuer's role (compared by account and role name, because CloudTrail's issuer ARN carries
 * the role path that STS leaves out).
 */
export const isOwnCall = (identity: CallerIdentity, userIdentity: TrailUserIdentity | undefined): boolean => {
  if (!userIdentity) return false;
  if (userIdentity.arn === identity.arn) return true;
  const issuer = userIdentity.sessionContext?.sessionIssuer?.arn;
  if (!issuer) return false;
  if (issuer === identity.principalArn) return true;
  const ownRole = roleNameOf(identity.principalArn);
  const issuerAccount = issuer.split(":")[4];
  return ownRole !== undefined && issuerAccount === identity.accountId && roleNameOf(issuer) === ownRole;
};
