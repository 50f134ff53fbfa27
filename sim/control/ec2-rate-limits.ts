/** Bucket size and refill rate of one EC2 API rate limit (DOMAIN.md §6). */
export interface RateLimit {
  readonly size: number;
  readonly refillPerSecond: number;
}

const DESCRIBE: RateLimit = { size: 100, refillPerSecond: 20 };
const UNFILTERED_DESCRIBE: RateLimit = { size: 50, refillPerSecond: 10 };
const MUTATING: RateLimit = { size: 50, refillPerSecond: 5 };
const SG_INGRESS: RateLimit = { size: 50, refillPerSecond: 5 };
const TAGS: RateLimit = { size: 100, refillPerSecond: 10 };
const ENI_LIFECYCLE: RateLimit = { size: 100, refillPerSecond: 5 };

/** Describe actions that fall into the stricter bucket when called without filters and pagination. */
const HEAVY_DESCRIBES = new Set(["DescribeNetworkInterfaces", "DescribeSecurityGroups", "DescribeInstances"]);

/**
 * The EC2 rate limit an action draws from. `filteredOrPaged` says whether the request carried
 * a filter, explicit ids or MaxResults, which moves the heavy describes to the normal bucket.
 */
export const ec2RateLimitFor = (action: string, filteredOrPaged: boolean): RateLimit => {
  if (action.startsWith("Describe")) {
    return HEAVY_DESCRIBES.has(action) && !filteredOrPaged ? UNFILTERED_DESCRIBE : DESCRIBE;
  }
  if (action === "AuthorizeSecurityGroupIngress" || action === "RevokeSecurityGroupIngress") return SG_INGRESS;
  if (action === "CreateTags" || action === "DeleteTags") return TAGS;
  if (action === "CreateNetworkInterface" || action === "DeleteNetworkInterface") return ENI_LIFECYCLE;
  return MUTATING;
};
