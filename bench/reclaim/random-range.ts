import type { SeededRandom } from "../../sim/scenarios/seeded-random.ts";

/** A uniform draw in [low, high). */
export const between = (random: SeededRandom, [low, high]: readonly [number, number]): number =>
  low + random.float() * (high - low);
