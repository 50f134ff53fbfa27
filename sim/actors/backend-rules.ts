import { type EndpointEni, resolveEndpointSg, type SecurityGroupTags } from "./endpoint-sg.ts";
import { type BackendRule, dedupeUnrestricted, mergeRestricted } from "./restricted-rules.ts";
import { bindingPorts, type TargetGroupNetworking } from "./tgb-ports.ts";

/** A target group binding with its targets already resolved to ENIs. */
export interface ResolvedBinding {
  readonly targetGroupArn: string;
  readonly networking: TargetGroupNetworking;
  /** The rule source: the cluster's backend security group. */
  readonly sourceGroupId: string;
  /** Branch ENIs or node ENIs holding the pod IPs (ip mode), node primary ENIs (instance mode). */
  readonly endpointEnis: readonly EndpointEni[];
}

/** A binding the LBC cannot compute: one of its ENIs has no single endpoint group. */
export interface BindingFailure {
  readonly targetGroupArn: string;
  readonly eniId: string;
  readonly message: string;
}

export interface BackendRulesOptions {
  /** The LBC's default; false = `--disable-restricted-sg-rules` (tcp 0-65535, plus udp for UDP services). */
  readonly restricted?: boolean;
}

/**
 * The backend rules the LBC wants for a cluster's bindings. As in `computeIngressPermissionsPerSGWithPodEndpoints`,
 * an ENI without a single endpoint group fails its whole binding: that binding contributes no rule at all.
 */
export const computeBackendRules = (
  bindings: readonly ResolvedBinding[],
  sgTags: SecurityGroupTags,
  cluster: string,
  options: BackendRulesOptions = {},
): { rules: BackendRule[]; failures: BindingFailure[] } => {
  const restricted = options.restricted ?? true;
  const permissions: BackendRule[] = [];
  const failures: BindingFailure[] = [];
  for (const binding of bindings) {
    const endpoints = new Set<string>();
    const failed: BindingFailure[] = [];
    for (const eni of binding.endpointEnis) {
      const resolution = resolveEndpointSg(eni, sgTags, cluster);
      if (resolution.ok) endpoints.add(resolution.securityGroupId);
      else failed.push({ targetGroupArn: binding.targetGroupArn, eniId: eni.eniId, message: resolution.message });
    }
    if (failed.length > 0) {
      failures.push(...failed);
      continue;
    }
    const ports = restricted ? bindingPorts(binding.networking) : allPorts(binding.networking);
    for (const groupId of endpoints) {
      for (const { protocol, port } of ports) {
        const [fromPort, toPort] = restricted ? [port, port] : [0, 65535];
        permissions.push({ groupId, protocol, fromPort, toPort, sourceGroupId: binding.sourceGroupId });
      }
    }
  }
  return { rules: restricted ? mergeRestricted(permissions) : dedupeUnrestricted(permissions), failures };
};

const allPorts = (tg: TargetGroupNetworking) =>
  tg.kind === "service" && (tg.protocol === "UDP" || tg.protocol === "TCP_UDP")
    ? [
        { protocol: "tcp" as const, port: 0 },
        { protocol: "udp" as const, port: 0 },
      ]
    : [{ protocol: "tcp" as const, port: 0 }];
