import { z } from "zod";

/**
 * The parts of a CloudTrail record (the `detail` of an `AWS API Call via CloudTrail` event) that
 * Branchkeeper reads. Everything else is passed through untouched.
 */
export const cloudTrailDetailSchema = z.looseObject({
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  eventID: z.string().optional(),
  eventTime: z.string().optional(),
  userIdentity: z
    .looseObject({
      type: z.string().optional(),
      arn: z.string().optional(),
      sessionContext: z
        .looseObject({
          sessionIssuer: z.looseObject({ arn: z.string().optional(), userName: z.string().optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  responseElements: z.record(z.string(), z.unknown()).nullish(),
  errorCode: z.string().optional(),
});

export type CloudTrailDetail = z.infer<typeof cloudTrailDetailSchema>;
