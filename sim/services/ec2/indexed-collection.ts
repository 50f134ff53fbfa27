/** A stored resource: its id and its creation sequence number, the order every Describe pages in. */
export interface Stored {
  readonly id: string;
  readonly seq: number;
}

/** The index keys of one resource, per index name (e.g. `status` → `["available"]`). */
export type Indexers<T> = Readonly<Record<string, (item: T) => Iterable<string>>>;

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Resources of one kind, kept in creation order with secondary indexes (value → ids), so that a
 * filtered Describe over 100,000 resources looks at candidates only. Every change goes through
 * `update`, which re-derives the index keys before and after: no index can go stale.
 */
export class IndexedCollection<T extends Stored> {
  private readonly byId = new Map<string, T>();
  /** Ascending `seq`; deleted entries linger until compaction (detected by identity in `byId`). */
  private order: T[] = [];
  private lingering = 0;
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  public constructor(private readonly indexers: Indexers<T> = {}) {
    for (const name of Object.keys(indexers)) this.indexes.set(name, new Map());
  }

  public get size(): number {
    return this.byId.size;
  }

  public get(id: string): T | undefined {
    return this.byId.get(id);
  }

  public has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Add a resource; its `seq` must be higher than every stored one (creation order). */
  public insert(item: T): T {
    const last = this.order[this.order.length - 1];
    if (last && last.seq >= item.seq) throw new Error(`sequence ${item.seq} is not after ${last.seq}`);
    this.byId.set(item.id, item);
    this.order.push(item);
    for (const [name, indexer] of Object.entries(this.indexers)) {
      for (const key of indexer(item)) this.addKey(name, key, item.id);
    }
    return item;
  }

  /** Change a resource in place, keeping every index in step. */
  public update(id: string, mutate: (item: T) => void): T {
    const item = this.byId.get(id);
    if (!item) throw new Error(`no resource ${id}`);
    const before = this.keysOf(item);
    mutate(item);
    const after = this.keysOf(item);
    for (const [name, oldKeys] of before) {
      const newKeys = after.get(name) ?? new Set<string>();
      for (const key of oldKeys) if (!newKeys.has(key)) this.removeKey(name, key, id);
      for (const key of newKeys) if (!oldKeys.has(key)) this.addKey(name, key, id);
    }
    return item;
  }

  public delete(id: string): T | undefined {
    const item = this.byId.get(id);
    if (!item) return undefined;
    for (const [name, keys] of this.keysOf(item)) {
      for (const key of keys) this.removeKey(name, key, id);
    }
    this.byId.delete(id);
    this.lingering += 1;
    if (this.lingering > 1024 && this.lingering > this.order.length / 2) this.compact();
    return item;
  }

  /** Ids whose `index` has `key` (live view: do not mutate the collection while iterating it). */
  public lookup(index: string, key: string): ReadonlySet<string> {
    const map = this.indexes.get(index);
    if (!map) throw new Error(`no index ${index}`);
    return map.get(key) ?? EMPTY;
  }

  public hasIndex(index: string): boolean {
    return this.indexes.has(index);
  }

  /** Live resources in creation order, starting after `afterSeq`. */
  public *scan(afterSeq = 0): Generator<T> {
    for (let i = this.firstAfter(afterSeq); i < this.order.length; i++) {
      const item = this.order[i] as T;
      if (this.byId.get(item.id) === item) yield item;
    }
  }

  public values(): Generator<T> {
    return this.scan(0);
  }

  /** Index of the first entry of `order` with `seq > afterSeq` (binary search). */
  private firstAfter(afterSeq: number): number {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.order[mid] as T).seq <= afterSeq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private keysOf(item: T): Map<string, Set<string>> {
    const keys = new Map<string, Set<string>>();
    for (const [name, indexer] of Object.entries(this.indexers)) keys.set(name, new Set(indexer(item)));
    return keys;
  }

  private addKey(index: string, key: string, id: string): void {
    const map = this.indexes.get(index);
    if (!map) return;
    let ids = map.get(key);
    if (!ids) {
      ids = new Set();
      map.set(key, ids);
    }
    ids.add(id);
  }

  private removeKey(index: string, key: string, id: string): void {
    const map = this.indexes.get(index);
    const ids = map?.get(key);
    if (!map || !ids) return;
    ids.delete(id);
    if (ids.size === 0) map.delete(key);
  }

  private compact(): void {
    this.order = this.order.filter((item) => this.byId.get(item.id) === item);
    this.lingering = 0;
  }
}
