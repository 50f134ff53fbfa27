import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client, type EC2ClientConfig } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";

/** Every SDK client Branchkeeper uses, created once at the composition root and injected everywhere else. */
export interface AwsClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly eks: EKSClient;
  readonly events: EventBridgeClient;
  readonly sts: STSClient;
  readonly dynamodb: DynamoDBClient;
  /** Follow-ups on the events queue. */
  readonly sqs: SQSClient;
}

export interface AwsClientOptions {
  /** Defaults to the SDK's own resolution (`AWS_REGION`, profile, …). */
  readonly region?: string;
  /**
   * Attempts per call under the SDK's standard retry strategy (exponential backoff with jitter,
   * throttling and 5xx retried). Default 5: EC2's shared buckets throttle in bursts, and a page
   * that still fails makes its snapshot part incomplete, so a few more tries are worth it.
   */
  readonly maxAttempts?: number;
}

/**
 * Create the SDK clients. The endpoint comes from the SDK's own configuration (`AWS_ENDPOINT_URL`,
 * also per service), so the same code talks to AWS or to the simulator without knowing which.
 */
export const createAwsClients = (options: AwsClientOptions = {}): AwsClients =>
  awsClientsWith({
    retryMode: "standard",
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.region !== undefined ? { region: options.region } : {}),
  });

/** What every client of one caller shares: where it calls, as whom, and how it retries. */
export type SharedClientSettings = Pick<
  EC2ClientConfig,
  "endpoint" | "region" | "credentials" | "retryMode" | "maxAttempts"
>;

/** Every client from one set of settings (the CLI and the tests set the endpoint and credentials). */
export const awsClientsWith = (settings: SharedClientSettings): AwsClients => ({
  ec2: new EC2Client(settings),
  elbv2: new ElasticLoadBalancingV2Client(settings),
  eks: new EKSClient(settings),
  events: new EventBridgeClient(settings),
  sts: new STSClient(settings),
  dynamodb: new DynamoDBClient(settings),
  sqs: new SQSClient(settings),
});
