import type { QueryParams } from "../../protocol/query-params.ts";
import { invalidParameterValue, SimError } from "../../protocol/sim-error.ts";
import type { IndexedCollection, Stored } from "./indexed-collection.ts";

/** The `MaxResults` range of one Describe action, and the id list it cannot be combined with. */
export interface PagingRules {
  readonly min: number;
  readonly max: number;
  /** The API name of the id list parameter that excludes MaxResults (EC2's `InvalidParameterCombination`). */
  readonly exclusiveIdsParameter?: string;
}

/** Where a page starts and how long it may be (no limit = everything, as EC2 answers without MaxResults). */
export interface PageCursor {
  readonly afterSeq: number;
  /** For listings of several entries per resource (DescribeTags): the last key returned of `afterSeq`. */
  readonly afterKey?: string;
  readonly limit: number | undefined;
}

interface TokenBody {
  readonly a: string;
  readonly s: number;
  readonly k?: string;
}

/**
 * The opaque `NextToken`: the action it belongs to and the creation sequence of the last resource
 * returned. Pages follow creation order, so resources created or deleted while a client pages
 * never make an unchanged resource repeat or go missing.
 */
export const encodeNextToken = (action: string, lastSeq: number, lastKey?: string): string =>
  Buffer.from(
    JSON.stringify({ a: action, s: lastSeq, ...(lastKey === undefined ? {} : { k: lastKey }) } satisfies TokenBody),
  ).toString("base64url");

const decodeNextToken = (action: string, token: string): TokenBody | undefined => {
  try {
    const body = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<TokenBody>;
    const valid =
      body.a === action &&
      typeof body.s === "number" &&
      Number.isSafeInteger(body.s) &&
      body.s >= 0 &&
      (body.k === undefined || typeof body.k === "string");
    return valid ? { a: action, s: body.s as number, ...(body.k === undefined ? {} : { k: body.k }) } : undefined;
  } catch {
    return undefined;
  }
};

/** Read and validate `MaxResults` and `NextToken` as EC2 does. */
export const readPaging = (params: QueryParams, action: string, rules: PagingRules, idsGiven: boolean): PageCursor => {
  const maxResults = params.int("MaxResults");
  if (maxResults !== undefined) {
    if (idsGiven && rules.exclusiveIdsParameter) {
      throw new SimError(
        "InvalidParameterCombination",
        `The parameter ${rules.exclusiveIdsParameter} cannot be used with the parameter MaxResults`,
      );
    }
    if (maxResults < rules.min || maxResults > rules.max) {
      throw invalidParameterValue(
        `Value ( ${maxResults} ) for parameter maxResults is invalid. Parameter must be between ${rules.min} and ${rules.max}.`,
      );
    }
  }
  const token = params.get("NextToken");
  if (token === undefined || token === "") return { afterSeq: 0, limit: maxResults };
  const decoded = decodeNextToken(action, token);
  if (decoded === undefined) {
    throw invalidParameterValue(`Value ( ${token} ) for parameter NextToken is invalid. The token is invalid.`);
  }
  return { afterSeq: decoded.s, ...(decoded.k === undefined ? {} : { afterKey: decoded.k }), limit: maxResults };
};

/** One page to cut: where it starts, which resources match, and which are candidates at all. */
export interface PageQuery<T> {
  readonly cursor: PageCursor;
  readonly matches: (item: T) => boolean;
  /** Ids known to contain every match (an index lookup or explicit ids); undefined = all. */
  readonly candidates: ReadonlySet<string> | undefined;
}

/** A page of resources, and where the next one starts when there is one. */
export interface Page<T> {
  readonly items: T[];
  /** Sequence of the last item when more matches follow. */
  readonly lastSeq: number | undefined;
}

/** Candidate sets at most this fraction of the collection are sorted; larger ones are scanned in order. */
const SORT_FRACTION = 1 / 8;

/**
 * One page of matches in creation order. Small candidate sets are sorted directly; large ones
 * are met while walking the collection from the cursor, so a page of 1,000 out of 100,000 costs
 * about 1,000 steps, not 100,000.
 */
export const selectPage = <T extends Stored>(collection: IndexedCollection<T>, query: PageQuery<T>): Page<T> => {
  const { cursor, matches, candidates } = query;
  const limit = cursor.limit ?? Number.POSITIVE_INFINITY;
  const items: T[] = [];
  let more = false;
  if (candidates && candidates.size <= collection.size * SORT_FRACTION) {
    const found: T[] = [];
    for (const id of candidates) {
      const item = collection.get(id);
      if (item && item.seq > cursor.afterSeq && matches(item)) found.push(item);
    }
    found.sort((a, b) => a.seq - b.seq);
    more = found.length > limit;
    items.push(...(more ? found.slice(0, limit) : found));
  } else {
    for (const item of collection.scan(cursor.afterSeq)) {
      if (candidates && !candidates.has(item.id)) continue;
      if (!matches(item)) continue;
      if (items.length >= limit) {
        more = true;
        break;
      }
      items.push(item);
    }
  }
  return { items, lastSeq: more ? items[items.length - 1]?.seq : undefined };
};
