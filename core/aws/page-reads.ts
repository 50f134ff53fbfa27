import { chunks } from "./chunks.ts";
import { AwsCallError } from "./sdk-errors.ts";

/** Counts Describe pages as they arrive (progress for the CLI). */
export interface PageCounter {
  /** One page answered, carrying `enis` owner-tagged ENIs (0 for other resources). */
  page(enis?: number): void;
}

/** A counter that counts nothing, for reads nobody watches. */
export const uncounted: PageCounter = { page: () => {} };

/** What a read got: everything it could, and the error that stopped it (absent = complete). */
export interface PartialRead<T> {
  readonly items: T[];
  readonly error?: AwsCallError;
}

/**
 * A read split into chunks of keys (ids, IPs, ARNs): the keys of chunks that failed are listed, so
 * exactly the resources that asked for them can be marked incomplete.
 */
export interface KeyedRead<T> {
  readonly items: T[];
  readonly failedKeys: ReadonlySet<string>;
  /** The first error, when some chunk failed. */
  readonly error?: AwsCallError;
}

/**
 * Drain a paginator. A failing page stops the read: what came before is kept, the error returned.
 * The SDK's retry strategy has already retried the page; a page that still fails is final for this pass.
 */
export const readPages = async <P, T>(
  operation: string,
  pages: () => AsyncIterable<P>,
  itemsOf: (page: P) => readonly T[] | undefined,
  counter: PageCounter = uncounted,
  enisPerItem = 0,
): Promise<PartialRead<T>> => {
  const items: T[] = [];
  try {
    for await (const page of pages()) {
      const pageItems = itemsOf(page) ?? [];
      items.push(...pageItems);
      counter.page(enisPerItem * pageItems.length);
    }
    return { items };
  } catch (error) {
    return { items, error: new AwsCallError(operation, error) };
  }
};

/** Run `read` over `keys` in chunks of `size`, one chunk after another (gentle on shared API buckets). */
export const readChunked = async <T>(
  keys: readonly string[],
  size: number,
  read: (chunk: string[]) => Promise<PartialRead<T>>,
): Promise<KeyedRead<T>> => {
  const items: T[] = [];
  const failedKeys = new Set<string>();
  let firstError: AwsCallError | undefined;
  for (const chunk of chunks([...new Set(keys)], size)) {
    const result = await read(chunk);
    items.push(...result.items);
    if (result.error) {
      for (const key of chunk) failedKeys.add(key);
      firstError ??= result.error;
    }
  }
  return { items, failedKeys, ...(firstError ? { error: firstError } : {}) };
};
