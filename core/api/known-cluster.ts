import { ApiError, quoted } from "./api-error.ts";
import type { StatusStore } from "./status-route.ts";

/**
 * Make sure a cluster exists as far as Branchkeeper knows: it has a sweep summary, or at least one ENI
 * record (event-driven passes record ENIs before the first sweep summarizes the cluster). Called only
 * when a listing came back empty, so pages with items cost no extra read.
 * @throws ApiError `ClusterNotFound`
 */
export const requireKnownCluster = async (
  store: Pick<StatusStore, "getCluster" | "listEniItems">,
  cluster: string,
): Promise<void> => {
  const [summary, anyEni] = await Promise.all([store.getCluster(cluster), store.listEniItems(cluster, { limit: 1 })]);
  if (summary === undefined && anyEni.items.length === 0) {
    throw new ApiError(
      "ClusterNotFound",
      `cluster ${quoted(cluster)} is unknown: no sweep summarized it and no branch ENI of it was recorded`,
    );
  }
};
