import { WELL_KNOWN_ACCESS_KEYS } from "../control/identities.ts";
import { type Census, takeCensus } from "./census.ts";
import { buildDemo } from "./demo.ts";
import type { DemoReport } from "./demo-report.ts";
import { type GeneratedAccount, generateAccount } from "./generate.ts";
import { actorClients } from "./scenario-clients.ts";

export type { Census } from "./census.ts";
export type { DemoClusterReport, DemoReport } from "./demo-report.ts";
export type { GeneratedAccount, GenerateOptions } from "./generate.ts";

/** Worlds the simulator can be started with: the demo, nothing, or 10,000 generated branch ENIs. */
export type ScenarioName = "demo" | "empty" | "large";

export const SCENARIO_NAMES: readonly ScenarioName[] = ["demo", "empty", "large"];

/** The generator's settings behind the `large` scenario. */
export const LARGE_SCENARIO = { enis: 10_000, leakRatio: 0.02, conflictRatio: 0.01, seed: 1 } as const;

/** An account with nothing in it, and its (empty) census. */
export interface EmptyReport {
  readonly scenario: "empty";
  readonly buildMs: number;
  readonly census: Census;
}

/** A generated account and its census. */
export interface LargeReport {
  readonly scenario: "large";
  readonly buildMs: number;
  readonly account: GeneratedAccount;
  readonly census: Census;
}

/** What a scenario built: counts, and the ids of everything notable. */
export type ScenarioReport = DemoReport | EmptyReport | LargeReport;

export const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name);

/** Build a scenario through the simulator's API at `endpoint`. */
export const runScenario = async (name: ScenarioName, endpoint: string): Promise<ScenarioReport> => {
  switch (name) {
    case "demo":
      return buildDemo(endpoint);
    case "empty":
      return { scenario: "empty", buildMs: 0, census: await census(endpoint) };
    case "large": {
      const account = await generateAccount(endpoint, LARGE_SCENARIO);
      return { scenario: "large", buildMs: account.buildMs, account, census: await census(endpoint) };
    }
  }
};

const census = async (endpoint: string): Promise<Census> => {
  const clients = actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.operator);
  try {
    return await takeCensus(clients);
  } finally {
    clients.destroy();
  }
};
