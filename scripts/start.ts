import { reportText } from "./local/report-text.ts";
import { runLocal } from "./local/run-local.ts";
import { parseStartCommand, START_USAGE, StartUsageError } from "./local/start-options.ts";

/**
 * `npm start [-- --once] [-- --json] [-- --mode enforce] [-- --grace <s>] [-- --sweep-every <s>]`:
 * Branchkeeper's events, sweep and status API functions on a simulated AWS account (the demo scenario),
 * with a report. See `START_USAGE` and the README's "Run it locally".
 */
const main = async (): Promise<number> => {
  const { options, json, help } = parseStartCommand(process.argv.slice(2), process.env);
  if (help) {
    console.log(START_USAGE);
    return 0;
  }
  // With --json, stdout carries the report and nothing else; progress goes to stderr.
  const progress = json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  progress(
    `Branchkeeper local run: MODE=${options.mode}` +
      (options.mode === "dry-run" ? " (nothing is changed in EC2; --mode enforce to act)" : " (EC2 is changed)") +
      `, LEAK_GRACE_SECONDS=${options.graceSeconds}`,
  );
  const run = await runLocal(options, progress);
  console.log(json ? JSON.stringify(run.report, null, 2) : reportText(run.report));
  if (options.once) return 0;

  progress(`\nServing until Ctrl-C: events every second, a sweep every ${options.sweepEverySeconds} s.`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  progress(`\n${signal}: finishing the round in progress, then stopping (again to stop at once).`);
  process.once(signal, () => process.exit(130));
  await run.stop();
  progress("Stopped.");
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StartUsageError) {
      console.error(`npm start: ${error.message}\n\n${START_USAGE}`);
      process.exit(2);
    }
    console.error(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
