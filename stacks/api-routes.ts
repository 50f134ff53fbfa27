import { STATUS_ROUTES, type StatusRouteKey } from "../core/api/route-table.ts";

/**
 * The status API's route keys, taken from the routes `functions/api.ts` serves, so the stack creates
 * exactly those (each with IAM authorization) and the two cannot drift apart.
 */
export const API_ROUTE_KEYS: readonly StatusRouteKey[] = STATUS_ROUTES.map((route) => route.key);
