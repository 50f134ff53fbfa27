import { type CursorBinding, decodeCursor, encodeCursor } from "../aws/state-cursor.ts";
import { compareText } from "../decide/ordering.ts";
import type { Page, PageRequest } from "../ports/state-store.ts";
import { InvalidLimitError, MAX_PAGE_LIMIT } from "../ports/state-store-errors.ts";

/** An item of a listing with the key it is ordered by. */
export interface Keyed<T> {
  readonly sortKey: string;
  readonly value: T;
}

/** One listing: what binds its cursors, and its order. */
export interface Listing {
  /** Route and filters, e.g. `["enis", "alpha", "leaked"]`: a cursor only works for the very same query. */
  readonly scope: readonly (string | null)[];
  /** Descending key order (newest first for time-ordered keys). */
  readonly descending?: boolean;
}

const bindingOf = (listing: Listing): CursorBinding => ({ scope: listing.scope, attributes: ["sk"], equals: {} });

/**
 * One page of a listing, with the DynamoDB store's cursor format and rules: the cursor is the key of
 * the last item returned, bound to the query (a cursor of another route, cluster or filter, or one
 * altered by hand, is refused), present only when another item really follows. Items written or
 * removed between pages behave as in DynamoDB: the next page starts after the last key returned.
 */
export const pageOf = <T>(
  operation: string,
  listing: Listing,
  entries: Iterable<Keyed<T>>,
  request: PageRequest,
): Page<T> => {
  const { limit } = request;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw new InvalidLimitError(operation, limit);
  const binding = bindingOf(listing);
  const after = request.cursor === undefined ? undefined : decodeCursor(operation, binding, request.cursor).sk;
  const direction = listing.descending === true ? -1 : 1;
  const ordered = [...entries]
    .filter((entry) => after === undefined || compareText(entry.sortKey, after) * direction > 0)
    .sort((a, b) => compareText(a.sortKey, b.sortKey) * direction);
  if (ordered.length <= limit) return { items: ordered.map((entry) => entry.value) };
  const page = ordered.slice(0, limit);
  const last = page[page.length - 1];
  const items = page.map((entry) => entry.value);
  return last === undefined ? { items } : { items, cursor: encodeCursor(binding, { sk: last.sortKey }) };
};

/** Every item in key order: for sweeps and small fixed sets, never for API listings. */
export const allOf = <T>(entries: Iterable<Keyed<T>>): T[] =>
  [...entries].sort((a, b) => compareText(a.sortKey, b.sortKey)).map((entry) => entry.value);
