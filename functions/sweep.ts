import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import type { PassSummary } from "../core/reconcile/pass-summary.ts";
import { logger, metrics, recordInvocationMetrics, recordPassMetrics, tracer } from "./runtime/observability.ts";
import { reconcilerRuntime } from "./runtime/reconciler-runtime.ts";

/** A manual invocation may name one cluster; the schedule sends a ScheduledEvent. */
export type SweepEvent = { readonly cluster?: string } | ScheduledEvent;

const requestedCluster = (event: SweepEvent | undefined): string | undefined =>
  event && "cluster" in event && typeof event.cluster === "string" && event.cluster !== "" ? event.cluster : undefined;

/** A full reconcile of every configured cluster (or one): returns and logs the pass summary. */
export const handler = middy(async (event: SweepEvent): Promise<PassSummary> => {
  const startedAt = Date.now();
  const cluster = requestedCluster(event);
  const runtime = reconcilerRuntime();
  const summary = await runtime.reconciler.sweep(cluster ? { cluster } : {});
  recordPassMetrics(summary);
  recordInvocationMetrics(startedAt, runtime.throttles.take());
  logger.info("sweep finished", { summary });
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer));
