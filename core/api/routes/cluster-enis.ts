import { z } from "zod";
import { requireKnownCluster } from "../known-cluster.ts";
import { clusterNameSchema, eniListQuerySchema, pageRequestOf } from "../parameters.ts";
import { defineRoute } from "../status-route.ts";
import { type EniView, eniView, type ListView, listView } from "../status-views.ts";

/** `GET /v1/clusters/{cluster}/enis?state=&limit=&cursor=`: a page of a cluster's ENIs, by state then id. */
export const clusterEnisRoute = defineRoute({
  key: "GET /v1/clusters/{cluster}/enis",
  path: z.strictObject({ cluster: clusterNameSchema }),
  query: eniListQuerySchema,
  read: async ({ cluster }, { state, ...page }, { store }): Promise<ListView<EniView>> => {
    const listing = await store.listEniItems(cluster, {
      ...pageRequestOf(page),
      ...(state === undefined ? {} : { state }),
    });
    if (listing.items.length === 0) await requireKnownCluster(store, cluster);
    return listView(listing, eniView);
  },
});
