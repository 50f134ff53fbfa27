/**
 * Tags, descriptions and labels of the AWS Load Balancer Controller (DOMAIN.md §4;
 * aws-load-balancer-controller `pkg/networking/backend_sg_provider.go`, `networking_manager.go`).
 */

export const ELBV2_CLUSTER_TAG = "elbv2.k8s.aws/cluster";
export const ELBV2_RESOURCE_TAG = "elbv2.k8s.aws/resource";
export const BACKEND_SG_RESOURCE = "backend-sg";
export const BACKEND_SG_DESCRIPTION = "[k8s] Shared Backend SecurityGroup for LoadBalancer";
export const MANAGED_LB_SG_DESCRIPTION = "[k8s] Managed SecurityGroup for LoadBalancer";

/** The description of every backend rule the LBC writes: its only way to recognise its own rules. */
export const TGB_RULE_DESCRIPTION = "elbv2.k8s.aws/targetGroupBinding=shared";

/** Tag prefix of the Kubernetes object kind an LBC stack comes from. */
export type StackKind = "ingress" | "service";

export const stackTagPrefix = (kind: StackKind): string => (kind === "ingress" ? "ingress.k8s.aws" : "service.k8s.aws");

/** Resource ids the LBC tags its load balancers and managed security groups with. */
export const LOAD_BALANCER_RESOURCE_ID = "LoadBalancer";
export const MANAGED_LB_SG_RESOURCE_ID = "ManagedLBSecurityGroup";
