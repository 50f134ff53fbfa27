import { QueryService } from "../query-service.ts";

/** PLACEHOLDER until the service is built: answers InvalidAction for everything. */
export const ec2Service = new QueryService({
  name: "ec2",
  protocol: "ec2Query",
  xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
  eventSource: "ec2.amazonaws.com",
  eventBridgeSource: "aws.ec2",
  actions: {},
  throttleCode: "RequestLimitExceeded",
  throttleStatus: 503,
  internalErrorCode: "InternalError",
  denyCode: "UnauthorizedOperation",
});
