/** PLACEHOLDER until scenarios are built. */
export type ScenarioName = "demo";

export const runScenario = async (name: ScenarioName, endpoint: string): Promise<void> => {
  throw new Error(`scenario ${name} is not built yet (endpoint ${endpoint})`);
};
