import { missingParameter, SimError } from "../../protocol/sim-error.ts";
import type { Ec2State } from "./ec2-state.ts";
import type { CompiledQuery, FilterSchema } from "./filters.ts";
import type { Stored } from "./indexed-collection.ts";
import type { PageCursor } from "./pagination.ts";
import {
  INSTANCE,
  isWellFormedId,
  kindOfId,
  malformedId,
  NETWORK_INTERFACE,
  notFound,
  type ResourceKind,
  SECURITY_GROUP,
  SECURITY_GROUP_RULE,
  SUBNET,
  TAGGABLE_KINDS,
  VPC,
} from "./resource-ids.ts";
import { MAX_TAGS_PER_RESOURCE, type TagInput, tagLimitExceeded, validateTag } from "./tags.ts";

/** Any resource that carries tags. */
export interface Tagged extends Stored {
  readonly tags: Map<string, string>;
}

/** What tagging needs of a resource collection (any `IndexedCollection` of tagged resources). */
interface TaggedCollection {
  get(id: string): Tagged | undefined;
  update(id: string, mutate: (item: Tagged) => void): unknown;
  scan(afterSeq?: number): Iterable<Tagged>;
}

/** One row of DescribeTags. */
export interface TagEntry {
  readonly resource: Tagged;
  readonly kind: ResourceKind;
  readonly key: string;
  readonly value: string;
}

/** A page of DescribeTags rows. */
export interface TagPage {
  readonly entries: TagEntry[];
  /** Where the next page starts, when more entries follow. */
  readonly next: { readonly seq: number; readonly key: string } | undefined;
}

/** CreateTags, DeleteTags and DescribeTags across every taggable resource kind. */
export class ResourceTagManager {
  public constructor(private readonly state: Ec2State) {}

  /** Tag resources of any kinds in one call; all ids must exist, or nothing is tagged. */
  public create(resourceIds: readonly string[], tags: readonly TagInput[]): void {
    if (resourceIds.length === 0) throw missingParameter("resourceIdSet");
    if (tags.length === 0) throw missingParameter("tagSet");
    for (const tag of tags) validateTag(tag.key, tag.value ?? "");
    const targets = this.resolve(resourceIds);
    for (const { resource } of targets) {
      const keys = new Set([...resource.tags.keys(), ...tags.map((tag) => tag.key)]);
      if (keys.size > MAX_TAGS_PER_RESOURCE) throw tagLimitExceeded();
    }
    for (const { collection, resource } of targets) {
      collection.update(resource.id, (target) => {
        for (const tag of tags) target.tags.set(tag.key, tag.value ?? "");
      });
    }
  }

  /**
   * Remove tags: a tag given with a value goes only when the value matches; without a value it
   * goes regardless; no tags at all removes every tag of the resources.
   */
  public delete(resourceIds: readonly string[], tags: readonly TagInput[]): void {
    if (resourceIds.length === 0) throw missingParameter("resourceIdSet");
    for (const { collection, resource } of this.resolve(resourceIds)) {
      collection.update(resource.id, (target) => {
        if (tags.length === 0) target.tags.clear();
        for (const tag of tags) {
          if (tag.value === undefined || target.tags.get(tag.key) === tag.value) target.tags.delete(tag.key);
        }
      });
    }
  }

  /** A page of tags in resource creation order, then key order. */
  public describe(query: CompiledQuery<TagEntry>, resourceIds: readonly string[], cursor: PageCursor): TagPage {
    const limit = cursor.limit ?? Number.POSITIVE_INFINITY;
    const entries: TagEntry[] = [];
    for (const { resource, kind } of this.resourcesFrom(cursor.afterSeq, resourceIds)) {
      const keys = [...resource.tags.keys()].sort();
      for (const key of keys) {
        if (resource.seq === cursor.afterSeq && cursor.afterKey !== undefined && key <= cursor.afterKey) continue;
        const entry: TagEntry = { resource, kind, key, value: resource.tags.get(key) ?? "" };
        if (!query.matches(entry)) continue;
        if (entries.length >= limit) {
          const last = entries[entries.length - 1] as TagEntry;
          return { entries, next: { seq: last.resource.seq, key: last.key } };
        }
        entries.push(entry);
      }
    }
    return { entries, next: undefined };
  }

  public readonly filters: FilterSchema<TagEntry> = {
    tags: (entry) => entry.resource.tags,
    fields: {
      key: { values: (entry) => entry.key },
      value: { values: (entry) => entry.value },
      "resource-id": { values: (entry) => entry.resource.id },
      "resource-type": { values: (entry) => entry.kind.resourceType },
    },
  };

  /** Taggable resources with `seq >= afterSeq` in creation order (only `ids` when given). */
  private resourcesFrom(afterSeq: number, ids: readonly string[]): { resource: Tagged; kind: ResourceKind }[] {
    const found: { resource: Tagged; kind: ResourceKind }[] = [];
    if (ids.length > 0) {
      for (const id of new Set(ids)) {
        const kind = kindOfId(id);
        const resource = kind ? this.collectionOf(kind).get(id) : undefined;
        if (kind && resource && resource.seq >= afterSeq) found.push({ resource, kind });
      }
    } else {
      for (const kind of TAGGABLE_KINDS) {
        for (const resource of this.collectionOf(kind).scan(afterSeq - 1)) {
          if (resource.tags.size > 0) found.push({ resource, kind });
        }
      }
    }
    return found.sort((a, b) => a.resource.seq - b.resource.seq);
  }

  private resolve(ids: readonly string[]): { collection: TaggedCollection; resource: Tagged }[] {
    const targets: { collection: TaggedCollection; resource: Tagged }[] = [];
    const missing = new Map<ResourceKind, string[]>();
    for (const id of new Set(ids)) {
      const kind = kindOfId(id);
      if (!kind) throw new SimError("InvalidID", `The ID '${id}' is not valid`);
      if (!isWellFormedId(kind, id)) throw malformedId(kind, id);
      const collection = this.collectionOf(kind);
      const resource = collection.get(id);
      if (resource) targets.push({ collection, resource });
      else missing.set(kind, [...(missing.get(kind) ?? []), id]);
    }
    for (const [kind, missingIds] of missing) throw notFound(kind, missingIds);
    return targets;
  }

  private collectionOf(kind: ResourceKind): TaggedCollection {
    const { networkInterfaces, instances, securityGroups, rules, vpcs } = this.state;
    switch (kind) {
      case NETWORK_INTERFACE:
        return networkInterfaces.enis;
      case INSTANCE:
        return instances.instances;
      case SECURITY_GROUP:
        return securityGroups.groups;
      case SECURITY_GROUP_RULE:
        return rules.rules;
      case VPC:
        return vpcs.vpcs;
      case SUBNET:
        return vpcs.subnets;
      default:
        throw new SimError("InvalidID", `Resources of type ${kind.resourceType} cannot be tagged`);
    }
  }
}
