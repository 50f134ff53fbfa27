import { QueryService } from "../query-service.ts";

/** PLACEHOLDER until the service is built: answers InvalidAction for everything. */
export const eventBridgeService = new QueryService({
  name: "eventbridge",
  protocol: "awsQuery",
  xmlns: "placeholder",
  eventSource: "events.amazonaws.com",
  eventBridgeSource: "aws.eventbridge",
  actions: {},
  throttleCode: "Throttling",
  throttleStatus: 400,
  internalErrorCode: "InternalFailure",
  denyCode: "AccessDenied",
});
