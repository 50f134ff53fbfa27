import type { AddressInfo } from "node:net";
import { runScenario, type ScenarioName, type ScenarioReport } from "./scenarios/index.ts";
import { Simulator } from "./server.ts";

export { WELL_KNOWN_ACCESS_KEYS } from "./control/identities.ts";
export type { ScenarioName, ScenarioReport } from "./scenarios/index.ts";
export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from "./world.ts";

export interface StartSimulatorOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Defaults to `SIM_PORT` or 4566. */
  readonly port?: number;
  /** A world to build through the simulator's own API once it listens. */
  readonly scenario?: ScenarioName;
}

export interface RunningSimulator {
  /** The `AWS_ENDPOINT_URL` to give SDK clients. */
  readonly endpoint: string;
  /** In-process access to the model, stats and faults (tests and benchmarks). */
  readonly simulator: Simulator;
  /** What the scenario built, when one was asked for. */
  readonly scenario?: ScenarioReport;
  stop(): Promise<void>;
}

/** Serve a whole simulated account on loopback, optionally with a scenario already built in it. */
export const startSimulator = async (options: StartSimulatorOptions = {}): Promise<RunningSimulator> => {
  const simulator = new Simulator();
  const port = options.port ?? Number(process.env.SIM_PORT ?? 4566);
  await new Promise<void>((resolve, reject) => {
    simulator.server.once("error", reject);
    simulator.server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = simulator.server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${bound}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      simulator.server.closeAllConnections();
      simulator.server.close(() => resolve());
    });
  if (!options.scenario) return { endpoint, simulator, stop };
  try {
    return { endpoint, simulator, stop, scenario: await runScenario(options.scenario, endpoint) };
  } catch (error) {
    await stop();
    throw error;
  }
};
