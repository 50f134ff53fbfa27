import { DescribeClusterCommand, type EKSClient, paginateListClusters } from "@aws-sdk/client-eks";
import type { ClusterInfo } from "../model/observed.ts";
import { type PageCounter, type PartialRead, readPages, uncounted } from "./page-reads.ts";
import { AwsCallError, isNotFound } from "./sdk-errors.ts";
import { toClusterInfo } from "./to-observed.ts";

/** A cluster as EKS described it, and the error when EKS could not be asked. */
export interface ClusterLookup {
  readonly info: ClusterInfo;
  readonly error?: AwsCallError;
}

/**
 * EKS as a directory of clusters. "EKS could not be asked" is never "deleted": only a
 * `ResourceNotFoundException` from DescribeCluster makes a cluster `deleted`.
 */
export class EksClusterDirectory {
  public constructor(private readonly eks: EKSClient) {}

  /** Names of every cluster EKS knows in this region (ListClusters, pages of 100). */
  public clusterNames(counter: PageCounter = uncounted): Promise<PartialRead<string>> {
    return readPages(
      "ListClusters",
      () => paginateListClusters({ client: this.eks, pageSize: 100 }, {}),
      (page) => page.clusters,
      counter,
    );
  }

  /** One cluster: `active` while EKS knows it (any EKS status), `deleted` on ResourceNotFound, else `unknown`. */
  public async describe(name: string, counter: PageCounter = uncounted): Promise<ClusterLookup> {
    try {
      const answer = await this.eks.send(new DescribeClusterCommand({ name }));
      counter.page();
      if (!answer.cluster) return { info: { name, status: "unknown" } };
      return { info: toClusterInfo(name, answer.cluster) };
    } catch (error) {
      if (isNotFound(error)) return { info: { name, status: "deleted" } };
      return { info: { name, status: "unknown" }, error: new AwsCallError("DescribeCluster", error) };
    }
  }
}
