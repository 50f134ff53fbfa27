import type { CloudTrailDetail } from "./cloudtrail-detail.ts";

/** Who Branchkeeper is in CloudTrail: its caller ARN (STS GetCallerIdentity) and the role behind it. */
export interface OwnIdentity {
  readonly arn: string;
  /** The IAM role name of an assumed-role ARN (`arn:aws:sts::…:assumed-role/<role>/<session>`). */
  readonly roleName?: string;
}

/** Derive the identity from the ARN STS returns. */
export const ownIdentityFromArn = (arn: string): OwnIdentity => {
  const match = arn.match(/:assumed-role\/([^/]+)\//);
  return match?.[1] ? { arn, roleName: match[1] } : { arn };
};

/**
 * True when the call was made by Branchkeeper itself (any session of its role), so that its own
 * mutations never start another round of work (DESIGN.md: no work loops).
 */
export const isOwnCall = (detail: CloudTrailDetail, self: OwnIdentity): boolean => {
  const identity = detail.userIdentity;
  if (!identity) return false;
  if (identity.arn === self.arn) return true;
  if (!self.roleName) return false;
  const issuer = identity.sessionContext?.sessionIssuer;
  if (issuer?.userName === self.roleName) return true;
  if (issuer?.arn?.endsWith(`:role/${self.roleName}`) || issuer?.arn?.endsWith(`/${self.roleName}`)) return true;
  return identity.arn?.includes(`:assumed-role/${self.roleName}/`) ?? false;
};
