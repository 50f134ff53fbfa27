import { parseArgs } from "node:util";
import { startSimulator } from "../sim/index.ts";
import { reportLines } from "../sim/scenarios/report-text.ts";

/**
 * `npm start [-- --once] [-- --json]`: until the reconciler exists, boot the simulator with the demo
 * scenario and print what is in it, then stay up (or exit with `--once`).
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: { once: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
  });
  // A one-shot run takes any free port, so it never collides with a simulator already serving.
  const port = values.once ? 0 : Number(process.env.SIM_PORT ?? 4566);
  const sim = await startSimulator({ port, scenario: "demo" });
  if (!sim.scenario) throw new Error("the demo scenario did not report");
  console.log(values.json ? JSON.stringify(sim.scenario, null, 2) : reportLines(sim.scenario).join("\n"));
  if (values.once) {
    await sim.stop();
    return;
  }
  console.log(`\nAWS_ENDPOINT_URL=${sim.endpoint}\nServing until Ctrl-C.`);
  const shutdown = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
