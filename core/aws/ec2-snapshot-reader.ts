import {
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  type Filter,
  type Instance,
  type NetworkInterface,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeTrunkInterfaceAssociations,
  type SecurityGroup,
  type SecurityGroupRule,
  type TrunkInterfaceAssociation,
} from "@aws-sdk/client-ec2";
import { BRANCH_ENI_DESCRIPTION, TAGS, TRUNK_ENI_DESCRIPTION } from "../model/tags.ts";
import { EC2_FILTER_VALUES_MAX } from "./chunks.ts";
import { type KeyedRead, type PageCounter, readChunked, readPages, uncounted } from "./page-reads.ts";
import { AwsCallError, isNotFound } from "./sdk-errors.ts";

/** Largest page each EC2 Describe action accepts. */
const PAGE = { networkInterfaces: 1000, instances: 1000, securityGroups: 1000, rules: 1000, associations: 255 };

/** One Describe filter: any of `values` for `name`. */
export const filter = (name: string, values: readonly string[]): Filter => ({ Name: name, Values: [...values] });

/** The server-side filter of every ENI Branchkeeper owns the reading of: VPC resource controller ENIs. */
export const ownedEniFilters = (descriptions: readonly string[] = [BRANCH_ENI_DESCRIPTION, TRUNK_ENI_DESCRIPTION]) => [
  filter(`tag:${TAGS.eniOwner}`, [TAGS.eniOwnerVpcResourceController]),
  filter("description", descriptions),
];

/**
 * EC2 Describe calls, each paginated at the largest page size and filtered server-side. Never throws:
 * every method returns what it read and the error that stopped it. Filters are used instead of id
 * parameters because a missing id in an id list fails the whole call, while a filter just omits it.
 */
export class Ec2SnapshotReader {
  public constructor(private readonly ec2: EC2Client) {}

  /** Network interfaces matching `filters` (AND across names, OR within values), all pages. */
  public networkInterfaces(filters: readonly Filter[], counter: PageCounter = uncounted, countsAsEnis = false) {
    return readPages<{ NetworkInterfaces?: NetworkInterface[] }, NetworkInterface>(
      "DescribeNetworkInterfaces",
      () =>
        paginateDescribeNetworkInterfaces(
          { client: this.ec2, pageSize: PAGE.networkInterfaces },
          { Filters: [...filters] },
        ),
      (page) => page.NetworkInterfaces,
      counter,
      countsAsEnis ? 1 : 0,
    );
  }

  /** Network interfaces by id (filter `network-interface-id`, chunks of 200); absent ids are simply missing. */
  public networkInterfacesById(ids: readonly string[], counter: PageCounter = uncounted) {
    return this.networkInterfacesWith("network-interface-id", ids, [], counter);
  }

  /**
   * Network interfaces matching `filters` and any of `values` for the filter `name` (chunks of 200
   * values: EC2's limit per filter), all pages of each chunk.
   */
  public networkInterfacesWith(
    name: string,
    values: readonly string[],
    filters: readonly Filter[] = [],
    counter: PageCounter = uncounted,
    countsAsEnis = false,
  ): Promise<KeyedRead<NetworkInterface>> {
    return readChunked(values, EC2_FILTER_VALUES_MAX, (chunk) =>
      this.networkInterfaces([...filters, filter(name, chunk)], counter, countsAsEnis),
    );
  }

  /** ENIs owning these private IPv4 addresses (primary or secondary) in one VPC, chunks of 200 addresses. */
  public networkInterfacesByPrivateIp(vpcId: string, ips: readonly string[], counter: PageCounter = uncounted) {
    return this.networkInterfacesWith("addresses.private-ip-address", ips, [filter("vpc-id", [vpcId])], counter);
  }

  /** The primary ENIs (device index 0) of these instances: instance-mode targets, chunks of 200. */
  public primaryNetworkInterfaces(instanceIds: readonly string[], counter: PageCounter = uncounted) {
    return this.networkInterfacesWith(
      "attachment.instance-id",
      instanceIds,
      [filter("attachment.device-index", ["0"])],
      counter,
    );
  }

  /**
   * One ENI by id, for the pre-delete recheck: undefined when EC2 answers `…NotFound`; any other
   * failure throws an `AwsCallError` (the recheck must not proceed on a guess).
   */
  public async networkInterface(id: string): Promise<NetworkInterface | undefined> {
    try {
      const answer = await this.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }));
      return answer.NetworkInterfaces?.find((eni) => eni.NetworkInterfaceId === id);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new AwsCallError("DescribeNetworkInterfaces", error);
    }
  }

  /**
   * Instances by id (filter `instance-id`, chunks of 200, every state): an id EC2 no longer knows is
   * missing from the answer instead of failing the call.
   */
  public instances(ids: readonly string[], counter: PageCounter = uncounted): Promise<KeyedRead<Instance>> {
    return readChunked(ids, EC2_FILTER_VALUES_MAX, (chunk) =>
      readPages<{ Reservations?: { Instances?: Instance[] }[] }, Instance>(
        "DescribeInstances",
        () =>
          paginateDescribeInstances(
            { client: this.ec2, pageSize: PAGE.instances },
            { Filters: [filter("instance-id", chunk)] },
          ),
        (page) => (page.Reservations ?? []).flatMap((r) => r.Instances ?? []),
        counter,
      ),
    );
  }

  /** Security groups matching `filters`, all pages. */
  public securityGroups(filters: readonly Filter[], counter: PageCounter = uncounted) {
    return readPages<{ SecurityGroups?: SecurityGroup[] }, SecurityGroup>(
      "DescribeSecurityGroups",
      () =>
        paginateDescribeSecurityGroups({ client: this.ec2, pageSize: PAGE.securityGroups }, { Filters: [...filters] }),
      (page) => page.SecurityGroups,
      counter,
    );
  }

  /**
   * Security groups by id, with the fewest calls: one `group-id` call per 200 ids; when more than 200
   * are needed, pages of the VPCs' groups (1000 each) are read instead until the ids still missing fit
   * one `group-id` call. An id EC2 does not know is missing from the answer.
   */
  public async securityGroupsById(
    ids: readonly string[],
    vpcIds: readonly string[],
    counter: PageCounter = uncounted,
  ): Promise<KeyedRead<SecurityGroup>> {
    const wanted = new Set(ids);
    if (wanted.size <= EC2_FILTER_VALUES_MAX || vpcIds.length === 0)
      return this.securityGroupsByIdFilter([...wanted], counter);
    const found: SecurityGroup[] = [];
    const missing = new Set(wanted);
    try {
      const pages = paginateDescribeSecurityGroups(
        { client: this.ec2, pageSize: PAGE.securityGroups },
        { Filters: [filter("vpc-id", vpcIds)] },
      );
      for await (const page of pages) {
        counter.page();
        for (const group of page.SecurityGroups ?? []) {
          if (group.GroupId !== undefined && missing.delete(group.GroupId)) found.push(group);
        }
        if (missing.size <= EC2_FILTER_VALUES_MAX) break;
      }
    } catch (error) {
      return { items: found, failedKeys: missing, error: new AwsCallError("DescribeSecurityGroups", error) };
    }
    if (missing.size === 0) return { items: found, failedKeys: new Set() };
    const rest = await this.securityGroupsByIdFilter([...missing], counter);
    return { ...rest, items: [...found, ...rest.items] };
  }

  private securityGroupsByIdFilter(ids: readonly string[], counter: PageCounter) {
    return readChunked(ids, EC2_FILTER_VALUES_MAX, (chunk) =>
      this.securityGroups([filter("group-id", chunk)], counter),
    );
  }

  /** Security groups with an ingress rule whose source is one of `sourceGroupIds` (chunks of 200). */
  public securityGroupsReferencing(sourceGroupIds: readonly string[], counter: PageCounter = uncounted) {
    return readChunked(sourceGroupIds, EC2_FILTER_VALUES_MAX, (chunk) =>
      this.securityGroups([filter("ip-permission.group-id", chunk)], counter),
    );
  }

  /** Every rule (ingress and egress) of these groups, with rule ids (chunks of 200 groups, pages of 1000 rules). */
  public securityGroupRules(groupIds: readonly string[], counter: PageCounter = uncounted) {
    return readChunked(groupIds, EC2_FILTER_VALUES_MAX, (chunk) =>
      readPages<{ SecurityGroupRules?: SecurityGroupRule[] }, SecurityGroupRule>(
        "DescribeSecurityGroupRules",
        () =>
          paginateDescribeSecurityGroupRules(
            { client: this.ec2, pageSize: PAGE.rules },
            { Filters: [filter("group-id", chunk)] },
          ),
        (page) => page.SecurityGroupRules,
        counter,
      ),
    );
  }

  /**
   * Live trunk associations of these trunks (filter `trunk-interface-association.trunk-interface-id`,
   * the one the VPC resource controller itself uses) or, with `by: "branch"`, of these branch ENIs
   * (`trunk-interface-association.branch-interface-id`, inferred from the trunk filter's naming: used
   * only when a branch names no trunk). Never a listing of all associations: its pages hold at most 255.
   */
  public trunkAssociations(
    ids: readonly string[],
    counter: PageCounter = uncounted,
    by: "trunk" | "branch" = "trunk",
  ): Promise<KeyedRead<TrunkInterfaceAssociation>> {
    const name = `trunk-interface-association.${by}-interface-id`;
    return readChunked(ids, EC2_FILTER_VALUES_MAX, (chunk) =>
      readPages<{ InterfaceAssociations?: TrunkInterfaceAssociation[] }, TrunkInterfaceAssociation>(
        "DescribeTrunkInterfaceAssociations",
        () =>
          paginateDescribeTrunkInterfaceAssociations(
            { client: this.ec2, pageSize: PAGE.associations },
            { Filters: [filter(name, chunk)] },
          ),
        (page) => page.InterfaceAssociations,
        counter,
      ),
    );
  }
}
