import { Logger } from "@aws-lambda-powertools/logger";
import { search } from "@aws-lambda-powertools/logger/correlationId";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { StatusSources } from "../../core/api/status-route.ts";
import { DynamoDbStateStore } from "../../core/aws/dynamodb-state-store.ts";
import { loadConfig } from "../../core/config.ts";

/**
 * The status API's composition root. Only what the API needs: the configuration, one DynamoDB client
 * (no EC2/ELBv2/EKS clients to load: a read-only function should start cold fast), the store, and
 * Powertools' logger, metrics and tracer.
 */

/** Service name of the API's logs, metrics and traces. */
const API_SERVICE_NAME = "branchkeeper-api";
/** CloudWatch namespace of Branchkeeper's metrics. */
const METRICS_NAMESPACE = "Branchkeeper";

/**
 * Socket timeouts of the DynamoDB client. The function times out after 10 s: a hung connection must
 * fail (and be retried by the SDK, then answered 503) well before that, not end in API Gateway's 503
 * with nothing logged.
 */
const DYNAMODB_TIMEOUTS_MS = { connectionTimeout: 1_000, requestTimeout: 2_000 } as const;

/**
 * Powertools utilities, created when the module loads because middy wires them around the handler.
 * Each reads its own `POWERTOOLS_*` settings; the tracer switches itself off outside Lambda (or with
 * `POWERTOOLS_TRACE_ENABLED=false`), so local runs need no X-Ray daemon.
 */
export const apiObservability = {
  logger: new Logger({ serviceName: API_SERVICE_NAME, correlationIdSearchFn: search }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: API_SERVICE_NAME }),
  tracer: new Tracer({ serviceName: API_SERVICE_NAME }),
} as const;

/**
 * Configuration, client and store from an environment (`TABLE_NAME`, `MODE`; the SDK reads
 * `AWS_REGION`, `AWS_ENDPOINT_URL` and `AWS_MAX_ATTEMPTS` itself).
 * @throws ConfigError when the environment is invalid
 */
const createApiSources = (env: Readonly<Record<string, string | undefined>>): StatusSources => {
  const config = loadConfig(env);
  const client = apiObservability.tracer.captureAWSv3Client(
    new DynamoDBClient({ requestHandler: DYNAMODB_TIMEOUTS_MS }),
  );
  return { store: new DynamoDbStateStore({ client, tableName: config.tableName }), mode: config.mode };
};

let sources: StatusSources | undefined;

/**
 * The sources of the process environment, created on the first request and kept for the life of the
 * execution environment. Created lazily: a bad configuration is then a logged 500 with its cause,
 * retried on the next request, rather than an init failure that API Gateway answers without a body.
 */
export const apiSources = (): StatusSources => {
  sources ??= createApiSources(process.env);
  return sources;
};
