import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

/** What the alarms watch. */
export interface AlarmTargets {
  /** Events that could not be processed (poison messages, undeliverable rule targets). */
  readonly deadLetterQueue: IQueue;
  /** Functions by a short name used in the alarm ids, e.g. `Events`. */
  readonly functions: Readonly<Record<string, IFunction>>;
}

const PERIOD = Duration.minutes(5);

/** Any occurrence in a five-minute window: each of these means work was lost or delayed. */
const anyOccurrence = (scope: Construct, id: string, metric: Metric, description: string): Alarm =>
  new Alarm(scope, id, {
    metric,
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    // No datapoints means nothing happened (Lambda and SQS publish these metrics only with activity).
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });

/** CloudWatch alarms: dead letters waiting, function errors, function throttles. */
export const createOperationalAlarms = (scope: Construct, targets: AlarmTargets): Alarm[] => [
  anyOccurrence(
    scope,
    "DeadLetterQueueNotEmpty",
    targets.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: "Maximum" }),
    "Events reached the dead-letter queue: malformed, repeatedly failing or undeliverable. Inspect and redrive.",
  ),
  ...Object.entries(targets.functions).flatMap(([name, fn]) => [
    anyOccurrence(
      scope,
      `${name}FunctionErrors`,
      fn.metricErrors({ period: PERIOD, statistic: "Sum" }),
      `The ${name} function failed (uncaught error or timeout).`,
    ),
    anyOccurrence(
      scope,
      `${name}FunctionThrottles`,
      fn.metricThrottles({ period: PERIOD, statistic: "Sum" }),
      `The ${name} function was throttled (account concurrency exhausted).`,
    ),
  ]),
];
