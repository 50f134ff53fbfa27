/**
 * How Branchkeeper reads an error from an AWS SDK v3 call: its code, and whether trying again later
 * can help (`retryable`: throttling, 5xx, network) or not (`terminal`: validation, authorization,
 * dependency, not found).
 */
export type ErrorKind =
  | "throttling"
  | "server"
  | "network"
  | "not-found"
  | "duplicate"
  | "validation"
  | "auth"
  | "dependency"
  | "unknown";

export interface ClassifiedError {
  readonly code: string;
  readonly message: string;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly httpStatus?: number;
}

const THROTTLING_CODES = new Set([
  "RequestLimitExceeded",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  "BandwidthLimitExceeded",
  "ProvisionedThroughputExceededException",
]);

const AUTH_CODES = new Set([
  "UnauthorizedOperation",
  "AccessDenied",
  "AccessDeniedException",
  "AuthFailure",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "OptInRequired",
  "Blocked",
]);

const DEPENDENCY_CODES = new Set([
  "DependencyViolation",
  "InvalidNetworkInterface.InUse",
  "ResourceInUse",
  "ResourceInUseException",
  "IncorrectState",
  "IncorrectInstanceState",
]);

/** Node and SDK errors that mean the request or its answer was lost on the way. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "NetworkingError",
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const asShape = (error: unknown): SdkErrorShape =>
  typeof error === "object" && error !== null ? (error as SdkErrorShape) : {};

/** The AWS error code of an SDK error (`InvalidNetworkInterfaceID.NotFound`, …), else its name. */
export const errorCode = (error: unknown): string => {
  const shape = asShape(error);
  for (const candidate of [shape.Code, shape.name, shape.code]) {
    if (typeof candidate === "string" && candidate !== "" && candidate !== "Error") return candidate;
  }
  return "UnknownError";
};

const isNotFoundCode = (code: string): boolean =>
  code.endsWith(".NotFound") || /NotFound(Exception)?$/.test(code) || code === "ResourceNotFoundException";

/** Classify any thrown value; never throws. */
export const classifyError = (error: unknown): ClassifiedError => {
  const shape = asShape(error);
  const code = errorCode(error);
  const message =
    typeof shape.message === "string" && shape.message !== "" ? shape.message : String(error ?? "unknown error");
  const status = shape.$metadata?.httpStatusCode;
  const httpStatus = typeof status === "number" ? status : undefined;
  const base = { code, message, ...(httpStatus !== undefined ? { httpStatus } : {}) };
  const errno = typeof shape.code === "string" ? shape.code : undefined;

  if (THROTTLING_CODES.has(code) || httpStatus === 429) return { ...base, kind: "throttling", retryable: true };
  if (NETWORK_CODES.has(code) || (errno !== undefined && NETWORK_CODES.has(errno))) {
    return { ...base, kind: "network", retryable: true };
  }
  if (AUTH_CODES.has(code)) return { ...base, kind: "auth", retryable: false };
  if (isNotFoundCode(code)) return { ...base, kind: "not-found", retryable: false };
  if (code.endsWith(".Duplicate") || code === "DuplicateTagKeys")
    return { ...base, kind: "duplicate", retryable: false };
  if (DEPENDENCY_CODES.has(code)) return { ...base, kind: "dependency", retryable: false };
  if (shape.$fault === "server" || (httpStatus !== undefined && httpStatus >= 500)) {
    return { ...base, kind: "server", retryable: true };
  }
  if (shape.$fault === "client" || (httpStatus !== undefined && httpStatus >= 400)) {
    return { ...base, kind: "validation", retryable: false };
  }
  return { ...base, kind: "unknown", retryable: false };
};

/** A failed AWS call, classified; the SDK's error is kept as `cause`. */
export class AwsCallError extends Error {
  public readonly operation: string;
  public readonly code: string;
  public readonly kind: ErrorKind;
  public readonly retryable: boolean;

  public constructor(operation: string, cause: unknown) {
    const classified = classifyError(cause);
    super(`${operation} failed: ${classified.code}: ${classified.message}`, { cause });
    this.name = "AwsCallError";
    this.operation = operation;
    this.code = classified.code;
    this.kind = classified.kind;
    this.retryable = classified.retryable;
  }

  /** `code: message (retryable|terminal)`, as snapshots and audit records show it. */
  public get summary(): string {
    return `${this.message} (${this.retryable ? "retryable" : "terminal"})`;
  }
}

/** True when the error says the thing asked about does not exist. */
export const isNotFound = (error: unknown): boolean => classifyError(error).kind === "not-found";
