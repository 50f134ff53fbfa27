/**
 * Errors of the state store port. Every failure of a store call surfaces as a {@link StateStoreError}
 * (or a subclass), always carrying the underlying error as `cause`, so callers decide by `retryable`
 * alone: retry (or let SQS redeliver) when true, fail the request or the batch item when false.
 */
export class StateStoreError extends Error {
  /** True for throttling, 5xx and network failures: the same call may succeed later. */
  public readonly retryable: boolean;
  /** The store method that failed (e.g. `putEni`), for logs. */
  public readonly operation: string;

  public constructor(
    message: string,
    options: { readonly operation: string; readonly retryable: boolean; readonly cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "StateStoreError";
    this.operation = options.operation;
    this.retryable = options.retryable;
  }
}

/**
 * A pagination cursor the store did not issue for this very query: malformed, tampered with, or taken
 * from another route, cluster or filter. Terminal; the status API answers 400.
 */
export class InvalidCursorError extends StateStoreError {
  public constructor(operation: string, reason: string, cause?: unknown) {
    super(`invalid cursor: ${reason}`, { operation, retryable: false, cause: cause ?? new Error(reason) });
    this.name = "InvalidCursorError";
  }
}

/** A page size outside 1..{@link MAX_PAGE_LIMIT}. Terminal; the status API answers 400. */
export class InvalidLimitError extends StateStoreError {
  public constructor(operation: string, limit: number) {
    const reason = `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${limit}`;
    super(`invalid limit: ${reason}`, { operation, retryable: false, cause: new RangeError(reason) });
    this.name = "InvalidLimitError";
  }
}

/** The largest page any listing returns (DESIGN.md: lists are paginated with `limit` ≤ 500). */
export const MAX_PAGE_LIMIT = 500;
