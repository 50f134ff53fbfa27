import type { APIGatewayProxyEventV2 } from "aws-lambda";

/**
 * Status API requests as events, the two ways they arrive: from API Gateway (route key, decoded path and
 * query parameters, full request context) and from a plain HTTP request (the local runner: method, raw
 * path and raw query string only).
 */

let requests = 0;

const pathAndQuery = (url: string): { rawPath: string; rawQueryString: string } => {
  const [rawPath = "", rawQueryString = ""] = url.split("?", 2);
  return { rawPath, rawQueryString };
};

/** API Gateway's `queryStringParameters`: decoded, repeated names joined with commas, absent when empty. */
const gatewayQuery = (rawQueryString: string): Record<string, string> | undefined => {
  const query = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const earlier = query.get(name);
    query.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  return query.size === 0 ? undefined : Object.fromEntries(query);
};

/** The event API Gateway sends for a request it matched to `routeKey`. */
export const gatewayEvent = (
  routeKey: string,
  url: string,
  pathParameters?: Record<string, string>,
  requestId = `gw-${++requests}`,
): APIGatewayProxyEventV2 => {
  const { rawPath, rawQueryString } = pathAndQuery(url);
  const queryStringParameters = gatewayQuery(rawQueryString);
  // `$default` and `ANY /{proxy+}` name no method: such requests are GETs here.
  const method = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.exec(routeKey)?.[1] ?? "GET";
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    headers: { host: "abc123.execute-api.us-east-1.amazonaws.com", "user-agent": "branchkeeper-cli" },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "192.0.2.10", userAgent: "branchkeeper-cli" },
      requestId,
      routeKey,
      stage: "$default",
      time: "21/Nov/2026:10:00:00 +0000",
      timeEpoch: Date.parse("2026-11-21T10:00:00Z"),
    },
    isBase64Encoded: false,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    ...(pathParameters === undefined ? {} : { pathParameters }),
  };
};

/** The event of a plain HTTP request: no route key, no parsed parameters. */
export const plainEvent = (method: string, url: string, requestId = `plain-${++requests}`) => {
  const { rawPath, rawQueryString } = pathAndQuery(url);
  return { rawPath, rawQueryString, headers: {}, requestContext: { http: { method }, requestId } };
};
