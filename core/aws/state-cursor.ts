import { createHash } from "node:crypto";
import { InvalidCursorError } from "../ports/state-store-errors.ts";

/**
 * Opaque pagination cursors: a DynamoDB start key, base64url-encoded, bound to the query that issued it.
 *
 * The binding is a digest over the query's scope (route and every filter) and the key, so a cursor
 * edited by hand or taken from another route, cluster or filter is refused instead of silently
 * positioning a listing somewhere else. The digest is not a secret MAC: someone who recomputes it can
 * forge a cursor, so decoding also checks that the key lies inside the query's own key range. The
 * worst a forged cursor can then do is skip ahead in a listing the caller may read anyway.
 */

/** A start key as the document client takes it: every key attribute of the table and the index read. */
export type StartKey = Record<string, string>;

/** What a cursor's key must look like for one query. */
export interface CursorBinding {
  /** Route and filters of the query, e.g. `["enis", "alpha", "leaked"]`. */
  readonly scope: readonly (string | null)[];
  /** Exactly these attributes, all strings. */
  readonly attributes: readonly string[];
  /** Attributes that must hold exactly these values (the partition being read). */
  readonly equals: Readonly<Record<string, string>>;
  /** An attribute that must start with a prefix (the sort key range being read). */
  readonly prefix?: { readonly attribute: string; readonly value: string };
}

/** Cursors beyond this length were not issued by the store (keys are at most 2 KB + 1 KB). */
const MAX_CURSOR_LENGTH = 8192;
const FORMAT_VERSION = "v1";

const bindingDigest = (scope: readonly (string | null)[], payload: string): string =>
  createHash("sha256")
    .update(JSON.stringify([FORMAT_VERSION, scope, payload]))
    .digest("base64url")
    .slice(0, 22);

export const encodeCursor = (binding: CursorBinding, key: StartKey): string => {
  const payload = JSON.stringify(binding.attributes.map((attribute) => key[attribute]));
  return `${Buffer.from(payload, "utf8").toString("base64url")}.${bindingDigest(binding.scope, payload)}`;
};

/** The start key of a cursor issued for exactly this query, or `InvalidCursorError`. */
export const decodeCursor = (operation: string, binding: CursorBinding, cursor: string): StartKey => {
  const refuse = (reason: string, cause?: unknown) => new InvalidCursorError(operation, reason, cause);
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw refuse("wrong length");
  const [encoded, digest, ...rest] = cursor.split(".");
  if (encoded === undefined || digest === undefined || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(encoded)) {
    throw refuse("not a cursor of this API");
  }
  const payload = Buffer.from(encoded, "base64url").toString("utf8");
  if (digest !== bindingDigest(binding.scope, payload)) {
    throw refuse("it was not issued for this query (other route, cluster or filter) or was altered");
  }
  let values: unknown;
  try {
    values = JSON.parse(payload);
  } catch (error) {
    throw refuse("its payload is not JSON", error);
  }
  if (
    !Array.isArray(values) ||
    values.length !== binding.attributes.length ||
    !values.every((value) => typeof value === "string")
  ) {
    throw refuse("its key does not have this query's attributes");
  }
  const key: StartKey = Object.fromEntries(binding.attributes.map((attribute, i) => [attribute, String(values[i])]));
  for (const [attribute, expected] of Object.entries(binding.equals)) {
    if (key[attribute] !== expected) throw refuse(`its key lies outside this query (${attribute})`);
  }
  if (binding.prefix && !key[binding.prefix.attribute]?.startsWith(binding.prefix.value)) {
    throw refuse(`its key lies outside this query (${binding.prefix.attribute})`);
  }
  return key;
};
