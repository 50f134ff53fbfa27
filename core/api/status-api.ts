import { ApiError } from "./api-error.ts";
import { readHttpRequest } from "./http-request.ts";
import { matchRoute, type StatusRouteKey } from "./route-table.ts";
import type { StatusRead } from "./status-route.ts";

/**
 * The read answering an HTTP API event: read the request, find its route, validate its parameters.
 * Everything about the request is checked here, before anything is read.
 * @throws ApiError for any request the API refuses (400, 404, 405)
 */
export const prepareStatusRead = (event: unknown): StatusRead => {
  const request = readHttpRequest(event);
  const { route, pathParameters } = matchRoute(request);
  return route.prepare({ path: pathParameters, query: request.query });
};

/** Requests that match no route, as metrics and logs name them (raw paths would be unbounded dimensions). */
const UNMATCHED_ROUTE = "unmatched";

/** The route key an event matches, or {@link UNMATCHED_ROUTE}: the label of per-route metrics and logs. */
export const routeLabelOf = (event: unknown): StatusRouteKey | typeof UNMATCHED_ROUTE => {
  try {
    return matchRoute(readHttpRequest(event)).route.key;
  } catch (error) {
    if (error instanceof ApiError) return UNMATCHED_ROUTE;
    throw error;
  }
};
