import type { QueryParams } from "../../protocol/query-params.ts";
import { invalidParameterValue } from "../../protocol/sim-error.ts";
import type { IndexedCollection, Stored } from "./indexed-collection.ts";

/** One `Filter.N` of a Describe request: its values are OR-ed; filters are AND-ed. */
export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** What a filter name reads from a resource, and the index that answers exact values. */
export interface FilterField<T> {
  values(item: T): string | readonly string[] | undefined;
  /** Index of the resource's collection keyed by exactly these values. */
  readonly index?: string;
}

/** The filters a Describe action understands, plus the tag filters every taggable resource has. */
export interface FilterSchema<T> {
  readonly fields: Readonly<Record<string, FilterField<T>>>;
  /** Tags of the resource, for `tag:<key>`, `tag-key` and `tag-value`. */
  readonly tags?: (item: T) => ReadonlyMap<string, string>;
}

/** Collection indexes every tagged resource kind maintains, used by the tag filters. */
export const TAG_KEY_INDEX = "tagKey";
export const TAG_PAIR_INDEX = "tagPair";

/** The index key of one tag in the `tagPair` index. */
export const tagPairKey = (key: string, value: string): string => `${key}\u0000${value}`;

/** Indexers to add to a collection of tagged resources. */
export const tagIndexers = <T extends { readonly tags: ReadonlyMap<string, string> }>() => ({
  [TAG_KEY_INDEX]: (item: T) => item.tags.keys(),
  [TAG_PAIR_INDEX]: (item: T) => [...item.tags].map(([key, value]) => tagPairKey(key, value)),
});

/** Read `Filter.N.Name` / `Filter.N.Value.M`. */
export const parseFilters = (params: QueryParams): Filter[] =>
  params.structList("Filter").map((filter) => ({ name: filter.get("Name") ?? "", values: filter.list("Value") }));

const hasWildcard = (value: string): boolean => /[*?\\]/.test(value);

const patternCache = new Map<string, RegExp>();

/**
 * EC2's filter wildcards: `*` matches any run of characters, `?` exactly one, and a backslash
 * escapes the next character. Matching is case-sensitive and anchored.
 */
export const wildcardPattern = (value: string): RegExp => {
  const cached = patternCache.get(value);
  if (cached) return cached;
  let source = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === "\\" && i + 1 < value.length) {
      i += 1;
      source += escapeRegExp(value[i] as string);
    } else if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else source += escapeRegExp(c);
  }
  const pattern = new RegExp(`^${source}$`, "s");
  if (patternCache.size > 10_000) patternCache.clear();
  patternCache.set(value, pattern);
  return pattern;
};

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

type Matcher = (candidate: string) => boolean;

const matcherFor = (values: readonly string[]): Matcher => {
  if (!values.some(hasWildcard)) {
    const exact = new Set(values);
    return (candidate) => exact.has(candidate);
  }
  const patterns = values.map(wildcardPattern);
  return (candidate) => patterns.some((pattern) => pattern.test(candidate));
};

const anyMatch = (found: string | readonly string[] | undefined, matches: Matcher): boolean => {
  if (found === undefined) return false;
  if (typeof found === "string") return matches(found);
  return found.some(matches);
};

/** A compiled filter: the test, and (for exact values on an indexed field) the index keys. */
interface CompiledFilter<T> {
  readonly test: (item: T) => boolean;
  readonly index?: { readonly name: string; readonly keys: readonly string[] };
}

const compileOne = <T>(schema: FilterSchema<T>, filter: Filter): CompiledFilter<T> => {
  const matches = matcherFor(filter.values);
  const exact = !filter.values.some(hasWildcard);
  const { tags } = schema;
  if (tags && filter.name.startsWith("tag:")) {
    const key = filter.name.slice(4);
    return {
      test: (item) => anyMatch(tags(item).get(key), matches),
      ...(exact ? { index: { name: TAG_PAIR_INDEX, keys: filter.values.map((v) => tagPairKey(key, v)) } } : {}),
    };
  }
  if (tags && filter.name === "tag-key") {
    return {
      test: (item) => anyMatch([...tags(item).keys()], matches),
      ...(exact ? { index: { name: TAG_KEY_INDEX, keys: filter.values } } : {}),
    };
  }
  if (tags && filter.name === "tag-value") {
    return { test: (item) => anyMatch([...tags(item).values()], matches) };
  }
  const field = Object.hasOwn(schema.fields, filter.name) ? schema.fields[filter.name] : undefined;
  if (!field) throw invalidParameterValue(`The filter '${filter.name || "null"}' is invalid`);
  return {
    test: (item) => anyMatch(field.values(item), matches),
    ...(exact && field.index ? { index: { name: field.index, keys: filter.values } } : {}),
  };
};

/** Filters ready to run against one collection. */
export interface CompiledQuery<T> {
  /** True when the resource passes every filter (AND of filters, OR of each filter's values). */
  readonly matches: (item: T) => boolean;
  /**
   * The smallest id set an index proves to contain every match, or undefined when no filter is
   * answerable by an index (then every resource is a candidate).
   */
  candidates(collection: IndexedCollection<T & Stored>): ReadonlySet<string> | undefined;
}

/** Validate and compile a Describe's filters; unknown names fail as EC2 does (`InvalidParameterValue`). */
export const compileFilters = <T>(schema: FilterSchema<T>, filters: readonly Filter[]): CompiledQuery<T> => {
  const compiled = filters.map((filter) => compileOne(schema, filter));
  const tests = compiled.map((c) => c.test);
  return {
    matches: (item) => tests.every((test) => test(item)),
    candidates: (collection) => {
      let best: { name: string; keys: readonly string[]; size: number } | undefined;
      for (const { index } of compiled) {
        if (!index || !collection.hasIndex(index.name)) continue;
        const size = index.keys.reduce((sum, key) => sum + collection.lookup(index.name, key).size, 0);
        if (!best || size < best.size) best = { ...index, size };
      }
      if (!best) return undefined;
      if (best.keys.length === 1) return collection.lookup(best.name, best.keys[0] as string);
      const union = new Set<string>();
      for (const key of best.keys) for (const id of collection.lookup(best.name, key)) union.add(id);
      return union;
    },
  };
};
