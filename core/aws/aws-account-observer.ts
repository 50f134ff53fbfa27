import type { EC2Client, NetworkInterface, SecurityGroup } from "@aws-sdk/client-ec2";
import type { EKSClient } from "@aws-sdk/client-eks";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ClusterSnapshot, SnapshotScope } from "../model/cluster-snapshot.ts";
import type { ClusterInfo, ObservedEni } from "../model/observed.ts";
import { BRANCH_ENI_DESCRIPTION, LBC_RULE_DESCRIPTION, TAGS, TRUNK_ENI_DESCRIPTION } from "../model/tags.ts";
import type { AccountObserver, BranchEniRecheck, ObserveOptions } from "../ports/account-observer.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import { mapWithLimit } from "../support/map-with-limit.ts";
import { Ec2SnapshotReader, filter, ownedEniFilters } from "./ec2-snapshot-reader.ts";
import { EksClusterDirectory } from "./eks-cluster-directory.ts";
import { Elbv2TargetReader } from "./elbv2-target-reader.ts";
import { readLoadBalancing } from "./load-balancing-view.ts";
import { ObservationRun } from "./observation-run.ts";
import { clusterNamesOf, isBranchEni, isTrunkEni, partitionOwnedEnis } from "./owned-enis.ts";
import { type KeyedRead, type PartialRead, uncounted } from "./page-reads.ts";
import {
  applyBackendSecurityGroups,
  BACKEND_SG_RESOURCE,
  backendSecurityGroupFilters,
  readSecurityGroups,
} from "./security-group-view.ts";
import type { SnapshotDraft } from "./snapshot-draft.ts";
import { readTargetEnis } from "./target-eni-view.ts";
import { tagsOf, toObservedEni, toObservedInstance, toTrunkAssociation } from "./to-observed.ts";

export interface AwsAccountObserverClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly eks: EKSClient;
}

export interface AwsAccountObserverOptions {
  readonly clock?: Clock;
  /**
   * How long the owned-ENI inventory read by `discoverClusters("*")` may serve the next full
   * `observe` (once), so a sweep reads its ENIs once and not twice. Default 60 s; 0 disables reuse.
   */
  readonly inventoryReuseMs?: number;
}

/** The account-wide reads a sweep starts from: every owned branch/trunk ENI and every backend SG. */
interface Inventory {
  readonly at: number;
  readonly enis: PartialRead<NetworkInterface>;
  readonly backendGroups: PartialRead<SecurityGroup>;
}

/** DescribeCluster is one call per cluster: a few in flight. */
const DESCRIBE_CLUSTER_CONCURRENCY = 4;

/**
 * The `AccountObserver` on EC2, ELBv2 and EKS.
 *
 * A full observation reads all clusters at once: one paginated DescribeNetworkInterfaces (owner tag
 * and branch/trunk descriptions, 1000 a page) is the lower bound ceil(ENIs/1000); everything else is
 * a small number of calls that depends on what those ENIs reference (see `observeFull`). Trunk
 * associations are not listed in a sweep (their pages hold 255): trunk and VLAN come from the branch
 * tags, trunk existence from the trunk ENIs read in the same pages; `associations` is marked not read.
 *
 * Scoped observations read what one event touches. Their parts are complete only for what the
 * scope covers: ENIs found are present; absence is authoritative only for ids in `lookedUp`
 * (see `isEniConfirmedAbsent`), and parts the scope does not read are in `incomplete` as "not read".
 */
export class AwsAccountObserver implements AccountObserver {
  private readonly ec2: Ec2SnapshotReader;
  private readonly elbv2: Elbv2TargetReader;
  private readonly eks: EksClusterDirectory;
  private readonly clock: Clock;
  private readonly inventoryReuseMs: number;
  private inventory: Inventory | undefined;

  public constructor(clients: AwsAccountObserverClients, options: AwsAccountObserverOptions = {}) {
    this.ec2 = new Ec2SnapshotReader(clients.ec2);
    this.elbv2 = new Elbv2TargetReader(clients.elbv2);
    this.eks = new EksClusterDirectory(clients.eks);
    this.clock = options.clock ?? systemClock;
    this.inventoryReuseMs = options.inventoryReuseMs ?? 60_000;
  }

  public async discoverClusters(
    configured: readonly string[] | "*",
    options: ObserveOptions = {},
  ): Promise<ClusterInfo[]> {
    // A run without clusters: it only counts pages for the progress callback.
    const progress = new ObservationRun([], { kind: "full" }, options);
    const describe = async (names: readonly string[]) =>
      mapWithLimit(names, DESCRIBE_CLUSTER_CONCURRENCY, async (name) => {
        const lookup = await this.eks.describe(name, progress);
        if (lookup.error) options.onError?.(lookup.error);
        return lookup.info;
      });
    if (configured !== "*") return describe([...new Set(configured)]);

    const [listed, inventory] = await Promise.all([
      this.eks.clusterNames(progress),
      this.readInventory(undefined, progress),
    ]);
    for (const error of [listed.error, inventory.enis.error, inventory.backendGroups.error]) {
      if (error) options.onError?.(error);
    }
    const evidence = clusterEvidence(inventory);
    const names = [...new Set([...listed.items, ...evidence.keys()])].sort();
    const infos = await describe(names);
    if (!inventory.enis.error && !inventory.backendGroups.error) this.inventory = inventory;
    return infos.map((info) => {
      const vpcs = evidence.get(info.name);
      // A deleted cluster's VPC is known only from what it left behind.
      if (info.vpcId === undefined && vpcs?.size === 1) return { ...info, vpcId: [...vpcs][0] as string };
      return info;
    });
  }

  public async observe(
    clusters: readonly ClusterInfo[],
    scope: SnapshotScope,
    options: ObserveOptions = {},
  ): Promise<ClusterSnapshot[]> {
    const run = new ObservationRun(clusters, scope, options);
    // The discovery's inventory serves only the observation right after it: any later one reads afresh.
    const inventory = this.takeInventory();
    let observedAt = this.clock.now();
    switch (scope.kind) {
      case "full":
        observedAt = await this.observeFull(run, clusters, inventory);
        break;
      case "eni":
        await this.observeEnis(run, scope.ids);
        break;
      case "instance":
        await this.observeInstances(run, scope.ids);
        break;
      case "security-group":
        await this.observeSecurityGroups(run, scope.ids);
        break;
      case "target-group":
      case "load-balancing":
        await this.observeLoadBalancing(run, new Map(), []);
        run.notRead(["branch-enis", "trunk-enis", "associations", "instances"]);
        break;
    }
    return run.drafts.map((draft) => draft.build(new Date(observedAt)));
  }

  public async recheckBranchEni(
    eniId: string,
    options: { readonly context?: boolean } = {},
  ): Promise<BranchEniRecheck> {
    const observedAt = new Date(this.clock.now());
    const raw = await this.ec2.networkInterface(eniId);
    if (!raw) return { observedAt };
    const eni = toObservedEni(raw);
    // `available` is the evidence itself, and an associated branch ENI is always in-use: one call is enough.
    if (eni.status === "available" && !options.context) return { observedAt, eni };
    const taggedTrunk = eni.tags[TAGS.trunkEniId];
    const [associations, taggedTrunkRaw] = await Promise.all([
      taggedTrunk !== undefined
        ? this.ec2.trunkAssociations([taggedTrunk])
        : this.ec2.trunkAssociations([eniId], uncounted, "branch"),
      taggedTrunk !== undefined ? this.ec2.networkInterface(taggedTrunk) : Promise.resolve(undefined),
    ]);
    if (associations.error) throw associations.error;
    const association = associations.items.map(toTrunkAssociation).find((a) => a.branchEniId === eniId);
    const trunkId = taggedTrunk ?? association?.trunkEniId;
    let trunk: ObservedEni | null | undefined;
    if (trunkId !== undefined) {
      const trunkRaw = taggedTrunk !== undefined ? taggedTrunkRaw : await this.ec2.networkInterface(trunkId);
      trunk = trunkRaw ? toObservedEni(trunkRaw) : null;
    }
    const instanceId = eni.tags[TAGS.instanceId] ?? trunk?.attachment?.instanceId;
    let instance: BranchEniRecheck["instance"];
    if (instanceId !== undefined) {
      const read = await this.ec2.instances([instanceId]);
      if (read.error) throw read.error;
      const found = read.items.find((i) => i.InstanceId === instanceId);
      instance = found ? toObservedInstance(found) : null;
    }
    return {
      observedAt,
      eni,
      ...(trunk !== undefined ? { trunk } : {}),
      ...(instance !== undefined ? { instance } : {}),
      ...(association !== undefined ? { associationId: association.associationId } : {}),
    };
  }

  /**
   * Full scope, all clusters at once. Calls: ceil(ENIs/1000) DescribeNetworkInterfaces + 1
   * DescribeSecurityGroups (backend SGs) + DescribeInstances only for branches whose trunk is gone
   * (200 ids a call) + ELBv2 (`readLoadBalancing`) + target ENIs (`readTargetEnis`) + security groups
   * and their rules (`readSecurityGroups`). Returns the observation time (the ENI read's).
   */
  private async observeFull(
    run: ObservationRun,
    clusters: readonly ClusterInfo[],
    discovered: Inventory | undefined,
  ): Promise<number> {
    const everyVpcKnown = clusters.length > 0 && clusters.every((c) => c.vpcId !== undefined);
    const vpcIds = everyVpcKnown ? [...new Set(clusters.map((c) => c.vpcId as string))] : undefined;
    const inventory = discovered ?? (await this.readInventory(vpcIds, run));
    const known = this.applyOwnedEnis(run, inventory.enis);
    const pool = new Map<string, SecurityGroup>();
    const backendByCluster = applyBackendSecurityGroups(run, inventory.backendGroups, pool);
    run.notRead(["associations"], "trunk and VLAN come from branch tags; the pre-delete recheck reads the association");
    await Promise.all([this.readEvidenceInstances(run), this.observeLoadBalancing(run, backendByCluster, known, pool)]);
    return inventory.at;
  }

  /** The ELBv2 side, target ENIs and all security groups with rules (full and load-balancing scopes). */
  private async observeLoadBalancing(
    run: ObservationRun,
    backendByCluster: Map<string, string[]>,
    known: readonly ObservedEni[],
    pool = new Map<string, SecurityGroup>(),
    extraGroupIds: readonly string[] = [],
  ): Promise<void> {
    let backends = backendByCluster;
    if (run.scope.kind !== "full") {
      backends = applyBackendSecurityGroups(
        run,
        await this.ec2.securityGroups(backendSecurityGroupFilters(), run),
        pool,
      );
    }
    const groups = await readLoadBalancing(run, this.elbv2, this.loadBalancingVpcs(run));
    await readTargetEnis(run, this.ec2, groups, known);
    await readSecurityGroups(run, this.ec2, pool, { referencing: true, backendByCluster: backends, extraGroupIds });
  }

  /** VPCs whose target groups can belong to the run's clusters; undefined when some cluster's VPC is unknown. */
  private loadBalancingVpcs(run: ObservationRun): Set<string> | undefined {
    const vpcs = new Set<string>();
    for (const draft of run.drafts) {
      const own = [
        draft.cluster.vpcId,
        ...[...draft.branchEnis.values(), ...draft.trunkEnis.values()].map((e) => e.vpcId),
      ];
      const known = own.filter((v): v is string => v !== undefined && v !== "");
      if (known.length === 0) return undefined;
      for (const vpc of known) vpcs.add(vpc);
    }
    return vpcs;
  }

  /**
   * ENIs by id, with the trunks they name, their associations, instances and security groups: the
   * same few calls for one ENI or for the hundreds a merged batch of events names (200 ids a call).
   */
  private async observeEnis(run: ObservationRun, eniIds: readonly string[]): Promise<void> {
    const wanted = new Set(eniIds);
    const read = await this.ec2.networkInterfacesById([...wanted], run);
    this.failEnis(run, read);
    const found = read.items.map(toObservedEni).filter((e) => wanted.has(e.eniId));
    if (!read.error) {
      const foundIds = new Set(found.map((e) => e.eniId));
      const absent = [...wanted].filter((id) => !foundIds.has(id));
      for (const draft of run.drafts) for (const id of absent) draft.lookedUpEnis.add(id);
    }
    const owned = found.filter((e) => isBranchEni(e) || isTrunkEni(e));
    const trunkIdOf = (eni: ObservedEni) => (isTrunkEni(eni) ? eni.eniId : eni.tags[TAGS.trunkEniId]);
    const trunkIds = new Set(owned.map(trunkIdOf).filter((id): id is string => id !== undefined));
    const otherTrunkIds = [...trunkIds].filter((id) => !wanted.has(id));
    const trunkRead = otherTrunkIds.length > 0 ? await this.ec2.networkInterfacesById(otherTrunkIds, run) : undefined;
    if (trunkRead) this.failEnis(run, trunkRead, "trunk-enis");
    const trunks = (trunkRead?.items ?? []).map(toObservedEni).filter(isTrunkEni);
    this.placeOwnedEnis(run, [...owned, ...trunks]);
    // Per cluster, its ENIs and the trunks they name were looked up by id: absence (with the read
    // complete) is proof EC2 no longer knows them. And the nodes they name are read.
    const trunkById = new Map([...owned.filter(isTrunkEni), ...trunks].map((t) => [t.eniId, t] as const));
    const instanceNeeds = new Map<SnapshotDraft, Set<string>>();
    for (const draft of run.drafts) {
      const instanceIds = new Set<string>();
      for (const eni of owned) {
        if (!draft.branchEnis.has(eni.eniId) && !draft.trunkEnis.has(eni.eniId)) continue;
        draft.lookedUpEnis.add(eni.eniId);
        const trunkId = trunkIdOf(eni);
        if (trunkId !== undefined && trunkRead && !trunkRead.failedKeys.has(trunkId)) draft.lookedUpEnis.add(trunkId);
        const instanceId =
          eni.tags[TAGS.instanceId] ??
          (trunkId !== undefined ? trunkById.get(trunkId)?.attachment?.instanceId : undefined) ??
          eni.attachment?.instanceId;
        if (instanceId !== undefined) instanceIds.add(instanceId);
      }
      if (instanceIds.size > 0) instanceNeeds.set(draft, instanceIds);
    }
    const untrunked = owned.filter((e) => trunkIdOf(e) === undefined).map((e) => e.eniId);
    if (owned.length === 0) run.notRead(["associations"], "no ENI is a VPC resource controller ENI, or they are gone");
    await Promise.all([
      trunkIds.size > 0 ? this.readAssociations(run, [...trunkIds]) : undefined,
      untrunked.length > 0 ? this.readAssociations(run, untrunked, "branch") : undefined,
      this.readInstancesInto(run, instanceNeeds),
      readSecurityGroups(run, this.ec2, new Map(), { referencing: false, backendByCluster: new Map() }),
    ]);
    run.notRead(["target-groups", "load-balancers", "target-enis"]);
  }

  /** Nodes: their trunks, every branch ENI naming them (or their trunks), and the instances. */
  private async observeInstances(run: ObservationRun, instanceIds: readonly string[]): Promise<void> {
    const branchFilters = ownedEniFilters([BRANCH_ENI_DESCRIPTION]);
    const [trunks, branchesByInstance] = await Promise.all([
      this.ec2.networkInterfacesWith(
        "attachment.instance-id",
        instanceIds,
        ownedEniFilters([TRUNK_ENI_DESCRIPTION]),
        run,
        true,
      ),
      this.ec2.networkInterfacesWith(`tag:${TAGS.instanceId}`, instanceIds, branchFilters, run, true),
      this.readInstancesInto(run, new Map(run.drafts.map((d) => [d, new Set(instanceIds)]))),
    ]);
    this.failEnis(run, trunks, "trunk-enis");
    this.failEnis(run, branchesByInstance, "branch-enis");
    const trunkIds = trunks.items.map((t) => t.NetworkInterfaceId).filter((id): id is string => id !== undefined);
    const nodesWithTrunk = new Set(trunks.items.map((t) => t.Attachment?.InstanceId));
    // Branches of older controllers carry no instance tag: find them through the trunk tag. Once EC2
    // has deleted the trunk with the instance, nothing names the node any more: its branches are then
    // among the available ones, which in a healthy account are few (one filtered listing).
    const [branchesByTrunk, availableBranches] = await Promise.all([
      trunkIds.length > 0
        ? this.ec2.networkInterfacesWith(`tag:${TAGS.trunkEniId}`, trunkIds, branchFilters, run, true)
        : undefined,
      instanceIds.some((id) => !nodesWithTrunk.has(id))
        ? this.ec2.networkInterfaces([...branchFilters, filter("status", ["available"])], run, true)
        : undefined,
    ]);
    for (const read of [branchesByTrunk, availableBranches]) if (read) this.failEnis(run, read, "branch-enis");
    const branches = [
      ...new Map(
        [...branchesByInstance.items, ...(branchesByTrunk?.items ?? []), ...(availableBranches?.items ?? [])].map(
          (eni) => [eni.NetworkInterfaceId, eni] as const,
        ),
      ).values(),
    ].map(toObservedEni);
    const referenced = [...new Set(branches.map((b) => b.tags[TAGS.trunkEniId]))].filter(
      (id): id is string => id !== undefined && !trunkIds.includes(id),
    );
    // Trunks the branches name but the instances no longer have: looked up by id, so absence is proof.
    const other = referenced.length > 0 ? await this.ec2.networkInterfacesById(referenced, run) : undefined;
    if (other) this.failEnis(run, other, "trunk-enis");
    const owned = [...trunks.items.map(toObservedEni), ...(other?.items.map(toObservedEni) ?? []), ...branches];
    this.placeOwnedEnis(run, owned);
    if (other)
      for (const draft of this.ownersOf(run, branches))
        for (const id of referenced) if (!other.failedKeys.has(id)) draft.lookedUpEnis.add(id);
    await Promise.all([
      this.readAssociations(run, [...trunkIds, ...referenced]),
      readSecurityGroups(run, this.ec2, new Map(), { referencing: false, backendByCluster: new Map() }),
    ]);
    run.notRead(["target-groups", "load-balancers", "target-enis"]);
  }

  /** Security groups and the ENIs using them; LBC groups (or groups holding LBC rules) with the load-balancing side. */
  private async observeSecurityGroups(run: ObservationRun, groupIds: readonly string[]): Promise<void> {
    const pool = new Map<string, SecurityGroup>();
    const [groups, users] = await Promise.all([
      this.ec2.securityGroupsById(groupIds, [], run),
      this.ec2.networkInterfacesWith("group-id", groupIds, [], run),
    ]);
    if (groups.error) run.fail("security-groups", groups.error);
    this.failEnis(run, users, "branch-enis");
    const enis = users.items.map(toObservedEni);
    this.placeOwnedEnis(run, enis.filter(isBranchEni));
    const wanted = new Set(groupIds);
    const found = groups.items.filter((g) => g.GroupId !== undefined && wanted.has(g.GroupId));
    for (const group of found) pool.set(group.GroupId as string, group);
    const loadBalancing = found.some((group) => {
      const tags = tagsOf(group.Tags);
      const holdsLbcRules = (group.IpPermissions ?? []).some((p) =>
        (p.UserIdGroupPairs ?? []).some((pair) => pair.Description === LBC_RULE_DESCRIPTION),
      );
      return holdsLbcRules || tags[TAGS.elbv2Resource] === BACKEND_SG_RESOURCE || tags[TAGS.elbv2Cluster] !== undefined;
    });
    run.notRead(["trunk-enis", "associations", "instances"]);
    // The subject groups are part of every cluster's view, whoever uses them.
    if (loadBalancing) {
      await this.observeLoadBalancing(run, new Map(), enis, pool, groupIds);
    } else {
      run.notRead(["target-groups", "load-balancers", "target-enis"], "no group is an LBC group or holds LBC rules");
      await readSecurityGroups(run, this.ec2, pool, {
        referencing: false,
        backendByCluster: new Map(),
        extraGroupIds: groupIds,
      });
    }
  }

  /** Owned ENIs into their clusters' drafts; returns every ENI read (an IP index for targets). */
  private applyOwnedEnis(run: ObservationRun, read: PartialRead<NetworkInterface>): ObservedEni[] {
    this.failEnis(run, read);
    const enis = read.items.map(toObservedEni).filter((e) => e.eniId !== "");
    this.placeOwnedEnis(run, enis);
    return enis;
  }

  private placeOwnedEnis(run: ObservationRun, enis: readonly ObservedEni[]): void {
    for (const [cluster, share] of partitionOwnedEnis(enis)) {
      const draft = run.draft(cluster);
      if (!draft) continue;
      for (const eni of share.branches) draft.branchEnis.set(eni.eniId, eni);
      for (const eni of share.trunks) draft.trunkEnis.set(eni.eniId, eni);
    }
  }

  /** Drafts holding any of these ENIs (after `placeOwnedEnis`). */
  private ownersOf(run: ObservationRun, enis: readonly ObservedEni[]): SnapshotDraft[] {
    return run.drafts.filter((d) => enis.some((e) => d.branchEnis.has(e.eniId) || d.trunkEnis.has(e.eniId)));
  }

  private failEnis(
    run: ObservationRun,
    read: PartialRead<unknown> | KeyedRead<unknown>,
    only?: "branch-enis" | "trunk-enis",
  ): void {
    if (!read.error) return;
    if (only !== "trunk-enis") run.fail("branch-enis", read.error);
    if (only !== "branch-enis") run.fail("trunk-enis", read.error);
  }

  /**
   * Instances only evidence needs: those of branch ENIs whose trunk is not present and attached (a
   * trunk that exists attached implies a live node, since EC2 deletes it with the instance). Usually none.
   */
  private readEvidenceInstances(run: ObservationRun): Promise<void> {
    const needs = new Map<SnapshotDraft, Set<string>>();
    for (const draft of run.drafts) {
      const ids = new Set<string>();
      for (const branch of draft.branchEnis.values()) {
        const trunkId = branch.tags[TAGS.trunkEniId];
        const trunk = trunkId !== undefined ? draft.trunkEnis.get(trunkId) : undefined;
        if (trunk?.attachment?.instanceId !== undefined) continue;
        const instanceId = branch.tags[TAGS.instanceId] ?? trunk?.tags[TAGS.instanceId];
        if (instanceId !== undefined) ids.add(instanceId);
      }
      if (ids.size > 0) needs.set(draft, ids);
    }
    return this.readInstancesInto(run, needs);
  }

  private async readInstancesInto(
    run: ObservationRun,
    needs: ReadonlyMap<SnapshotDraft, ReadonlySet<string>>,
  ): Promise<void> {
    const ids = [...new Set([...needs.values()].flatMap((s) => [...s]))];
    if (ids.length === 0) return;
    const read = await this.ec2.instances(ids, run);
    const byId = new Map(read.items.map((i) => [i.InstanceId ?? "", toObservedInstance(i)]));
    for (const [draft, wanted] of needs) {
      for (const id of wanted) {
        draft.lookedUpInstances.add(id);
        const instance = byId.get(id);
        if (instance) draft.instances.set(id, instance);
      }
    }
    if (read.error) {
      const error = read.error;
      run.fail("instances", error, (d) => [...(needs.get(d) ?? [])].some((id) => read.failedKeys.has(id)));
    }
  }

  /** Associations of these trunks (or branches), given to the drafts holding the branch or the trunk. */
  private async readAssociations(
    run: ObservationRun,
    ids: readonly string[],
    by: "trunk" | "branch" = "trunk",
  ): Promise<void> {
    if (ids.length === 0) {
      run.notRead(["associations"], "no trunk is involved");
      return;
    }
    const read = await this.ec2.trunkAssociations(ids, run, by);
    if (read.error) run.fail("associations", read.error);
    for (const association of read.items.map(toTrunkAssociation)) {
      for (const draft of run.drafts) {
        if (draft.branchEnis.has(association.branchEniId) || draft.trunkEnis.has(association.trunkEniId)) {
          draft.associations.set(association.branchEniId, association);
        }
      }
    }
  }

  private async readInventory(vpcIds: readonly string[] | undefined, run: ObservationRun): Promise<Inventory> {
    const at = this.clock.now();
    const [enis, backendGroups] = await Promise.all([
      this.ec2.networkInterfaces([...ownedEniFilters(), ...(vpcIds ? [filter("vpc-id", vpcIds)] : [])], run, true),
      this.ec2.securityGroups(backendSecurityGroupFilters(), run),
    ]);
    return { at, enis, backendGroups };
  }

  /** The inventory `discoverClusters` just read, once, while fresh. */
  private takeInventory(): Inventory | undefined {
    const inventory = this.inventory;
    this.inventory = undefined;
    if (!inventory || this.clock.now() - inventory.at > this.inventoryReuseMs) return undefined;
    return inventory;
  }
}

/** Cluster names EC2 still carries (owned ENIs' cluster tags, backend SGs' cluster tag), with their VPCs. */
const clusterEvidence = (inventory: Inventory): Map<string, Set<string>> => {
  const evidence = new Map<string, Set<string>>();
  const note = (cluster: string, vpcId: string | undefined) => {
    const vpcs = evidence.get(cluster) ?? new Set<string>();
    if (vpcId) vpcs.add(vpcId);
    evidence.set(cluster, vpcs);
  };
  for (const eni of inventory.enis.items) {
    for (const cluster of clusterNamesOf(tagsOf(eni.TagSet))) note(cluster, eni.VpcId);
  }
  for (const group of inventory.backendGroups.items) {
    const cluster = tagsOf(group.Tags)[TAGS.elbv2Cluster];
    if (cluster) note(cluster, group.VpcId);
  }
  return evidence;
};
