import { describe, expect, it } from "vitest";
import { bindingPorts } from "../../../core/decide/lbc-binding-ports.ts";

describe("bindingPorts (the LBC's restricted-mode binding networking)", () => {
  it("opens tcp on the traffic port for HTTP, HTTPS, TCP and TLS target groups", () => {
    const protocols = ["HTTP", "HTTPS", "TCP", "TLS"];

    const ports = protocols.map((protocol) => bindingPorts(protocol, 8080, "traffic-port"));

    expect(ports).toEqual(protocols.map(() => [{ protocol: "tcp", port: 8080 }]));
  });

  it("adds tcp on a distinct numeric health-check port", () => {
    const ports = bindingPorts("HTTP", 8080, "9090");

    expect(ports).toEqual([
      { protocol: "tcp", port: 8080 },
      { protocol: "tcp", port: 9090 },
    ]);
  });

  it("adds nothing for a health-check port equal to the traffic port", () => {
    const ports = bindingPorts("TCP", 8080, "8080");

    expect(ports).toEqual([{ protocol: "tcp", port: 8080 }]);
  });

  it("opens udp, and tcp for the health check, on the traffic port of a UDP target group", () => {
    const ports = bindingPorts("UDP", 53, "traffic-port");

    expect(ports).toEqual([
      { protocol: "udp", port: 53 },
      { protocol: "tcp", port: 53 },
    ]);
  });

  it("opens udp on the traffic port and tcp on the health-check port of a UDP target group checked elsewhere", () => {
    const ports = bindingPorts("UDP", 53, "8081");

    expect(ports).toEqual([
      { protocol: "udp", port: 53 },
      { protocol: "tcp", port: 8081 },
    ]);
  });

  it("opens both protocols for TCP_UDP", () => {
    const ports = bindingPorts("TCP_UDP", 53, "traffic-port");

    expect(ports).toEqual([
      { protocol: "udp", port: 53 },
      { protocol: "tcp", port: 53 },
    ]);
  });

  it("has no semantics for protocols the LBC never binds, or unparseable health-check ports", () => {
    const geneve = bindingPorts("GENEVE", 6081, "traffic-port");
    const named = bindingPorts("TCP", 80, "http");

    expect(geneve).toBeUndefined();
    expect(named).toBeUndefined();
  });
});
