import type { IncomingHttpHeaders } from "node:http";
import type { SimIdentity } from "../control/identities.ts";
import type { SimError } from "../protocol/sim-error.ts";
import type { SimWorld } from "../world.ts";

/** One HTTP request, body already read, with the caller resolved from its signature. */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly caller: SimIdentity;
  readonly requestId: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The action a request names, and whether it is filtered or paginated (EC2's bucket choice). */
export interface RoutedCall {
  readonly action: string;
  readonly filteredOrPaged: boolean;
}

/**
 * One AWS service of the simulator, speaking that service's wire protocol. The server routes a
 * request to it, applies faults using `route`, then calls `handle`; errors thrown as `SimError`
 * are rendered with `renderError` in the service's own error format.
 */
export interface SimService {
  /** Prefix of stats and fault keys: `ec2`, `elbv2`, `eks`, `events`, `sts`, `dynamodb`. */
  readonly name: string;
  route(request: SimRequest): RoutedCall;
  handle(request: SimRequest, call: RoutedCall, world: SimWorld): SimResponse;
  renderError(error: SimError, requestId: string): SimResponse;
  /** The service's throttling answer (`RequestLimitExceeded` 503 for EC2, …). */
  throttleError(): SimError;
  /** The service's internal error (`InternalError` 500 for EC2, …). */
  internalError(code?: string, status?: number): SimError;
  /** The service's authorization failure (`UnauthorizedOperation` 403 for EC2, …). */
  denyError(action: string, caller: SimIdentity): SimError;
}
