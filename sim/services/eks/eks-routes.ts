/** One EKS REST operation: HTTP method and path template, as the SDK's model binds them. */
interface EksRoute {
  readonly action: string;
  readonly method: string;
  readonly segments: readonly string[];
}

const route = (action: string, method: string, template: string): EksRoute => ({
  action,
  method,
  segments: template.split("/").filter(Boolean),
});

const ROUTES: readonly EksRoute[] = [
  route("CreateCluster", "POST", "/clusters"),
  route("ListClusters", "GET", "/clusters"),
  route("DescribeCluster", "GET", "/clusters/{name}"),
  route("DeleteCluster", "DELETE", "/clusters/{name}"),
  route("CreateNodegroup", "POST", "/clusters/{clusterName}/node-groups"),
  route("ListNodegroups", "GET", "/clusters/{clusterName}/node-groups"),
  route("DescribeNodegroup", "GET", "/clusters/{clusterName}/node-groups/{nodegroupName}"),
  route("DeleteNodegroup", "DELETE", "/clusters/{clusterName}/node-groups/{nodegroupName}"),
];

/** A request matched to its operation, with the path's labels decoded. */
export interface EksRouteMatch {
  readonly action: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The operation a method and path name, or undefined when EKS has none the simulator serves. */
export const matchEksRoute = (method: string, path: string): EksRouteMatch | undefined => {
  const parts = path.split("/").filter(Boolean);
  for (const candidate of ROUTES) {
    if (candidate.method !== method || candidate.segments.length !== parts.length) continue;
    const labels: Record<string, string> = {};
    const matches = candidate.segments.every((segment, i) => {
      const part = parts[i] ?? "";
      if (segment.startsWith("{")) {
        labels[segment.slice(1, -1)] = decodeURIComponent(part);
        return part !== "";
      }
      return segment === part;
    });
    if (matches) return { action: candidate.action, labels };
  }
  return undefined;
};
