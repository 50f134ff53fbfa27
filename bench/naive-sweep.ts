/**
 * The baseline Branchkeeper is measured against: the sweep a team would write by hand. It pages
 * DescribeNetworkInterfaces with no filter, then for every branch ENI asks again for that ENI alone
 * and, when the ENI names its node, for the instance; it deletes every branch ENI that is
 * `available` on the spot (no grace, no state, no pacing beyond the SDK's retries).
 *
 * Its EC2 calls: ceil(all ENIs / 1000) pages, then per branch ENI one DescribeNetworkInterfaces and (when
 * it names its node) one DescribeInstances, plus one delete per available branch ENI: about 2 per branch
 * ENI, which is how `sweep-cost.ts` estimates it where it is not run.
 */
import {
  DeleteNetworkInterfaceCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";

/** The tag the VPC resource controller puts on branch ENIs naming their node. */
const NODE_INSTANCE_ID_TAG = "node.k8s.amazonaws.com/instance_id";

/** What the hand-written sweep saw and did. */
export interface NaiveSweepResult {
  readonly enisListed: number;
  readonly branchEnis: number;
  readonly deleted: number;
  readonly failedDeletes: number;
}

const listAll = async (ec2: EC2Client): Promise<NetworkInterface[]> => {
  const all: NetworkInterface[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 1000, NextToken: token }));
    all.push(...(page.NetworkInterfaces ?? []));
    token = page.NextToken;
  } while (token);
  return all;
};

/** One pass of the hand-written sweep over the whole account. */
export const naiveSweep = async (ec2: EC2Client): Promise<NaiveSweepResult> => {
  const listed = await listAll(ec2);
  const branches = listed.filter((eni) => eni.InterfaceType === "branch");
  let deleted = 0;
  let failedDeletes = 0;
  for (const branch of branches) {
    const id = branch.NetworkInterfaceId;
    if (!id) continue;
    const fresh = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }));
    const eni = fresh.NetworkInterfaces?.[0];
    const instanceId = eni?.TagSet?.find((tag) => tag.Key === NODE_INSTANCE_ID_TAG)?.Value;
    if (instanceId) await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    if (eni?.Status !== "available") continue;
    try {
      await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
      deleted += 1;
    } catch {
      failedDeletes += 1;
    }
  }
  return { enisListed: listed.length, branchEnis: branches.length, deleted, failedDeletes };
};
