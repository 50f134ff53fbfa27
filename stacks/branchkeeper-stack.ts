import { CfnOutput, Duration } from "aws-cdk-lib";
import { type EventPattern as CdkEventPattern, EventBus, Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction, SqsQueue } from "aws-cdk-lib/aws-events-targets";
import { ManagedPolicy, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Api, type FunctionProps, Function as SstFunction, type StackContext } from "sst/constructs";
import { STATE_TABLE_TTL_ATTRIBUTE, stateTableDefinition } from "../core/aws/state-table.ts";
import { API_ROUTE_KEYS } from "./api-routes.ts";
import { RULE_PATTERNS, type RulePattern } from "./event-patterns.ts";
import { EVENTS_QUEUE } from "./events-queue.ts";
import { FUNCTION_NODEJS } from "./function-bundling.ts";
import { functionEnvironment } from "./function-environment.ts";
import { apiStatements, reconcilerStatements } from "./iam-statements.ts";
import { createOperationalAlarms } from "./operational-alarms.ts";
import { stageConfigFor } from "./stage-config.ts";
import { createStateTable } from "./state-table-construct.ts";

/** CDK spells `detail-type` as `detailType`; everything else passes through as written. */
const cdkEventPattern = (pattern: RulePattern): CdkEventPattern => ({
  source: [...pattern.source],
  detailType: [...pattern["detail-type"]],
  detail: pattern.detail,
});

/**
 * Branchkeeper for one account and region: default-bus rules → SQS (+DLQ) → events function; a schedule
 * → sweep function; an IAM-authorized HTTP API → api function; one DynamoDB table; alarms.
 */
export function Branchkeeper({ stack, app }: StackContext) {
  const config = stageConfigFor(app.stage);

  const table = createStateTable(stack, "StateTable", {
    definition: stateTableDefinition(app.logicalPrefixedName("state")),
    ttlAttribute: STATE_TABLE_TTL_ATTRIBUTE,
    retain: config.retainState,
  });

  const notifyBus = config.notifications
    ? new EventBus(stack, "NotifyBus", { eventBusName: app.logicalPrefixedName("notifications") })
    : undefined;

  const environment = functionEnvironment(config, {
    tableName: table.tableName,
    ...(notifyBus === undefined ? {} : { notifyBusName: notifyBus.eventBusName }),
  });
  const reconcilerPermissions = reconcilerStatements({
    stack,
    tableArn: table.tableArn,
    ...(notifyBus === undefined ? {} : { notifyBusArn: notifyBus.eventBusArn }),
  });
  // One role for events and sweep: CloudTrail names the role, and each must recognise the other's
  // calls as Branchkeeper's own (DESIGN.md: its own events must not cause work loops).
  const reconcilerRole = new Role(stack, "ReconcilerRole", {
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    description: "Branchkeeper reconciler (events and sweep functions)",
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")],
  });
  for (const statement of reconcilerPermissions) reconcilerRole.addToPolicy(statement);
  const common = {
    runtime: "nodejs22.x",
    architecture: "arm_64",
    environment,
    // ESM, minified, with the SDK bundled and tree-shaken: see function-bundling.ts (and bench/cold-start.ts).
    nodejs: FUNCTION_NODEJS,
    logRetention: "one_month",
    tracing: "active",
  } as const satisfies FunctionProps;

  const eventsFunction = new SstFunction(stack, "EventsFunction", {
    ...common,
    handler: "functions/events.handler",
    description: "Branchkeeper: reconciles the scopes named by EventBridge events (from SQS)",
    timeout: EVENTS_QUEUE.functionTimeoutSeconds,
    memorySize: 512,
    role: reconcilerRole,
  });

  const sweepFunction = new SstFunction(stack, "SweepFunction", {
    ...common,
    handler: "functions/sweep.handler",
    description: "Branchkeeper: periodic full sweep, catches every event that never came",
    timeout: "5 minutes",
    memorySize: 1024,
    // No reserved concurrency (it fails to deploy in accounts at the 10-execution minimum): overlapping
    // runs are serialized by the state table's per-cluster leases. The next scheduled sweep is the retry.
    retryAttempts: 0,
    maxEventAge: Duration.minutes(5),
    role: reconcilerRole,
  });

  const apiFunction = new SstFunction(stack, "ApiFunction", {
    ...common,
    handler: "functions/api.handler",
    description: "Branchkeeper: status API (read-only)",
    timeout: 10,
    memorySize: 256,
    permissions: apiStatements({ tableArn: table.tableArn }),
  });

  const deadLetterQueue = new Queue(stack, "EventsDeadLetterQueue", {
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  const eventsQueue = new Queue(stack, "EventsQueue", {
    visibilityTimeout: Duration.seconds(EVENTS_QUEUE.visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: EVENTS_QUEUE.maxReceives },
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  eventsFunction.addEventSource(
    new SqsEventSource(eventsQueue, {
      batchSize: EVENTS_QUEUE.batchSize,
      maxBatchingWindow: Duration.seconds(EVENTS_QUEUE.batchWindowSeconds),
      reportBatchItemFailures: true,
      maxConcurrency: EVENTS_QUEUE.concurrency,
    }),
  );

  // Follow-ups: a pass that records suspects sends itself a delayed message for when their grace elapses.
  for (const fn of [eventsFunction, sweepFunction]) fn.addEnvironment("FOLLOW_UP_QUEUE_URL", eventsQueue.queueUrl);
  eventsQueue.grantSendMessages(reconcilerRole);

  // EC2 and EKS events arrive only on the account's default bus: import it, never create a bus for them.
  const defaultBus = EventBus.fromEventBusName(stack, "DefaultBus", "default");
  for (const [name, pattern] of Object.entries(RULE_PATTERNS)) {
    new Rule(stack, `Rule-${name}`, {
      eventBus: defaultBus,
      description: `Branchkeeper: ${name} events to the events queue`,
      eventPattern: cdkEventPattern(pattern),
      // Events EventBridge cannot deliver (after its 24 h of retries) land with the poison messages.
      targets: [new SqsQueue(eventsQueue, { deadLetterQueue })],
    });
  }

  new Rule(stack, "SweepSchedule", {
    description: "Branchkeeper: periodic sweep",
    schedule: Schedule.expression(config.sweepSchedule),
    targets: [new LambdaFunction(sweepFunction, { retryAttempts: 0 })],
  });

  const api = new Api(stack, "StatusApi", {
    cors: false,
    defaults: { authorizer: "iam" },
    routes: Object.fromEntries(API_ROUTE_KEYS.map((routeKey) => [routeKey, { function: apiFunction }])),
  });

  createOperationalAlarms(stack, {
    deadLetterQueue,
    functions: { Events: eventsFunction, Sweep: sweepFunction, Api: apiFunction },
  });

  new CfnOutput(stack, "ApiUrl", { value: api.url });
  new CfnOutput(stack, "TableName", { value: table.tableName });
  new CfnOutput(stack, "DeadLetterQueueUrl", { value: deadLetterQueue.queueUrl });
  if (notifyBus !== undefined) new CfnOutput(stack, "NotifyBusName", { value: notifyBus.eventBusName });
}
