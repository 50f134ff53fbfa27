import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { passMetricCounts } from "../../core/reconcile/pass-metrics.ts";
import type { PassSummary } from "../../core/reconcile/pass-summary.ts";
import type { PassLog } from "../../core/reconcile/reconciler.ts";

const SERVICE = "branchkeeper";

/**
 * Structured logs, EMF metrics and X-Ray tracing, one instance each per Lambda container (cheap to
 * create, and the middlewares need them before the first invocation). Outside Lambda, tracing is
 * off by itself and `POWERTOOLS_METRICS_DISABLED=true` keeps EMF off stdout.
 */
export const logger = new Logger({ serviceName: SERVICE });
export const metrics = new Metrics({ namespace: "Branchkeeper", serviceName: SERVICE });
export const tracer = new Tracer({ serviceName: SERVICE });

/** The reconciler's log, on the Powertools logger. */
export const passLog: PassLog = {
  info: (message, fields) => logger.info(message, { ...fields }),
  warn: (message, fields) => logger.warn(message, { ...fields }),
  error: (message, fields) => logger.error(message, { ...fields }),
};

/** Publish how long an invocation took and how often AWS throttled it (retried attempts included). */
export const recordInvocationMetrics = (startedAt: number, throttledAttempts: number): void => {
  metrics.addMetric("HandlerLatency", MetricUnit.Milliseconds, Date.now() - startedAt);
  metrics.addMetric("Throttles", MetricUnit.Count, throttledAttempts);
};

/** Publish what a pass found and changed. */
export const recordPassMetrics = (summary: PassSummary): void => {
  for (const [name, value] of Object.entries(passMetricCounts(summary))) {
    metrics.addMetric(name, MetricUnit.Count, value);
  }
};
