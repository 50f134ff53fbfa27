/** What one instance type allows: network interfaces in all, and branch ENIs over its trunk. */
export interface InstanceLimits {
  readonly maxEnis: number;
  readonly branchEnis: number;
}

/**
 * Trunk-capable m5 types (ENI limits from EC2, branch limits from the VPC resource controller's
 * `vpc_resource_limits.go`, DOMAIN.md §1) and t3 types, which have no trunking.
 */
export const INSTANCE_LIMITS: Readonly<Record<string, InstanceLimits>> = {
  "m5.large": { maxEnis: 3, branchEnis: 9 },
  "m5.xlarge": { maxEnis: 4, branchEnis: 18 },
  "m5.2xlarge": { maxEnis: 4, branchEnis: 38 },
  "m5.4xlarge": { maxEnis: 8, branchEnis: 54 },
  "m5.8xlarge": { maxEnis: 8, branchEnis: 54 },
  "m5.12xlarge": { maxEnis: 8, branchEnis: 54 },
  "m5.16xlarge": { maxEnis: 15, branchEnis: 107 },
  "m5.24xlarge": { maxEnis: 15, branchEnis: 107 },
  "t3.medium": { maxEnis: 3, branchEnis: 0 },
  "t3.large": { maxEnis: 3, branchEnis: 0 },
};

/** Limits of an instance type; unknown types get no trunking, as the controller treats them. */
export const instanceLimits = (instanceType: string): InstanceLimits =>
  INSTANCE_LIMITS[instanceType] ?? { maxEnis: 2, branchEnis: 0 };
