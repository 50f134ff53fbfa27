import type { Context } from "aws-lambda";
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from "../../sim/index.ts";

/** Time a local invocation reports as left: Powertools idempotency reads it to expire in-progress records. */
const REMAINING_MS = 60_000;

/**
 * The Lambda context of one local invocation, with a fresh request id (Powertools logs it as the
 * correlation of every line the invocation writes).
 */
export const localLambdaContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:function:${functionName}`,
  memoryLimitInMB: "512",
  awsRequestId: crypto.randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: "local",
  getRemainingTimeInMillis: () => REMAINING_MS,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
