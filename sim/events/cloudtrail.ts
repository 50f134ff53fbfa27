import type { SimIdentity } from "../control/identities.ts";

/** What a service tells the trail about one API call. */
export interface TrailRecord {
  readonly eventSource: string;
  readonly eventName: string;
  readonly caller: SimIdentity;
  readonly requestParameters: unknown;
  readonly responseElements: unknown;
  readonly requestId: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/**
 * The `detail` of an `AWS API Call via CloudTrail` event, in CloudTrail's record shape
 * (eventVersion 1.09). Read-only calls never reach EventBridge, so services record mutations only.
 */
export const cloudTrailDetail = (
  record: TrailRecord,
  at: Date,
  eventId: string,
  region: string,
): Record<string, unknown> => ({
  eventVersion: "1.09",
  userIdentity: {
    type: "AssumedRole",
    principalId: record.caller.principalId,
    arn: record.caller.arn,
    accountId: record.caller.accountId,
    accessKeyId: record.caller.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: record.caller.principalId.split(":")[0],
        arn: record.caller.roleArn,
        accountId: record.caller.accountId,
        userName: record.caller.roleArn.split("/").pop(),
      },
      attributes: { creationDate: at.toISOString(), mfaAuthenticated: "false" },
    },
  },
  eventTime: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
  eventSource: record.eventSource,
  eventName: record.eventName,
  awsRegion: region,
  sourceIPAddress: "127.0.0.1",
  userAgent: "branchkeeper-sim",
  ...(record.errorCode ? { errorCode: record.errorCode, errorMessage: record.errorMessage } : {}),
  requestParameters: record.requestParameters ?? null,
  responseElements: record.responseElements ?? null,
  requestID: record.requestId,
  eventID: eventId,
  readOnly: false,
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: record.caller.accountId,
  eventCategory: "Management",
});
