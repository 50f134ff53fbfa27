import { describe, expect, it } from "vitest";
import { ApiError } from "../../../core/api/api-error.ts";
import { readHttpRequest } from "../../../core/api/http-request.ts";
import { matchRoute, STATUS_ROUTES } from "../../../core/api/route-table.ts";
import { gatewayEvent, plainEvent } from "./http-api-events.ts";

const refusal = (event: unknown): ApiError => {
  try {
    matchRoute(readHttpRequest(event));
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the request was routed");
};

/** The routes tests outside this repo call (DESIGN.md, "Status API"). */
const DESIGN_ROUTE_KEYS = [
  "GET /v1/health",
  "GET /v1/clusters",
  "GET /v1/clusters/{cluster}/enis",
  "GET /v1/enis/{eniId}",
  "GET /v1/clusters/{cluster}/findings",
  "GET /v1/actions",
];

describe("the status API's route table", () => {
  it("holds exactly the routes of DESIGN.md's contract", () => {
    // Prepare / Act
    const keys = STATUS_ROUTES.map((route) => route.key);

    // Assess
    expect([...keys].sort()).toEqual([...DESIGN_ROUTE_KEYS].sort());
  });

  it.each([
    ["GET /v1/health", "/v1/health", {}],
    ["GET /v1/clusters", "/v1/clusters", {}],
    ["GET /v1/clusters/{cluster}/enis", "/v1/clusters/alpha/enis?state=leaked", { cluster: "alpha" }],
    ["GET /v1/enis/{eniId}", "/v1/enis/eni-0a1b2c3d", { eniId: "eni-0a1b2c3d" }],
    ["GET /v1/clusters/{cluster}/findings", "/v1/clusters/prod_eu-1/findings", { cluster: "prod_eu-1" }],
    ["GET /v1/actions", "/v1/actions?kind=tag-sg", {}],
  ])("routes %s the same by route key and by raw path", (routeKey, url, pathParameters) => {
    // Prepare
    const fromGateway = gatewayEvent(routeKey, url, Object.keys(pathParameters).length ? pathParameters : undefined);
    const fromPlainHttp = plainEvent("GET", url);

    // Act
    const byKey = matchRoute(readHttpRequest(fromGateway));
    const byPath = matchRoute(readHttpRequest(fromPlainHttp));

    // Assess
    expect(byKey.route.key).toBe(routeKey);
    expect(byPath.route.key).toBe(routeKey);
    expect(byPath.pathParameters).toEqual(byKey.pathParameters);
  });

  it("falls back to method and raw path when the route key names no status route", () => {
    // Prepare: a `$default` stage route and a greedy proxy route, as other API setups send them.
    const events = [
      gatewayEvent("$default", "/v1/enis/eni-0abc"),
      gatewayEvent("ANY /{proxy+}", "/v1/enis/eni-0abc", { proxy: "v1/enis/eni-0abc" }),
    ];

    // Act
    const matches = events.map((event) => matchRoute(readHttpRequest(event)));

    // Assess
    for (const match of matches) {
      expect(match.route.key).toBe("GET /v1/enis/{eniId}");
      expect(match.pathParameters).toEqual({ eniId: "eni-0abc" });
    }
  });

  it("decodes percent-encoded path segments before they become parameters", () => {
    // Prepare / Act
    const match = matchRoute(readHttpRequest(plainEvent("GET", "/v1/clusters/%61lpha/enis")));

    // Assess
    expect(match.pathParameters).toEqual({ cluster: "alpha" });
  });

  it.each(["POST", "DELETE", "PUT", "HEAD", "OPTIONS"])(
    "answers %s on an existing path with 405 MethodNotAllowed and allow: GET",
    (method) => {
      // Prepare / Act
      const error = refusal(plainEvent(method, "/v1/clusters/alpha/enis"));

      // Assess
      expect(error).toMatchObject({ statusCode: 405, code: "MethodNotAllowed", headers: { allow: "GET" } });
    },
  );

  it.each([
    "/",
    "/v1",
    "/v1/health/",
    "/v2/health",
    "/V1/health",
    "/v1//health",
    "/v1/clusters/alpha/enis/extra",
    "/v1/clusters//enis",
    "/v1/enis",
  ])("answers %s with 404 NotFound", (path) => {
    // Prepare / Act
    const error = refusal(plainEvent("GET", path));

    // Assess
    expect(error).toMatchObject({ statusCode: 404, code: "NotFound" });
  });

  it.each([
    "/v1/enis/..",
    "/v1/enis/%2e%2e",
    "/v1/enis/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/v1/clusters/alpha/../beta/enis",
    "/v1/./health",
    "/v1/enis/eni-0a%2F..%2Fx",
    "/v1/enis/eni-0a%5C..",
    "/v1/enis/eni-0a%00",
    "/v1/enis/eni-0a%0d%0aSet-Cookie:x",
    "/v1/enis/%E0%A4%A",
    "/v1/enis/%zz",
    "v1/health",
  ])("refuses %s with 400 InvalidPath before any route is chosen", (path) => {
    // Prepare / Act
    const error = refusal(plainEvent("GET", path));

    // Assess
    expect(error).toMatchObject({ statusCode: 400, code: "InvalidPath" });
  });
});
