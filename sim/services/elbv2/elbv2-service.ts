import { QueryService } from "../query-service.ts";

/** PLACEHOLDER until the service is built: answers InvalidAction for everything. */
export const elbv2Service = new QueryService({
  name: "elbv2",
  protocol: "awsQuery",
  xmlns: "placeholder",
  eventSource: "elasticloadbalancing.amazonaws.com",
  eventBridgeSource: "aws.elbv2",
  actions: {},
  throttleCode: "Throttling",
  throttleStatus: 400,
  internalErrorCode: "InternalFailure",
  denyCode: "AccessDenied",
});
