import { createHash } from "node:crypto";

const sanitize = (value: string): string => value.replace(/[^A-Za-z0-9]/g, "");

/**
 * The LBC's names for load balancers, target groups and managed security groups:
 * `k8s-<namespace, 8 chars>-<name, 8 chars>-<10 hex of a hash over what makes it unique>` (at most 32 chars).
 */
export const lbcResourceName = (namespace: string, name: string, ...uniqueBy: readonly (string | number)[]): string => {
  const hash = createHash("sha256").update(uniqueBy.join(":")).digest("hex").slice(0, 10);
  return `k8s-${sanitize(namespace).slice(0, 8)}-${sanitize(name).slice(0, 8)}-${hash}`;
};
