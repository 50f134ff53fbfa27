/**
 * The simulator in a child process, for the sweep benchmark: the sweep under test (SDK, reconciler)
 * and the simulator (EC2 model, dynalite) each get a core, as they would in AWS. Besides its endpoint
 * the child answers two requests over IPC so one generated account serves every run of a size:
 * - `snapshot`: remember every ENI now in the account;
 * - `restore`: recreate, from the model (no API call, nothing counted), every ENI deleted since the
 *   snapshot with the same subnet, address, groups, description, type and tags (a new id, so last in
 *   Describe order), and answer which ids were deleted and their replacements' ids.
 * A deleted ENI can only have been `available` (EC2 refuses to delete one in use), so its copy is exact
 * for every sweep's purpose.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../sim/index.ts";
import type { NetworkInterface } from "../sim/services/ec2/network-interfaces.ts";

/** What `restore` did. */
export interface Restored {
  /** Ids deleted since the snapshot. */
  readonly deleted: readonly string[];
  /** Deleted id → the id of its copy. */
  readonly recreated: Readonly<Record<string, string>>;
}

/** The child simulator as the benchmark sees it. */
export interface SimHost {
  readonly endpoint: string;
  snapshot(): Promise<void>;
  restore(): Promise<Restored>;
  stop(): void;
}

type Request = { readonly id: number; readonly op: "snapshot" | "restore" };
type Answer = { readonly id: number; readonly result?: unknown; readonly error?: string };

const ROLE = "bench-sweep-simulator";

/** Start the simulator in a child process running this file. */
export const startSimHost = async (): Promise<SimHost> => {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_ROLE: ROLE },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let exited: Error | undefined;
  child.on("exit", (code) => {
    exited = new Error(`simulator process exited with ${code}`);
    for (const waiter of pending.values()) waiter.reject(exited);
    pending.clear();
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`simulator process exited with ${code}`)));
    child.once("message", (message) => resolve(String((message as { endpoint: string }).endpoint)));
  });
  child.on("message", (message) => {
    const answer = message as Answer;
    const waiter = pending.get(answer.id);
    if (!waiter) return;
    pending.delete(answer.id);
    if (answer.error === undefined) waiter.resolve(answer.result);
    else waiter.reject(new Error(answer.error));
  });
  let next = 0;
  const ask = <T>(op: Request["op"]) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      next += 1;
      pending.set(next, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id: next, op } satisfies Request);
    });
  return {
    endpoint,
    snapshot: () => ask<void>("snapshot"),
    restore: () => ask<Restored>("restore"),
    stop: () => {
      child.kill();
    },
  };
};

const serve = async () => {
  const sim = await startSimulator({ port: 0 });
  // `world` is replaced on /_sim/reset: always read it afresh.
  const manager = () => sim.simulator.world.ec2.networkInterfaces;
  let remembered = new Map<string, NetworkInterface>();
  const snapshot = () => {
    remembered = new Map(Array.from(manager().enis.values(), (eni) => [eni.id, eni]));
  };
  const restore = (): Restored => {
    const enis = manager();
    const deleted: string[] = [];
    const recreated: Record<string, string> = {};
    for (const [id, eni] of remembered) {
      if (enis.enis.has(id)) continue;
      deleted.push(id);
      const copy = enis.create({
        subnetId: eni.subnetId,
        description: eni.description,
        groupIds: eni.groupIds,
        privateIpAddress: eni.privateIpAddress,
        secondaryPrivateIpAddressCount: eni.secondaryPrivateIpAddresses.length,
        interfaceType: eni.interfaceType,
        tags: eni.tags,
        requesterManaged: eni.requesterManaged,
        ...(eni.requesterId === undefined ? {} : { requesterId: eni.requesterId }),
      });
      recreated[id] = copy.id;
    }
    snapshot();
    return { deleted, recreated };
  };
  process.on("message", (message) => {
    const { id, op } = message as Request;
    try {
      const result = op === "snapshot" ? snapshot() : restore();
      process.send?.({ id, result } satisfies Answer);
    } catch (error) {
      process.send?.({ id, error: error instanceof Error ? error.message : String(error) } satisfies Answer);
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send?.({ endpoint: sim.endpoint });
};

if (process.env.BENCH_ROLE === ROLE) await serve();
