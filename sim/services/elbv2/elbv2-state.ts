import type { SimWorld } from "../../world.ts";

/** PLACEHOLDER until the service is built: holds no resources. */
export class Elbv2State {
  public constructor(public readonly world: SimWorld) {}
}
