import { SimError } from "../../protocol/sim-error.ts";
import type { SimWorld } from "../../world.ts";

/** The bus every account has; it cannot be created or deleted. */
export const DEFAULT_BUS = "default";

/** One event bus of the simulated account. */
export interface EventBus {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly createdAt: Date;
  readonly lastModifiedAt: Date;
  readonly tags: Readonly<Record<string, string>>;
}

/** EventBridge's bus names: 1–256 of `/ . - _` and alphanumerics. */
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

/**
 * The account's event buses. Events themselves live in `world.events`, keyed by bus name, so that
 * `GET /_sim/events?bus=<name>` reads what a rule target on that bus would receive.
 */
export class EventBusState {
  private readonly buses = new Map<string, EventBus>();

  public constructor(private readonly world: SimWorld) {
    this.buses.set(DEFAULT_BUS, this.newBus(DEFAULT_BUS, undefined, {}));
  }

  /** The bus named `nameOrArn` (a name, or an ARN whose last segment is the name). */
  public bus(nameOrArn: string | undefined): EventBus | undefined {
    return this.buses.get(busNameOf(nameOrArn));
  }

  public list(): EventBus[] {
    return [...this.buses.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  public create(name: string, description: string | undefined, tags: Record<string, string>): EventBus {
    if (!BUS_NAME.test(name)) {
      throw new SimError(
        "ValidationException",
        `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+`,
      );
    }
    if (name.startsWith("aws.")) {
      // Names under aws. belong to partner event sources, which need EventSourceName.
      throw new SimError("ValidationException", `Event source ${name} does not exist.`);
    }
    if (this.buses.has(name)) throw new SimError("ResourceAlreadyExistsException", `Event bus ${name} already exists.`);
    const bus = this.newBus(name, description, tags);
    this.buses.set(name, bus);
    return bus;
  }

  /** Delete a custom bus; deleting one that does not exist succeeds, as EventBridge does. */
  public delete(name: string): void {
    if (name === DEFAULT_BUS) throw new SimError("ValidationException", "Cannot delete event bus default.");
    this.buses.delete(name);
  }

  private newBus(name: string, description: string | undefined, tags: Record<string, string>): EventBus {
    const now = this.world.clock.now();
    return {
      name,
      arn: `arn:aws:events:${this.world.region}:${this.world.accountId}:event-bus/${name}`,
      description,
      createdAt: now,
      lastModifiedAt: now,
      tags: { ...tags },
    };
  }
}

/** A bus name from a name or an ARN (`arn:aws:events:…:event-bus/<name>`); absent = `default`. */
export const busNameOf = (nameOrArn: string | undefined): string => {
  if (!nameOrArn) return DEFAULT_BUS;
  if (!nameOrArn.startsWith("arn:")) return nameOrArn;
  const marker = ":event-bus/";
  const at = nameOrArn.indexOf(marker);
  return at < 0 ? nameOrArn : nameOrArn.slice(at + marker.length);
};
