import { createHash } from "node:crypto";

/**
 * Deterministic resource ids in AWS's formats (`eni-` + 17 hex digits, …). Deterministic per
 * simulator instance so that scenarios, and the tests that read them, are reproducible.
 */
export class IdFactory {
  private counter = 0;
  private readonly salt: string;

  public constructor(salt = "branchkeeper-sim") {
    this.salt = salt;
  }

  /** `prefix-` followed by `length` hex digits (17 for EC2 resources since 2016). */
  public next(prefix: string, length = 17): string {
    this.counter += 1;
    const hex = createHash("sha256").update(`${this.salt}:${prefix}:${this.counter}`).digest("hex");
    return `${prefix}-${hex.slice(0, length)}`;
  }

  /** A random-looking UUID v4 string (request ids, event ids), still deterministic. */
  public uuid(): string {
    this.counter += 1;
    const h = createHash("sha256").update(`${this.salt}:uuid:${this.counter}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
