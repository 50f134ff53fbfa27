import {
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type TagDescription,
  type TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ObservedTarget } from "../model/observed.ts";
import { type KeyedRead, type PageCounter, type PartialRead, readChunked, readPages, uncounted } from "./page-reads.ts";
import { AwsCallError, isNotFound } from "./sdk-errors.ts";
import { toObservedTarget } from "./to-observed.ts";

/** ELBv2 limits: DescribeTags takes at most 20 ARNs; Describe pages hold at most 400. */
export const ELBV2_TAGS_ARNS_MAX = 20;
const PAGE_SIZE = 400;

/** The targets of one target group, or why they are unknown. `gone`: the group no longer exists. */
export type TargetsRead =
  | { readonly kind: "read"; readonly targets: ObservedTarget[] }
  | { readonly kind: "gone" }
  | { readonly kind: "failed"; readonly error: AwsCallError };

/** ELBv2 Describe calls. Never throws: each method returns what it read and what stopped it. */
export class Elbv2TargetReader {
  public constructor(private readonly elbv2: ElasticLoadBalancingV2Client) {}

  /** Every target group of the account and region (ELBv2 offers no tag filter), pages of 400. */
  public targetGroups(counter: PageCounter = uncounted): Promise<PartialRead<TargetGroup>> {
    return readPages(
      "DescribeTargetGroups",
      () => paginateDescribeTargetGroups({ client: this.elbv2, pageSize: PAGE_SIZE }, {}),
      (page) => page.TargetGroups,
      counter,
    );
  }

  /** Every load balancer of the account and region, pages of 400 (fewer calls than ARN lists of 20). */
  public loadBalancers(counter: PageCounter = uncounted): Promise<PartialRead<LoadBalancer>> {
    return readPages(
      "DescribeLoadBalancers",
      () => paginateDescribeLoadBalancers({ client: this.elbv2, pageSize: PAGE_SIZE }, {}),
      (page) => page.LoadBalancers,
      counter,
    );
  }

  /** Tags of any ELBv2 resources (target groups and load balancers mixed), 20 ARNs per call. */
  public tags(arns: readonly string[], counter: PageCounter = uncounted): Promise<KeyedRead<TagDescription>> {
    return readChunked(arns, ELBV2_TAGS_ARNS_MAX, async (chunk) => {
      try {
        const answer = await this.elbv2.send(new DescribeTagsCommand({ ResourceArns: chunk }));
        counter.page();
        return { items: answer.TagDescriptions ?? [] };
      } catch (error) {
        return { items: [], error: new AwsCallError("DescribeTags", error) };
      }
    });
  }

  /** The registered targets of one group (any health state: a draining target still has its rule). */
  public async targets(targetGroupArn: string, counter: PageCounter = uncounted): Promise<TargetsRead> {
    try {
      const answer = await this.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
      counter.page();
      const targets = (answer.TargetHealthDescriptions ?? [])
        .map(toObservedTarget)
        .filter((t): t is ObservedTarget => t !== undefined);
      return { kind: "read", targets };
    } catch (error) {
      if (isNotFound(error)) return { kind: "gone" };
      return { kind: "failed", error: new AwsCallError("DescribeTargetHealth", error) };
    }
  }
}
