import { z } from "zod";
import { requireKnownCluster } from "../known-cluster.ts";
import { clusterNameSchema, pageQuerySchema, pageRequestOf } from "../parameters.ts";
import { defineRoute } from "../status-route.ts";
import { type FindingView, findingView, type ListView, listView } from "../status-views.ts";

/** `GET /v1/clusters/{cluster}/findings?limit=&cursor=`: a page of cluster-tag and backend-rule findings, by kind then resource. */
export const clusterFindingsRoute = defineRoute({
  key: "GET /v1/clusters/{cluster}/findings",
  path: z.strictObject({ cluster: clusterNameSchema }),
  query: pageQuerySchema,
  read: async ({ cluster }, page, { store }): Promise<ListView<FindingView>> => {
    const listing = await store.listFindings(cluster, pageRequestOf(page));
    if (listing.items.length === 0) await requireKnownCluster(store, cluster);
    return listView(listing, findingView);
  },
});
