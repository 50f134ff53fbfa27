/**
 * Branch ENIs a trunk can carry, by the node's instance type (VPC resource controller's limits;
 * DOMAIN.md §1). Types missing here get a generous default so scenarios with other families work.
 */
const BRANCH_CAPACITY: Readonly<Record<string, number>> = {
  "m5.large": 9,
  "m5.xlarge": 18,
  "m5.2xlarge": 38,
  "m5.4xlarge": 54,
  "m5.8xlarge": 54,
  "m5.12xlarge": 54,
  "m5.16xlarge": 107,
  "m5.24xlarge": 107,
};

/** Families without ENI trunking (burstable instances). */
const NO_TRUNKING_FAMILIES = new Set(["t2", "t3", "t3a", "t4g"]);

/** Capacity assumed for instance types not in the table (generous, so unknown families still work). */
export const DEFAULT_BRANCH_CAPACITY = 54;

/** Branch ENIs a trunk on a node of this instance type can carry. */
export const branchCapacity = (instanceType: string): number => {
  const known = BRANCH_CAPACITY[instanceType];
  if (known !== undefined) return known;
  const family = instanceType.split(".")[0] ?? "";
  return NO_TRUNKING_FAMILIES.has(family) ? 0 : DEFAULT_BRANCH_CAPACITY;
};
