import type { EC2Client, NetworkInterface, SecurityGroup } from "@aws-sdk/client-ec2";
import type { EKSClient } from "@aws-sdk/client-eks";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ClusterSnapshot, SnapshotScope } from "../model/cluster-snapshot.ts";
import type { ClusterInfo, ObservedEni } from "../model/observed.ts";
import { BRANCH_ENI_DESCRIPTION, LBC_RULE_DESCRIPTION, TAGS, TRUNK_ENI_DESCRIPTION } from "../model/tags.ts";
import type { AccountObserver, BranchEniRecheck, ObserveOptions } from "../ports/account-observer.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import { mapWithLimit } from "../support/map-with-limit.ts";
import { Ec2SnapshotReader, ownedEniFilters } from "./ec2-snapshot-reader.ts";
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

const filter = (name: string, values: readonly string[]) => ({ Name: name, Values: [...values] });

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
        await this.observeEni(run, scope.id);
        break;
      case "instance":
        await this.observeInstance(run, scope.id);
        break;
      case "security-group":
        await this.observeSecurityGroup(run, scope.id);
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

  private async observeEni(run: ObservationRun, eniId: string): Promise<void> {
    const read = await this.ec2.networkInterfacesById([eniId], run);
    this.failEnis(run, read);
    const eni = read.items.map(toObservedEni).find((e) => e.eniId === eniId);
    if (!eni && !read.error) for (const draft of run.drafts) draft.lookedUpEnis.add(eniId);
    const owned = eni && (isBranchEni(eni) || isTrunkEni(eni)) ? [eni] : [];
    const trunkId = eni && isTrunkEni(eni) ? eniId : eni?.tags[TAGS.trunkEniId];
    let trunk: ObservedEni | undefined;
    if (trunkId !== undefined && trunkId !== eniId) {
      const trunkRead = await this.ec2.networkInterfacesById([trunkId], run);
      this.failEnis(run, trunkRead, "trunk-enis");
      trunk = trunkRead.items.map(toObservedEni).find((e) => e.eniId === trunkId);
      if (!trunkRead.error) {
        for (const draft of this.ownersOf(run, owned)) draft.lookedUpEnis.add(trunkId);
      }
    }
    this.placeOwnedEnis(run, [...owned, ...(trunk && isTrunkEni(trunk) ? [trunk] : [])]);
    for (const draft of this.ownersOf(run, owned)) draft.lookedUpEnis.add(eniId);

    const instanceNeeds = new Map<SnapshotDraft, Set<string>>();
    const instanceId = eni?.tags[TAGS.instanceId] ?? trunk?.attachment?.instanceId ?? eni?.attachment?.instanceId;
    if (instanceId !== undefined)
      for (const draft of this.ownersOf(run, owned)) instanceNeeds.set(draft, new Set([instanceId]));
    if (owned.length === 0) run.notRead(["associations"], "the ENI is not a VPC resource controller ENI, or is gone");
    await Promise.all([
      owned.length === 0
        ? undefined
        : trunkId !== undefined
          ? this.readAssociations(run, [trunkId])
          : this.readAssociations(run, [eniId], "branch"),
      this.readInstancesInto(run, instanceNeeds),
      readSecurityGroups(run, this.ec2, new Map(), { referencing: false, backendByCluster: new Map() }),
    ]);
    run.notRead(["target-groups", "load-balancers", "target-enis"]);
  }

  private async observeInstance(run: ObservationRun, instanceId: string): Promise<void> {
    const branchFilters = ownedEniFilters([BRANCH_ENI_DESCRIPTION]);
    const [trunks, branchesByInstance] = await Promise.all([
      this.ec2.networkInterfaces(
        [...ownedEniFilters([TRUNK_ENI_DESCRIPTION]), filter("attachment.instance-id", [instanceId])],
        run,
        true,
      ),
      this.ec2.networkInterfaces([...branchFilters, filter(`tag:${TAGS.instanceId}`, [instanceId])], run, true),
      this.readInstancesInto(run, new Map(run.drafts.map((d) => [d, new Set([instanceId])]))),
    ]);
    this.failEnis(run, trunks, "trunk-enis");
    this.failEnis(run, branchesByInstance, "branch-enis");
    const trunkIds = trunks.items.map((t) => t.NetworkInterfaceId).filter((id): id is string => id !== undefined);
    // Branches of older controllers carry no instance tag: find them through the trunk tag. Once EC2
    // has deleted the trunk with the instance, nothing names the node any more: its branches are then
    // among the available ones, which in a healthy account are few (one filtered listing).
    const branchesByTrunk = await this.ec2.networkInterfaces(
      [
        ...branchFilters,
        trunkIds.length > 0 ? filter(`tag:${TAGS.trunkEniId}`, trunkIds) : filter("status", ["available"]),
      ],
      run,
      true,
    );
    this.failEnis(run, branchesByTrunk, "branch-enis");
    const branches = [
      ...new Map(
        [...branchesByInstance.items, ...branchesByTrunk.items].map((eni) => [eni.NetworkInterfaceId, eni] as const),
      ).values(),
    ].map(toObservedEni);
    const referenced = [...new Set(branches.map((b) => b.tags[TAGS.trunkEniId]))].filter(
      (id): id is string => id !== undefined && !trunkIds.includes(id),
    );
    // Trunks the branches name but the instance no longer has: looked up by id, so absence is proof.
    const other = referenced.length > 0 ? await this.ec2.networkInterfacesById(referenced, run) : undefined;
    if (other) this.failEnis(run, other, "trunk-enis");
    const owned = [...trunks.items.map(toObservedEni), ...(other?.items.map(toObservedEni) ?? []), ...branches];
    this.placeOwnedEnis(run, owned);
    if (other && !other.error)
      for (const draft of this.ownersOf(run, branches)) for (const id of referenced) draft.lookedUpEnis.add(id);
    await Promise.all([
      this.readAssociations(run, [...trunkIds, ...referenced]),
      readSecurityGroups(run, this.ec2, new Map(), { referencing: false, backendByCluster: new Map() }),
    ]);
    run.notRead(["target-groups", "load-balancers", "target-enis"]);
  }

  private async observeSecurityGroup(run: ObservationRun, groupId: string): Promise<void> {
    const pool = new Map<string, SecurityGroup>();
    const [group, users] = await Promise.all([
      this.ec2.securityGroupsById([groupId], [], run),
      this.ec2.networkInterfaces([filter("group-id", [groupId])], run),
    ]);
    if (group.error) run.fail("security-groups", group.error);
    this.failEnis(run, users, "branch-enis");
    const enis = users.items.map(toObservedEni);
    this.placeOwnedEnis(run, enis.filter(isBranchEni));
    const found = group.items.find((g) => g.GroupId === groupId);
    if (found) pool.set(groupId, found);
    const tags = tagsOf(found?.Tags);
    const holdsLbcRules = (found?.IpPermissions ?? []).some((p) =>
      (p.UserIdGroupPairs ?? []).some((pair) => pair.Description === LBC_RULE_DESCRIPTION),
    );
    const loadBalancing =
      holdsLbcRules || tags[TAGS.elbv2Resource] === BACKEND_SG_RESOURCE || tags[TAGS.elbv2Cluster] !== undefined;
    run.notRead(["trunk-enis", "associations", "instances"]);
    // The subject group is part of every cluster's view, whoever uses it.
    if (loadBalancing) {
      await this.observeLoadBalancing(run, new Map(), enis, pool, [groupId]);
    } else {
      run.notRead(
        ["target-groups", "load-balancers", "target-enis"],
        "the group is neither an LBC group nor holds LBC rules",
      );
      await readSecurityGroups(run, this.ec2, pool, {
        referencing: false,
        backendByCluster: new Map(),
        extraGroupIds: [groupId],
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
