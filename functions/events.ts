import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { MalformedEventError } from "../core/events/malformed-event-error.ts";
import { parseEventBody } from "../core/reconcile/event-intake.ts";
import { logger, metrics, recordInvocationMetrics, recordPassMetrics, tracer } from "./runtime/observability.ts";
import { reconcilerRuntime } from "./runtime/reconciler-runtime.ts";

const processor = new BatchProcessor(EventType.SQS);

/** One record: one EventBridge event, processed at most once per event id (Powertools idempotency). */
const processRecord = async (record: SQSRecord): Promise<void> => {
  try {
    const outcome = await reconcilerRuntime().handleOnce(parseEventBody(record.body));
    metrics.addMetric(
      outcome.kind === "unknown" ? "UnknownEvents" : outcome.kind === "ignored" ? "IgnoredEvents" : "ReconciledEvents",
      MetricUnit.Count,
      1,
    );
    if (outcome.kind === "reconciled") recordPassMetrics(outcome.summary);
  } catch (error) {
    if (error instanceof MalformedEventError) {
      metrics.addMetric("MalformedEvents", MetricUnit.Count, 1);
      logger.error("malformed event: sent back for the dead-letter queue", {
        messageId: record.messageId,
        reason: error.message,
      });
    } else {
      logger.warn("event not processed: it will be retried", {
        messageId: record.messageId,
        error: (error as Error).message,
      });
    }
    throw error;
  }
};

/**
 * SQS batch of EventBridge events → scoped reconcile passes. Every record is answered on its own:
 * malformed and failed ones in `batchItemFailures` (retried, then the DLQ), the rest acknowledged.
 * Records run one at a time: passes of one batch would otherwise contend for the same cluster
 * leases and burst EC2's shared buckets, and a batch is at most 10 small passes.
 */
export const handler = middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const startedAt = Date.now();
  const runtime = reconcilerRuntime();
  runtime.idempotency.config.registerLambdaContext(context);
  try {
    return await processPartialResponse(event, processRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
      processInParallel: false,
    });
  } finally {
    recordInvocationMetrics(startedAt, runtime.throttles.take());
  }
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer));
