import { z } from "zod";
import { BRANCH_ENI_STATES } from "../model/branch-eni-state.ts";
import { ACTION_KINDS } from "../model/planned-action.ts";
import { MAX_PAGE_LIMIT, type PageRequest } from "../ports/state-store.ts";

/**
 * The status API's path and query parameters, as zod schemas over the strings HTTP delivers. Ids are
 * checked against their AWS patterns here, before any read, so odd input is refused with 400 and
 * never reaches the state table.
 */

/** Page size when the request names none. */
const DEFAULT_PAGE_LIMIT = 100;

/** EKS's rule for cluster names: 1 to 100 characters, a letter or digit, then letters, digits, `-` and `_`. */
export const clusterNameSchema = z.string().regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, {
  error: "must be an EKS cluster name: 1 to 100 letters, digits, - or _, starting with a letter or digit",
});

/** `eni-` and lowercase hex digits (8 or 17 in EC2; up to 32 taken). */
export const eniIdSchema = z.string().regex(/^eni-[0-9a-f]{1,32}$/, {
  error: "must be an ENI id: eni- followed by lowercase hexadecimal digits",
});

/** An absent or empty query value (`?state=`) means the parameter is not set. */
const optionalQuery = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const LIMIT_RULE = `must be an integer from 1 to ${MAX_PAGE_LIMIT}`;

/** Decimal digits only: `1e2`, `0x10`, ` 5` and `-1` are refused rather than coerced. */
const limitSchema = z
  .string()
  .regex(/^[0-9]+$/, { error: LIMIT_RULE })
  .transform(Number)
  .pipe(z.number().min(1, { error: LIMIT_RULE }).max(MAX_PAGE_LIMIT, { error: LIMIT_RULE }));

const pageFields = {
  limit: optionalQuery(limitSchema),
  /** Opaque; the store refuses any cursor it did not issue for the same listing. */
  cursor: optionalQuery(z.string()),
};

/** Query of listings without filters. */
export const pageQuerySchema = z.strictObject(pageFields);

/** Query of `GET /v1/clusters/{cluster}/enis`. */
export const eniListQuerySchema = z.strictObject({
  state: optionalQuery(z.enum(BRANCH_ENI_STATES, { error: `must be one of ${BRANCH_ENI_STATES.join(", ")}` })),
  ...pageFields,
});

/** Query of `GET /v1/actions`. */
export const actionListQuerySchema = z.strictObject({
  cluster: optionalQuery(clusterNameSchema),
  kind: optionalQuery(z.enum(ACTION_KINDS, { error: `must be one of ${ACTION_KINDS.join(", ")}` })),
  ...pageFields,
});

/** No parameters at all (routes without path parameters or query). */
export const noParametersSchema = z.strictObject({});

/** The store's page request for validated page fields. */
export const pageRequestOf = (query: { readonly limit?: number; readonly cursor?: string }): PageRequest => ({
  limit: query.limit ?? DEFAULT_PAGE_LIMIT,
  ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
});
