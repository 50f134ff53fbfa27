import { noParametersSchema } from "../parameters.ts";
import { defineRoute } from "../status-route.ts";
import { type ClusterView, clusterView } from "../status-views.ts";

/** `GET /v1/clusters`: every swept cluster with its state counts, by name (a handful: not paginated). */
export const clustersRoute = defineRoute({
  key: "GET /v1/clusters",
  path: noParametersSchema,
  query: noParametersSchema,
  read: async (_path, _query, { store }): Promise<{ clusters: ClusterView[] }> => ({
    clusters: (await store.listClusters()).map(clusterView),
  }),
});
