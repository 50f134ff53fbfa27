import { describe, expect, it } from "vitest";
import { readHttpRequest } from "../../../core/api/http-request.ts";
import { gatewayEvent, plainEvent } from "./http-api-events.ts";

describe("readHttpRequest", () => {
  it("takes API Gateway's route key, path parameters and decoded query parameters", () => {
    // Prepare
    const event = gatewayEvent("GET /v1/clusters/{cluster}/enis", "/v1/clusters/alpha/enis?state=leaked&limit=5", {
      cluster: "alpha",
    });

    // Act
    const request = readHttpRequest(event);

    // Assess
    expect(request).toEqual({
      method: "GET",
      rawPath: "/v1/clusters/alpha/enis",
      routeKey: "GET /v1/clusters/{cluster}/enis",
      pathParameters: { cluster: "alpha" },
      query: { state: "leaked", limit: "5" },
    });
  });

  it("reads the raw query string the way API Gateway would when no parameters were parsed", () => {
    // Prepare: a plain HTTP request with encoding and a repeated name.
    const event = plainEvent("GET", "/v1/actions?cluster=al%70ha&kind=tag-sg&kind=untag-sg&cursor=a%2Eb");

    // Act
    const request = readHttpRequest(event);

    // Assess
    expect(request.routeKey).toBeUndefined();
    expect(request.pathParameters).toEqual({});
    expect(request.query).toEqual({ cluster: "alpha", kind: "tag-sg,untag-sg", cursor: "a.b" });
  });

  it("keeps query names that are also object properties as plain names", () => {
    // Prepare
    const event = plainEvent("GET", "/v1/actions?constructor=1&__proto__=2&toString=3");

    // Act
    const request = readHttpRequest(event);

    // Assess
    expect(Object.entries(request.query)).toEqual([
      ["constructor", "1"],
      ["__proto__", "2"],
      ["toString", "3"],
    ]);
  });

  it.each([
    ["nothing", undefined],
    ["null", null],
    ["a string", "GET /v1/health"],
    ["no path", { requestContext: { http: { method: "GET" } } }],
    ["no method", { rawPath: "/v1/health", requestContext: {} }],
    ["a query value that is not a string", { ...plainEvent("GET", "/v1/health"), queryStringParameters: { limit: 5 } }],
  ])("refuses an event with %s as 400 InvalidRequest", (_what, event) => {
    // Prepare / Act / Assess
    expect(() => readHttpRequest(event)).toThrow(expect.objectContaining({ statusCode: 400, code: "InvalidRequest" }));
  });
});
