import { APIGatewayProxyEventV2Schema } from "@aws-lambda-powertools/parser/schemas/api-gatewayv2";
import { z } from "zod";
import { ApiError } from "./api-error.ts";

/**
 * The parts of an API Gateway HTTP API (payload 2.0) event that routing reads. Everything else is
 * optional, so events built from plain HTTP requests (the local runner: no `routeKey`, no path or
 * query parameters) route as well as API Gateway's.
 */
const httpApiEventSchema = APIGatewayProxyEventV2Schema.pick({
  routeKey: true,
  rawPath: true,
  rawQueryString: true,
  queryStringParameters: true,
  pathParameters: true,
})
  .partial({ routeKey: true, rawQueryString: true })
  .extend({ requestContext: z.object({ http: z.object({ method: z.string().min(1) }) }) });

/** One HTTP request, as the router sees it. */
export interface HttpRequest {
  readonly method: string;
  /** The path as sent, percent-encoded. */
  readonly rawPath: string;
  /** API Gateway's route key (`GET /v1/enis/{eniId}`); absent or `$default` outside API Gateway. */
  readonly routeKey?: string;
  /** API Gateway's decoded path parameters, by the names in `routeKey`. */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Decoded query parameters; a repeated name holds its values joined by commas, as API Gateway does. */
  readonly query: Readonly<Record<string, string>>;
}

/** Query parameters from the raw query string, the way API Gateway builds `queryStringParameters`. */
const parseRawQuery = (rawQueryString: string): Record<string, string> => {
  // A map, not an object: names like `constructor` or `__proto__` must stay plain names.
  const query = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const earlier = query.get(name);
    query.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  return Object.fromEntries(query);
};

/**
 * Read an HTTP API event.
 * @throws ApiError `InvalidRequest` when the event has no path or method: not an HTTP request at all.
 */
export const readHttpRequest = (event: unknown): HttpRequest => {
  const parsed = httpApiEventSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new ApiError("InvalidRequest", `not an API Gateway HTTP API request: ${problems}`, { cause: parsed.error });
  }
  const { routeKey, rawPath, rawQueryString, queryStringParameters, pathParameters, requestContext } = parsed.data;
  return {
    method: requestContext.http.method,
    rawPath,
    ...(routeKey === undefined ? {} : { routeKey }),
    pathParameters: pathParameters ?? {},
    query: queryStringParameters ?? parseRawQuery(rawQueryString ?? ""),
  };
};
