import { ApiError, quoted } from "./api-error.ts";
import type { HttpRequest } from "./http-request.ts";
import { pathSegments } from "./request-path.ts";
import { actionsRoute } from "./routes/actions.ts";
import { clusterEnisRoute } from "./routes/cluster-enis.ts";
import { clusterFindingsRoute } from "./routes/cluster-findings.ts";
import { clustersRoute } from "./routes/clusters.ts";
import { eniRoute } from "./routes/eni.ts";
import { healthRoute } from "./routes/health.ts";
import type { StatusRoute } from "./status-route.ts";

/** Every route of the status API; their keys are the route keys the stack gives API Gateway. */
export const STATUS_ROUTES = [
  healthRoute,
  clustersRoute,
  clusterEnisRoute,
  eniRoute,
  clusterFindingsRoute,
  actionsRoute,
] as const;

export type StatusRouteKey = (typeof STATUS_ROUTES)[number]["key"];

/** A route and its path parameters, by the names in its key. */
export interface RouteMatch {
  readonly route: StatusRoute<StatusRouteKey>;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/** A route key split for matching: `GET /v1/enis/{eniId}` → `GET`, `["v1", "enis", "{eniId}"]`. */
const TEMPLATES = STATUS_ROUTES.map((route) => {
  const [method = "", path = ""] = route.key.split(" ");
  return { route, method, segments: path.slice(1).split("/") };
});

const PARAMETER = /^\{(\w+)\}$/;

/** The parameters of a path matching a template, or undefined when it does not match. */
const matchSegments = (
  template: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined => {
  if (template.length !== segments.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [i, part] of template.entries()) {
    const segment = segments[i] ?? "";
    const name = PARAMETER.exec(part)?.[1];
    if (name === undefined ? part !== segment : segment === "") return undefined;
    if (name !== undefined) parameters[name] = segment;
  }
  return parameters;
};

/**
 * The route of a request. API Gateway names it in `routeKey` (with decoded `pathParameters`); any other
 * request (no route key, `$default`, a proxy route, the local runner) is matched on method and raw path.
 * @throws ApiError `InvalidPath` (traversal, broken encoding), `NotFound` (no such path) or
 * `MethodNotAllowed` (the path exists for GET only; API Gateway itself answers 404 before this).
 */
export const matchRoute = (request: HttpRequest): RouteMatch => {
  const named = STATUS_ROUTES.find((route) => route.key === request.routeKey);
  if (named !== undefined) return { route: named, pathParameters: request.pathParameters };

  const segments = pathSegments(request.rawPath);
  let pathExists = false;
  for (const { route, method, segments: template } of TEMPLATES) {
    const pathParameters = matchSegments(template, segments);
    if (pathParameters === undefined) continue;
    if (method === request.method) return { route, pathParameters };
    pathExists = true;
  }
  if (pathExists) {
    throw new ApiError(
      "MethodNotAllowed",
      `${quoted(request.method)} is not allowed here: the status API is GET only`,
      {
        headers: { allow: "GET" },
      },
    );
  }
  throw new ApiError("NotFound", `no route matches ${request.method} ${quoted(request.rawPath, 200)}`);
};
