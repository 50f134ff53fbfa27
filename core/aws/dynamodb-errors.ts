import { StateStoreError } from "../ports/state-store-errors.ts";
import { classifyError } from "./sdk-errors.ts";

/**
 * DynamoDB failures as the state store reports them. Classification is the shared one of
 * `sdk-errors.ts` (throttling, 5xx and network retryable; validation, auth, not-found terminal). The
 * SDK has already spent its own retries when an error reaches us, so "retryable" means worth another
 * attempt later (the next SQS delivery, the next sweep), not in a loop now.
 */

/** True for a refused conditional write, which callers treat as an outcome, not a failure. */
export const isConditionalCheckFailure = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "name" in error && error.name === "ConditionalCheckFailedException";

/** Wrap a failed DynamoDB call; a `StateStoreError` raised below passes through unchanged. */
export const toStateStoreError = (operation: string, error: unknown): StateStoreError => {
  if (error instanceof StateStoreError) return error;
  const classified = classifyError(error);
  return new StateStoreError(
    `${operation} failed: ${classified.code}: ${classified.message} (${classified.retryable ? "retryable" : "terminal"})`,
    { operation, retryable: classified.retryable, cause: error },
  );
};
