/** One port a target group binding opens: the LBC's `NetworkingPort` with a numeric port. */
export interface BindingPort {
  readonly protocol: "tcp" | "udp";
  readonly port: number;
}

const TRAFFIC_PORT = "traffic-port";

/**
 * The ports the LBC's binding networking opens for one target port, in restricted mode
 * (`buildTargetGroupBindingNetworking` of the ingress and service model builders):
 * - HTTP/HTTPS/TCP/TLS: tcp traffic port;
 * - UDP/QUIC: udp traffic port, plus tcp traffic port when the health check uses the traffic port;
 * - TCP_UDP/TCP_QUIC: udp and tcp traffic port;
 * - and tcp on the health-check port when it is a number distinct from the traffic port.
 * `healthCheckPort` is ELBv2's `traffic-port` or a port number. Undefined for protocols the LBC
 * writes no rules for (GENEVE, …) or a health-check port it cannot parse.
 */
export const bindingPorts = (
  targetGroupProtocol: string,
  trafficPort: number,
  healthCheckPort: string,
): readonly BindingPort[] | undefined => {
  let healthCheck: number | "traffic";
  if (healthCheckPort === TRAFFIC_PORT) healthCheck = "traffic";
  else if (/^\d+$/.test(healthCheckPort)) healthCheck = Number(healthCheckPort);
  else return undefined;
  const checksTrafficPort = healthCheck === "traffic" || healthCheck === trafficPort;

  const ports: BindingPort[] = [];
  switch (targetGroupProtocol.toUpperCase()) {
    case "HTTP":
    case "HTTPS":
    case "TCP":
    case "TLS":
      ports.push({ protocol: "tcp", port: trafficPort });
      break;
    case "UDP":
    case "QUIC":
      ports.push({ protocol: "udp", port: trafficPort });
      // NLB health checks of UDP targets are TCP (or HTTP), so the LBC opens tcp for them too.
      if (checksTrafficPort) ports.push({ protocol: "tcp", port: trafficPort });
      break;
    case "TCP_UDP":
    case "TCP_QUIC":
      ports.push({ protocol: "udp", port: trafficPort }, { protocol: "tcp", port: trafficPort });
      break;
    default:
      return undefined;
  }
  if (typeof healthCheck === "number" && !checksTrafficPort) ports.push({ protocol: "tcp", port: healthCheck });
  return ports;
};
