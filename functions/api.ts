import { correlationPaths } from "@aws-lambda-powertools/logger/correlationId";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type JsonResponse, jsonResponse } from "../core/api/json-response.ts";
import { prepareStatusRead } from "../core/api/status-api.ts";
import { statusApiResponses } from "./runtime/api-responses.ts";
import { apiObservability, apiSources } from "./runtime/api-runtime.ts";

const { logger, metrics, tracer } = apiObservability;

/** Validate the request, read what it asks for, answer 200 with JSON; refusals and failures are thrown. */
const answer = async (event: APIGatewayProxyEventV2): Promise<JsonResponse> => {
  const read = prepareStatusRead(event);
  return jsonResponse(200, await read(apiSources()));
};

/**
 * The status API (DESIGN.md "Status API"), behind an API Gateway HTTP API with IAM authorization; the
 * local runner calls it with events built from plain HTTP requests. Middlewares run outermost first:
 * tracing, log context (correlation id = `requestContext.requestId`), the metrics flush, then the
 * answers, logs and metrics of `statusApiResponses`, which turns every error into a JSON answer.
 */
export const handler = middy<APIGatewayProxyEventV2, JsonResponse>()
  // Pages of up to 500 items would overflow X-Ray's metadata limit: trace the calls, not the bodies.
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { correlationIdPath: correlationPaths.API_GATEWAY_HTTP, resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(statusApiResponses({ logger, metrics }))
  .handler(answer);
