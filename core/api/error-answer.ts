import { InvalidCursorError, InvalidLimitError, StateStoreError } from "../ports/state-store.ts";
import { ApiError, type ApiErrorCode } from "./api-error.ts";
import { type JsonResponse, jsonResponse } from "./json-response.ts";

/** How loudly an outcome is logged: refused requests are routine, server failures are not. */
export type Severity = "info" | "warn" | "error";

/** The HTTP answer to a failed request, and how to log it. */
export interface ErrorAnswer {
  readonly code: ApiErrorCode;
  /** What the caller is told. */
  readonly message: string;
  readonly severity: Severity;
  readonly response: JsonResponse;
}

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_SECONDS = 1;

const answer = (error: ApiError, severity: Severity): ErrorAnswer => ({
  code: error.code,
  message: error.message,
  severity,
  response: jsonResponse(error.statusCode, { error: { code: error.code, message: error.message } }, error.headers),
});

/**
 * The answer to any error a request ended with. Refusals keep their message (it is about the request);
 * store failures that may pass become 503 `ServiceUnavailable`; anything else is 500 `InternalError`
 * with a generic message, its details left to the logs.
 */
export const errorAnswer = (error: unknown): ErrorAnswer => {
  if (error instanceof ApiError) return answer(error, "info");
  if (error instanceof InvalidCursorError) {
    return answer(new ApiError("InvalidCursor", error.message, { cause: error }), "info");
  }
  if (error instanceof InvalidLimitError) {
    return answer(new ApiError("InvalidParameter", error.message, { cause: error }), "info");
  }
  if (error instanceof StateStoreError && error.retryable) {
    const unavailable = new ApiError(
      "ServiceUnavailable",
      "the state table is not available right now; try again shortly",
      {
        cause: error,
        headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
      },
    );
    return answer(unavailable, "warn");
  }
  return answer(
    new ApiError("InternalError", "internal error; the details are in the service's logs", { cause: error }),
    "error",
  );
};
