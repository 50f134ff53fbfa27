import { z } from "zod";

/**
 * The status API's answers (DESIGN.md "Status API"), as far as the tables need them. Validation is
 * lenient about what it does not show (extra fields pass, optional ones may be absent or null), so
 * the CLI keeps working while the API grows.
 */

const optionalText = z.string().nullish();

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

/** API Gateway's own refusals (IAM authorization, throttling) carry only a message. */
export const gatewayError = z.object({ message: z.string() });

export const healthBody = z.object({
  ok: z.boolean(),
  mode: z.string(),
  lastSweepAt: optionalText,
});

export const clustersBody = z.object({
  clusters: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      vpcId: optionalText,
      counts: z.record(z.string(), z.number()),
      lastSweepAt: optionalText,
    }),
  ),
});

const eniItem = z.object({
  eniId: z.string(),
  state: z.string(),
  trunkEniId: optionalText,
  vlanId: z.number().nullish(),
  instanceId: optionalText,
  securityGroupIds: z.array(z.string()).nullish(),
  firstSeenAt: optionalText,
  lastSeenAt: optionalText,
  reason: optionalText,
});

export type EniItem = z.infer<typeof eniItem>;

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), cursor: optionalText });

export const enisPage = page(eniItem);

const findingItem = z.object({ kind: z.string(), resourceId: z.string(), detail: z.string(), action: optionalText });

export type FindingItem = z.infer<typeof findingItem>;

/** Findings come as a page (`items`); a plain `findings` list is taken as one last page. */
export const findingsPage = z.union([
  page(findingItem),
  z.object({ findings: z.array(findingItem) }).transform((body) => ({ items: body.findings, cursor: undefined })),
]);

export const eniBody = z.object({
  eni: eniItem.extend({ cluster: z.string() }),
  history: z.array(
    z.object({ at: z.string(), from: optionalText, to: z.string(), reason: z.string(), cause: optionalText }),
  ),
});

export type EniBody = z.infer<typeof eniBody>;

const actionItem = z.object({
  at: z.string(),
  kind: z.string(),
  cluster: z.string(),
  target: z.string(),
  mode: z.string(),
  outcome: z.string(),
  reason: z.string(),
  detail: optionalText,
});

export type ActionItem = z.infer<typeof actionItem>;

export const actionsPage = page(actionItem);
