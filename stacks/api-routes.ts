/**
 * The status API's routes (DESIGN.md "Status API"), as API Gateway HTTP API route keys. The stack
 * creates exactly these, each with IAM authorization; `functions/api.ts` can dispatch on `routeKey`.
 */
export const API_ROUTE_KEYS = [
  "GET /v1/health",
  "GET /v1/clusters",
  "GET /v1/clusters/{cluster}/enis",
  "GET /v1/enis/{eniId}",
  "GET /v1/clusters/{cluster}/findings",
  "GET /v1/actions",
] as const;

/** One route key of the status API. */
export type ApiRouteKey = (typeof API_ROUTE_KEYS)[number];
