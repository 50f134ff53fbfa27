import type { ObservedEni } from "../model/observed.ts";
import type { Ec2SnapshotReader } from "./ec2-snapshot-reader.ts";
import type { ClusterTargetGroup } from "./load-balancing-view.ts";
import type { ObservationRun } from "./observation-run.ts";
import { toObservedEni } from "./to-observed.ts";

const ipKey = (vpcId: string, ip: string) => `${vpcId} ${ip}`;

/**
 * Find the ENIs behind the run's targets: for `ip` targets the ENI holding the IP in the group's VPC
 * (looked up first among ENIs already read, so pod branch ENIs cost nothing), for `instance` targets
 * the node's primary ENI (device index 0). Calls: DescribeNetworkInterfaces with
 * `addresses.private-ip-address` (200 a call, per VPC) for the IPs still unknown, and with
 * `attachment.instance-id` + `attachment.device-index=0` (200 a call) for instances.
 */
export const readTargetEnis = async (
  run: ObservationRun,
  reader: Ec2SnapshotReader,
  groups: readonly ClusterTargetGroup[],
  known: readonly ObservedEni[],
): Promise<void> => {
  const byIp = new Map<string, ObservedEni>();
  for (const eni of known) for (const ip of eni.privateIps) byIp.set(ipKey(eni.vpcId, ip), eni);

  const ipsToFind = new Map<string, Set<string>>();
  const instanceIds = new Set<string>();
  for (const { group, vpcId } of groups) {
    for (const target of group.targets) {
      if (group.targetType === "instance") instanceIds.add(target.id);
      else if (group.targetType === "ip" && !byIp.has(ipKey(vpcId, target.id))) {
        let ips = ipsToFind.get(vpcId);
        if (!ips) {
          ips = new Set();
          ipsToFind.set(vpcId, ips);
        }
        ips.add(target.id);
      }
    }
  }

  const failedIps = new Set<string>();
  for (const [vpcId, ips] of ipsToFind) {
    const read = await reader.networkInterfacesByPrivateIp(vpcId, [...ips], run);
    for (const raw of read.items) {
      const eni = toObservedEni(raw);
      for (const ip of eni.privateIps) byIp.set(ipKey(eni.vpcId, ip), eni);
    }
    for (const ip of read.failedKeys) failedIps.add(ipKey(vpcId, ip));
    if (read.error) {
      const error = read.error;
      run.fail("target-enis", error, (draft) =>
        groups.some(
          (g) => g.cluster === draft.cluster.name && g.group.targets.some((t) => failedIps.has(ipKey(g.vpcId, t.id))),
        ),
      );
    }
  }

  const primaryByInstance = new Map<string, ObservedEni>();
  const primaries = await reader.primaryNetworkInterfaces([...instanceIds], run);
  for (const raw of primaries.items) {
    const eni = toObservedEni(raw);
    if (eni.attachment?.instanceId !== undefined) primaryByInstance.set(eni.attachment.instanceId, eni);
  }
  if (primaries.error) {
    const error = primaries.error;
    run.fail("target-enis", error, (draft) =>
      groups.some(
        (g) =>
          g.cluster === draft.cluster.name &&
          g.group.targetType === "instance" &&
          g.group.targets.some((t) => primaries.failedKeys.has(t.id)),
      ),
    );
  }

  for (const { cluster, group, vpcId } of groups) {
    const draft = run.draft(cluster);
    if (!draft) continue;
    for (const target of group.targets) {
      const eni =
        group.targetType === "instance"
          ? primaryByInstance.get(target.id)
          : group.targetType === "ip"
            ? byIp.get(ipKey(vpcId, target.id))
            : undefined;
      if (eni) draft.targetEnis.set(eni.eniId, eni);
    }
  }
};
