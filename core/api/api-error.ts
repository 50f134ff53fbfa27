/**
 * The error codes of the status API's `{"error":{"code","message"}}` answers, by HTTP status. Codes are
 * part of the contract (DESIGN.md "Status API"): clients branch on them, so add codes, never rename.
 */
export const API_ERROR_CODES = {
  /** The event is not an HTTP API request (no path or method). */
  InvalidRequest: 400,
  /** A path with `.`/`..` segments or broken percent-encoding. */
  InvalidPath: 400,
  /** A path or query parameter failed validation, or the query names a parameter the route lacks. */
  InvalidParameter: 400,
  /** A cursor this API did not issue for this very listing (tampered, or from another route, cluster or filter). */
  InvalidCursor: 400,
  /** No route has this path. */
  NotFound: 404,
  /** The cluster has neither a sweep summary nor any ENI record. */
  ClusterNotFound: 404,
  /** Branchkeeper never recorded this ENI. */
  EniNotFound: 404,
  /** The path exists, the method does not (only reachable without API Gateway, which answers 404 itself). */
  MethodNotAllowed: 405,
  /** Unexpected; the details are only in the logs. */
  InternalError: 500,
  /** The state table failed in a way that may pass (throttling, 5xx, network): try again shortly. */
  ServiceUnavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/**
 * A request the status API refuses, with the status and code it answers. The message is shown to the
 * caller, so it names what was wrong with the request and never internals.
 */
export class ApiError extends Error {
  public readonly code: ApiErrorCode;
  public readonly statusCode: number;
  /** Extra response headers (`allow` for 405). */
  public readonly headers: Readonly<Record<string, string>>;

  public constructor(
    code: ApiErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.statusCode = API_ERROR_CODES[code];
    this.headers = options.headers ?? {};
  }
}

/** A caller-supplied value as it may appear in a message: quoted, escaped, and cut short. */
export const quoted = (value: string, max = 64): string =>
  JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
