import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { MalformedEventError } from "../core/events/malformed-event-error.ts";
import type { EventBatch } from "../core/reconcile/event-batch.ts";
import { EventPassFailedError } from "../core/reconcile/event-pass-failed-error.ts";
import type { PassSummary } from "../core/reconcile/pass-summary.ts";
import { logger, metrics, recordInvocationMetrics, recordPassMetrics, tracer } from "./runtime/observability.ts";
import { reconcilerRuntime } from "./runtime/reconciler-runtime.ts";

const processor = new BatchProcessor(EventType.SQS);

/** One record: its event handed to the batch, its own answer back (counted, and logged when it failed). */
const processRecord = async (batch: EventBatch, passes: Set<PassSummary>, record: SQSRecord): Promise<void> => {
  try {
    const outcome = await batch.handle({
      body: record.body,
      redelivered: Number(record.attributes?.ApproximateReceiveCount ?? "1") > 1,
    });
    metrics.addMetric(
      outcome.kind === "unknown" ? "UnknownEvents" : outcome.kind === "ignored" ? "IgnoredEvents" : "ReconciledEvents",
      MetricUnit.Count,
      1,
    );
    if (outcome.kind === "reconciled") passes.add(outcome.summary);
  } catch (error) {
    if (error instanceof MalformedEventError) {
      metrics.addMetric("MalformedEvents", MetricUnit.Count, 1);
      logger.error("malformed event: sent back for the dead-letter queue", {
        messageId: record.messageId,
        reason: error.message,
      });
    } else {
      if (error instanceof EventPassFailedError) passes.add(error.summary);
      logger.warn("event not processed: it will be retried", {
        messageId: record.messageId,
        error: (error as Error).message,
      });
    }
    throw error;
  }
};

/**
 * SQS batch of EventBridge events → as few scoped passes as the batch allows (`EventBatch`: one per
 * set of clusters, not one per event). Every record is still answered on its own: malformed ones and
 * those whose pass did not complete in `batchItemFailures` (retried, then the DLQ), the rest
 * acknowledged. The records are handed in together (Powertools runs them in parallel) because the
 * batch waits for all of them; the passes themselves run one at a time. Each pass's metrics are
 * published once, however many events it stood for.
 */
export const handler = middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const startedAt = Date.now();
  const runtime = reconcilerRuntime();
  const batch = runtime.intake.batch(event.Records.length);
  const passes = new Set<PassSummary>();
  try {
    return await processPartialResponse(event, (record: SQSRecord) => processRecord(batch, passes, record), processor, {
      context,
      throwOnFullBatchFailure: false,
      processInParallel: true,
    });
  } finally {
    for (const summary of passes) recordPassMetrics(summary);
    recordInvocationMetrics(startedAt, runtime.throttles.take());
  }
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(captureLambdaHandler(tracer));
