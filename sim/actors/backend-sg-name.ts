import { createHash } from "node:crypto";

/**
 * The name the LBC gives a cluster's shared backend security group:
 * `k8s-traffic-<cluster without non-alphanumerics, at most 232 chars>-<first 10 hex of sha256(cluster)>`
 * (`getBackendSGName` in aws-load-balancer-controller `pkg/networking/backend_sg_provider.go`).
 */
export const backendSgName = (cluster: string): string => {
  const hash = createHash("sha256").update(cluster).digest("hex").slice(0, 10);
  // Go's [[:^alnum:]] is ASCII-only, so every non-ASCII character goes too.
  const sanitized = cluster.replace(/[^A-Za-z0-9]/g, "").slice(0, 232);
  return `k8s-traffic-${sanitized}-${hash}`;
};
