import { QueryService } from "../query-service.ts";

/** PLACEHOLDER until the service is built: answers InvalidAction for everything. */
export const eksService = new QueryService({
  name: "eks",
  protocol: "awsQuery",
  xmlns: "placeholder",
  eventSource: "eks.amazonaws.com",
  eventBridgeSource: "aws.eks",
  actions: {},
  throttleCode: "Throttling",
  throttleStatus: 400,
  internalErrorCode: "InternalFailure",
  denyCode: "AccessDenied",
});
