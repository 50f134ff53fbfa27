import type { StackKind } from "./lbc-tags.ts";

/** Protocol of a security group rule the LBC writes. */
export type RuleProtocol = "tcp" | "udp";

/** One port a target group binding needs open on its targets. */
export interface NetworkingPort {
  readonly protocol: RuleProtocol;
  readonly port: number;
}

/** What the LBC's networking model needs to know of a target group. */
export interface TargetGroupNetworking {
  /** Built from an Ingress (ALB) or a Service (NLB). */
  readonly kind: StackKind;
  /** The target group's protocol: HTTP, HTTPS, TCP, TLS, UDP or TCP_UDP. */
  readonly protocol: string;
  /** The traffic port: the pod's target port in ip mode, the NodePort in instance mode. */
  readonly port: number;
  /** `traffic-port` or a port number. */
  readonly healthCheckPort: number | "traffic-port";
}

/** Reads ELBv2's `HealthCheckPort` (`traffic-port` or a number as text). */
export const parseHealthCheckPort = (value: string | undefined): number | "traffic-port" => {
  if (value === undefined || value === "traffic-port") return "traffic-port";
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : "traffic-port";
};

/**
 * The ports a binding opens from the backend security group in restricted mode (`buildTargetGroupBindingNetworking`
 * of the LBC's ingress and service model builders): the traffic port over the target group's transport, a UDP
 * service's TCP health check on the traffic port, and a distinct numeric health-check port over TCP. These then
 * merge per group, protocol and source (`mergeRestricted`), so a distinct TCP health-check port widens the TCP
 * rule rather than adding one; only a UDP service gets a rule of each protocol.
 */
export const bindingPorts = (tg: TargetGroupNetworking): NetworkingPort[] => {
  const udp = tg.kind === "service" && (tg.protocol === "UDP" || tg.protocol === "TCP_UDP");
  const ports: NetworkingPort[] = [{ protocol: udp ? "udp" : "tcp", port: tg.port }];
  const healthCheckOnTrafficPort = tg.healthCheckPort === "traffic-port" || tg.healthCheckPort === tg.port;
  // TCP_UDP carries both transports on the traffic port, whatever the health check.
  if (udp && (healthCheckOnTrafficPort || tg.protocol === "TCP_UDP")) ports.push({ protocol: "tcp", port: tg.port });
  if (typeof tg.healthCheckPort === "number" && tg.healthCheckPort !== tg.port) {
    ports.push({ protocol: "tcp", port: tg.healthCheckPort });
  }
  return ports;
};
