import { describe, expect, it } from "vitest";
import { bindingPorts, parseHealthCheckPort } from "../../../sim/actors/tgb-ports.ts";

describe("bindingPorts", () => {
  it("opens the traffic port over TCP for an ALB target group checked on the traffic port", () => {
    expect(bindingPorts({ kind: "ingress", protocol: "HTTP", port: 8080, healthCheckPort: "traffic-port" })).toEqual([
      { protocol: "tcp", port: 8080 },
    ]);
  });

  it("adds a distinct numeric health-check port over TCP", () => {
    expect(bindingPorts({ kind: "ingress", protocol: "HTTP", port: 9000, healthCheckPort: 9001 })).toEqual([
      { protocol: "tcp", port: 9000 },
      { protocol: "tcp", port: 9001 },
    ]);
    expect(bindingPorts({ kind: "service", protocol: "TCP", port: 30443, healthCheckPort: 30254 })).toEqual([
      { protocol: "tcp", port: 30443 },
      { protocol: "tcp", port: 30254 },
    ]);
  });

  it("does not repeat a numeric health-check port equal to the traffic port", () => {
    expect(bindingPorts({ kind: "service", protocol: "TCP", port: 7000, healthCheckPort: 7000 })).toEqual([
      { protocol: "tcp", port: 7000 },
    ]);
  });

  it("opens a UDP service's port over UDP, and over TCP for its health check", () => {
    expect(bindingPorts({ kind: "service", protocol: "UDP", port: 8125, healthCheckPort: "traffic-port" })).toEqual([
      { protocol: "udp", port: 8125 },
      { protocol: "tcp", port: 8125 },
    ]);
    expect(bindingPorts({ kind: "service", protocol: "UDP", port: 8125, healthCheckPort: 8080 })).toEqual([
      { protocol: "udp", port: 8125 },
      { protocol: "tcp", port: 8080 },
    ]);
  });
});

describe("bindingPorts of a TCP_UDP service", () => {
  it("opens the traffic port over both transports, and a distinct health-check port over TCP", () => {
    expect(bindingPorts({ kind: "service", protocol: "TCP_UDP", port: 53, healthCheckPort: 8080 })).toEqual([
      { protocol: "udp", port: 53 },
      { protocol: "tcp", port: 53 },
      { protocol: "tcp", port: 8080 },
    ]);
  });
});

describe("parseHealthCheckPort", () => {
  it("reads ELBv2's text: traffic-port or a port number", () => {
    expect(parseHealthCheckPort("traffic-port")).toBe("traffic-port");
    expect(parseHealthCheckPort("10254")).toBe(10254);
    expect(parseHealthCheckPort(undefined)).toBe("traffic-port");
  });
});
