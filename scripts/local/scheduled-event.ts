import type { ScheduledEvent } from "aws-lambda";
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from "../../sim/index.ts";

/** The event the sweep schedule's EventBridge rule sends the sweep function. */
export const scheduledEvent = (now: Date = new Date()): ScheduledEvent => ({
  version: "0",
  id: crypto.randomUUID(),
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: DEFAULT_ACCOUNT_ID,
  time: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
  region: DEFAULT_REGION,
  resources: [`arn:aws:events:${DEFAULT_REGION}:${DEFAULT_ACCOUNT_ID}:rule/branchkeeper-sweep`],
  detail: {},
});
