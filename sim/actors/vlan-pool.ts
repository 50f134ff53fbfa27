/** The highest VLAN id a trunk hands out (`MaxAllocatableVlanIds` 121 in the controller: ids 1..120). */
export const MAX_VLAN_ID = 120;

/**
 * The VLAN ids of one trunk, lowest free first, as the controller's `assignVlanId` does. Capacity is the
 * instance type's branch limit, so a trunk never holds more branches than EC2 would allow.
 */
export class VlanPool {
  private readonly used = new Set<number>();

  public constructor(private readonly capacity: number) {}

  /** The lowest free VLAN id, now in use; undefined when the trunk is full. */
  public allocate(): number | undefined {
    if (this.used.size >= Math.min(this.capacity, MAX_VLAN_ID)) return undefined;
    for (let id = 1; id <= MAX_VLAN_ID; id++) {
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    return undefined;
  }

  public release(id: number): void {
    this.used.delete(id);
  }

  public get size(): number {
    return this.used.size;
  }
}
