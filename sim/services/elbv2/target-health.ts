import type { Ec2View } from "./ec2-view.ts";
import type { RegisteredTarget, TargetGroup } from "./elbv2-resources.ts";

/** A target's health as DescribeTargetHealth reports it. */
export interface TargetHealth {
  readonly State: "healthy" | "unhealthy" | "unused" | "draining" | "unavailable";
  readonly Reason?: string;
  readonly Description?: string;
}

/**
 * The health of one registered target, derived from the world rather than from real probes:
 * draining while deregistration runs, `unused` when no listener forwards to the group or the
 * instance is stopped or gone, `unhealthy` when nothing in the VPC holds an IP target's address,
 * else `healthy`. Reasons and descriptions are ELBv2's documented ones.
 */
export const targetHealth = (
  group: TargetGroup,
  target: RegisteredTarget,
  inUse: boolean,
  ec2: Ec2View,
): TargetHealth => {
  if (target.deregisteredAt) {
    return {
      State: "draining",
      Reason: "Target.DeregistrationInProgress",
      Description: "Target deregistration is in progress",
    };
  }
  if (!inUse) {
    return {
      State: "unused",
      Reason: "Target.NotInUse",
      Description: "Target group is not configured to receive traffic from the load balancer",
    };
  }
  if (group.targetType === "instance") {
    const state = ec2.instance(target.id)?.state ?? "terminated";
    if (state !== "running" && state !== "pending") {
      const shown = state === "terminated" || state === "shutting-down" ? "terminated" : "stopped";
      return { State: "unused", Reason: "Target.InvalidState", Description: `Target is in the ${shown} state` };
    }
  }
  if (!group.healthCheckEnabled) {
    return { State: "unavailable", Reason: "Target.HealthCheckDisabled", Description: "Health checks are disabled" };
  }
  // IPs registered from outside the VPC (AvailabilityZone "all") cannot be checked against its ENIs.
  if (group.targetType === "ip" && target.availabilityZone !== "all" && !ec2.ipInUse(group.vpcId, target.id)) {
    return { State: "unhealthy", Reason: "Target.FailedHealthChecks", Description: "Health checks failed" };
  }
  return { State: "healthy" };
};
