import { parseArgs } from "node:util";
import { startSimulator } from "./index.ts";
import { isScenarioName, SCENARIO_NAMES } from "./scenarios/index.ts";
import { reportLines } from "./scenarios/report-text.ts";

/**
 * `npm run sim [-- --scenario demo|empty|large]`: serve a whole simulated account on 127.0.0.1:`SIM_PORT`
 * (default 4566) with a scenario built in it, until Ctrl-C.
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { scenario: { type: "string", default: "demo" } } });
  const scenario = values.scenario;
  if (!isScenarioName(scenario)) {
    console.error(`unknown scenario "${scenario}"; choose one of: ${SCENARIO_NAMES.join(", ")}`);
    process.exit(2);
  }
  const port = Number(process.env.SIM_PORT ?? 4566);
  console.log(`Building scenario ${scenario} on port ${port}…`);
  const sim = await startSimulator({ port, scenario });
  console.log(`\nAWS_ENDPOINT_URL=${sim.endpoint}`);
  console.log("(with AWS_REGION=us-east-1 and any access key; events: GET /_sim/events?after=0)\n");
  if (sim.scenario) console.log(reportLines(sim.scenario).join("\n"));
  console.log("\nServing until Ctrl-C.");
  const shutdown = async (signal: string) => {
    console.log(`\n${signal}: stopping the simulator.`);
    await sim.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
