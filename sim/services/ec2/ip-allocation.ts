/** An IPv4 CIDR block: network address as an unsigned 32-bit number, and prefix length. */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
  readonly text: string;
}

/** Dotted IPv4 to an unsigned 32-bit number, or undefined when malformed. */
export const ipToNumber = (ip: string): number | undefined => {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
};

/** An unsigned 32-bit number to dotted IPv4. */
export const numberToIp = (value: number): string =>
  [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");

/** Parse `a.b.c.d/n`; with `canonical`, host bits must be zero (EC2's rule for VPC and subnet blocks). */
export const parseCidr = (text: string, canonical = false): Cidr | undefined => {
  const [ip, prefixText, extra] = text.split("/");
  if (ip === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,2}$/.test(prefixText)) {
    return undefined;
  }
  const address = ipToNumber(ip);
  const prefix = Number(prefixText);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const base = address - (address % size);
  if (canonical && base !== address) return undefined;
  return { base, prefix, text };
};

/** Addresses in a block. */
export const cidrSize = (cidr: Cidr): number => 2 ** (32 - cidr.prefix);

/** True when the address lies in the block. */
export const cidrContainsIp = (cidr: Cidr, ip: number): boolean => ip >= cidr.base && ip < cidr.base + cidrSize(cidr);

/** True when `inner` lies entirely in `outer`. */
export const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  inner.prefix >= outer.prefix && cidrContainsIp(outer, inner.base);

/** True when two blocks share an address (CIDR blocks either nest or are disjoint). */
export const cidrsOverlap = (a: Cidr, b: Cidr): boolean => cidrContains(a, b) || cidrContains(b, a);

/** Addresses AWS keeps in every subnet: the first four and the last one. */
const RESERVED_LOW = 4;
const RESERVED_HIGH = 1;

/**
 * The private IPv4 addresses of one subnet. AWS reserves the network address, the router, DNS
 * and one future address, plus the broadcast address; everything else is handed out in order,
 * wrapping around, so released addresses are reused only after the rest of the block.
 */
export class AddressPool {
  private readonly used = new Set<number>();
  private cursor = RESERVED_LOW;
  private readonly size: number;

  public constructor(public readonly cidr: Cidr) {
    this.size = cidrSize(cidr);
  }

  /** Usable addresses in the block (what a new subnet reports as AvailableIpAddressCount). */
  public get capacity(): number {
    return Math.max(0, this.size - RESERVED_LOW - RESERVED_HIGH);
  }

  public get available(): number {
    return this.capacity - this.used.size;
  }

  /** Hand out the next free address, or undefined when the subnet is full. */
  public allocate(): string | undefined {
    if (this.available <= 0) return undefined;
    const last = this.size - RESERVED_HIGH;
    for (let tries = 0; tries < this.capacity; tries++) {
      if (this.cursor >= last) this.cursor = RESERVED_LOW;
      const offset = this.cursor;
      this.cursor += 1;
      if (!this.used.has(offset)) {
        this.used.add(offset);
        return numberToIp(this.cidr.base + offset);
      }
    }
    return undefined;
  }

  /** Why a specific address cannot be claimed, or undefined when it was claimed. */
  public claim(ip: string): "outside" | "reserved" | "in-use" | undefined {
    const value = ipToNumber(ip);
    if (value === undefined || !cidrContainsIp(this.cidr, value)) return "outside";
    const offset = value - this.cidr.base;
    if (offset < RESERVED_LOW || offset >= this.size - RESERVED_HIGH) return "reserved";
    if (this.used.has(offset)) return "in-use";
    this.used.add(offset);
    return undefined;
  }

  public release(ip: string): void {
    const value = ipToNumber(ip);
    if (value !== undefined) this.used.delete(value - this.cidr.base);
  }
}
