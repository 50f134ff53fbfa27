import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { DEFAULT_REGION } from "../../sim/index.ts";

/** Client configuration for the simulator: endpoint, region and a static access key (the caller's identity). */
export const simClientConfig = (endpoint: string, accessKeyId = "AKIDTESTS", maxAttempts = 1) => ({
  endpoint,
  region: DEFAULT_REGION,
  credentials: { accessKeyId, secretAccessKey: "secret" },
  maxAttempts,
});

/** Real SDK v3 clients of every simulated service, pointed at one simulator. */
export const simClients = (endpoint: string, accessKeyId?: string, maxAttempts?: number) => {
  const config = simClientConfig(endpoint, accessKeyId, maxAttempts);
  return {
    ec2: new EC2Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    eks: new EKSClient(config),
    events: new EventBridgeClient(config),
    dynamodb: new DynamoDBClient(config),
    sqs: new SQSClient(config),
    sts: new STSClient(config),
  };
};

/** Read the simulator's control API (`/_sim/...`). */
export const simControl = async <T = unknown>(endpoint: string, path: string, init?: RequestInit): Promise<T> => {
  const response = await fetch(`${endpoint}${path}`, init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

export const setFaults = (endpoint: string, faults: unknown) =>
  simControl(endpoint, "/_sim/faults", { method: "POST", body: JSON.stringify(faults) });
