import { parentPort, workerData } from "node:worker_threads";
import { WELL_KNOWN_ACCESS_KEYS } from "../control/identities.ts";
import { type GenerateOptions, planAccount } from "./generate-plan.ts";
import { buildSlice, type ClusterBase, type Slice } from "./generate-slice.ts";
import { actorClients, NODE_INSTANCE_ROLE_KEY } from "./scenario-clients.ts";

/** What `generateAccount` hands one worker thread. */
export interface SliceWorkerInput {
  readonly endpoint: string;
  readonly options: GenerateOptions;
  readonly bases: readonly ClusterBase[];
  readonly slice: Slice;
  readonly concurrency: number;
  readonly branchPermissions: boolean;
}

/** Worker thread entry: build one slice of a generated account with this thread's own SDK clients. */
const run = async (input: SliceWorkerInput) => {
  const socket = { maxSockets: input.concurrency };
  const clients = {
    eks: actorClients(input.endpoint, WELL_KNOWN_ACCESS_KEYS.eks, socket),
    vpcResourceController: actorClients(input.endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController, socket),
    node: actorClients(input.endpoint, NODE_INSTANCE_ROLE_KEY, socket),
  };
  try {
    // The plan is pure: recomputing it here is cheaper than sending it over.
    const plan = planAccount(input.options);
    return await buildSlice(plan, input.bases, input.slice, clients, input.concurrency, input.branchPermissions);
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
};

run(workerData as SliceWorkerInput).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (error: unknown) =>
    parentPort?.postMessage({
      ok: false,
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
);
