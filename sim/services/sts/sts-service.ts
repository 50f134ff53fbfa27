import { QueryService } from "../query-service.ts";

/** PLACEHOLDER until the service is built: answers InvalidAction for everything. */
export const stsService = new QueryService({
  name: "sts",
  protocol: "awsQuery",
  xmlns: "placeholder",
  eventSource: "sts.amazonaws.com",
  eventBridgeSource: "aws.sts",
  actions: {},
  throttleCode: "Throttling",
  throttleStatus: 400,
  internalErrorCode: "InternalFailure",
  denyCode: "AccessDenied",
});
