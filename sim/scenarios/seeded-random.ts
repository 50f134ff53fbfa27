import { mulberry32 } from "../control/faults.ts";

/** Kubernetes' alphabet for generated name suffixes (no vowels, no look-alikes). */
const K8S_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A small seeded random source: the same seed gives the same world. */
export class SeededRandom {
  private readonly next: () => number;

  public constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A float in [0, 1). */
  public float(): number {
    return this.next();
  }

  /** An integer in [0, n). */
  public int(n: number): number {
    return Math.floor(this.next() * n);
  }

  public pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** A Fisher-Yates shuffled copy. */
  public shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  /** A Kubernetes-style suffix: `length` characters of its alphabet. */
  public suffix(length: number): string {
    return Array.from({ length }, () => K8S_ALPHABET[this.int(K8S_ALPHABET.length)]).join("");
  }
}
