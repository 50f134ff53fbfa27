import type { IncomingHttpHeaders } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { DEFAULT_ACCOUNT_ID } from "../../sim/index.ts";

/** The parts of a plain HTTP request an API Gateway HTTP API event is built from. */
export interface PlainHttpRequest {
  readonly method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly sourceIp: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const twoDigits = (n: number): string => String(n).padStart(2, "0");

/** API Gateway's `requestContext.time` format: `21/Nov/2026:10:00:00 +0000`. */
const requestTime = (at: Date): string =>
  `${twoDigits(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
  `${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())}:${twoDigits(at.getUTCSeconds())} +0000`;

/**
 * The payload 2.0 event API Gateway's `$default` route would send for a request. The path stays as sent
 * (no dot-segment normalisation, no decoding), so the API's own path checks see what a client sent;
 * `queryStringParameters` is left out, so the API parses `rawQueryString` itself, exactly as it does for
 * any request without them. Header names are lower-case and repeated headers joined with commas, as
 * API Gateway does.
 */
export const apiGatewayEvent = (request: PlainHttpRequest, now: Date = new Date()): APIGatewayProxyEventV2 => {
  const queryAt = request.url.indexOf("?");
  const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : request.url.slice(queryAt + 1);
  const headers = Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), Array.isArray(value) ? value.join(",") : value]],
    ),
  );
  const domainName = headers.host ?? "localhost";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers,
    isBase64Encoded: false,
    requestContext: {
      accountId: DEFAULT_ACCOUNT_ID,
      apiId: "local",
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: crypto.randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
  };
};
