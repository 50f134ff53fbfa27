import { createHash } from "node:crypto";

/**
 * The name the LBC gives a cluster's shared backend security group (`getBackendSGName`):
 * `k8s-traffic-<cluster without non-alphanumerics, at most 232>-<first 10 hex of sha256(cluster)>`.
 * The LBC finds it by its tags, not its name; the name helps people recognise it.
 */
export const backendSecurityGroupName = (cluster: string): string => {
  const hash = createHash("sha256").update(cluster).digest("hex").slice(0, 10);
  const sanitized = cluster.replace(/[^A-Za-z0-9]/g, "").slice(0, 232);
  return `k8s-traffic-${sanitized}-${hash}`;
};
