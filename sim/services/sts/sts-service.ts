import { QueryService } from "../query-service.ts";

/**
 * AWS STS on the awsQuery protocol: `GetCallerIdentity` only, answered from the identity the
 * request's access key id resolves to. Every other action is `InvalidAction`, as STS answers it.
 */
export const stsService = new QueryService({
  name: "sts",
  protocol: "awsQuery",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  eventSource: "sts.amazonaws.com",
  eventBridgeSource: "aws.sts",
  actions: {
    GetCallerIdentity: {
      mutating: false,
      run: ({ caller }) => ({
        result: { UserId: caller.principalId, Account: caller.accountId, Arn: caller.arn },
      }),
    },
  },
  throttleCode: "Throttling",
  throttleStatus: 400,
  internalErrorCode: "InternalFailure",
  denyCode: "AccessDenied",
});
