import { describe, expect, it } from "vitest";
import { readHttpRequest } from "../../../core/api/http-request.ts";
import { matchRoute } from "../../../core/api/route-table.ts";
import { apiGatewayEvent } from "../../../scripts/local/api-gateway-event.ts";

const request = (url: string, method = "GET") =>
  apiGatewayEvent(
    { method, url, headers: { host: "127.0.0.1:8787", "user-agent": "curl/8" }, sourceIp: "127.0.0.1" },
    new Date("2026-11-21T10:00:00Z"),
  );

describe("the local status API's HTTP → API Gateway adapter", () => {
  it("routes a plain request as API Gateway's $default route would, with its query parameters", () => {
    const event = request("/v1/clusters/alpha/enis?state=leaked&limit=5&state=suspect");

    const http = readHttpRequest(event);
    const { route, pathParameters } = matchRoute(http);

    expect(route.key).toBe("GET /v1/clusters/{cluster}/enis");
    expect(pathParameters).toEqual({ cluster: "alpha" });
    expect(http.query).toEqual({ state: "leaked,suspect", limit: "5" });
    expect(event.requestContext).toMatchObject({ time: "21/Nov/2026:10:00:00 +0000", stage: "$default" });
  });

  it("passes the path as sent, so traversal attempts are refused rather than normalised", () => {
    const event = request("/v1/enis/%2e%2e/health");

    expect(event.rawPath).toBe("/v1/enis/%2e%2e/health");
    expect(() => matchRoute(readHttpRequest(event))).toThrow(/not allowed/);
  });
});
