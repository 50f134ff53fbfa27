import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MiddlewareObj, Request } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { errorAnswer } from "../../core/api/error-answer.ts";
import type { JsonResponse } from "../../core/api/json-response.ts";
import { routeLabelOf } from "../../core/api/status-api.ts";

type ApiRequest = Request<APIGatewayProxyEventV2, JsonResponse, unknown>;

/**
 * Middy middleware giving every request of the status API its JSON answer, log line and metrics.
 *
 * Errors become answers here (`errorAnswer`): a 4xx is logged at info, a 503 at warn, a 500 at error
 * with the whole error chain, which only the logs ever see. Per request, under a `route` dimension (the
 * route key, or `unmatched`): `Requests`, `Latency` (ms), and `ClientErrors`/`ServerErrors` as 0 or 1,
 * so their sums and averages are counts and rates. Use it innermost, inside `logMetrics`, so its
 * metrics are in the flush and its error answer is what outer middlewares see.
 */
export const statusApiResponses = ({
  logger,
  metrics,
}: {
  readonly logger: Logger;
  readonly metrics: Metrics;
}): MiddlewareObj<APIGatewayProxyEventV2, JsonResponse, unknown> => {
  // Keyed by request: the local runner may run requests concurrently in one process.
  const startedAt = new WeakMap<ApiRequest, number>();

  const finish = (request: ApiRequest, response: JsonResponse): { route: string; latencyMs: number } => {
    const route = routeLabelOf(request.event);
    const latencyMs = performance.now() - (startedAt.get(request) ?? performance.now());
    metrics.addDimension("route", route);
    metrics.addMetric("Requests", MetricUnit.Count, 1);
    metrics.addMetric("Latency", MetricUnit.Milliseconds, latencyMs);
    metrics.addMetric(
      "ClientErrors",
      MetricUnit.Count,
      response.statusCode >= 400 && response.statusCode < 500 ? 1 : 0,
    );
    metrics.addMetric("ServerErrors", MetricUnit.Count, response.statusCode >= 500 ? 1 : 0);
    return { route, latencyMs };
  };

  return {
    before: (request) => {
      startedAt.set(request, performance.now());
    },
    after: (request) => {
      if (request.response === null) return;
      const { route, latencyMs } = finish(request, request.response);
      logger.debug("request answered", { route, statusCode: request.response.statusCode, latencyMs });
    },
    onError: (request) => {
      const { code, message, severity, response } = errorAnswer(request.error);
      // Set, not returned: returning would skip the outer middlewares' onError (metrics flush, log reset).
      request.response = response;
      const { route, latencyMs } = finish(request, response);
      const entry = { route, statusCode: response.statusCode, code, latencyMs };
      if (severity === "info") logger.info("request refused", { ...entry, reason: message });
      else logger[severity]("request failed", { ...entry, error: request.error });
    },
  };
};
