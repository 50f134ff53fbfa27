import { parseArgs } from "node:util";
import { MODES, type Mode } from "../../core/config.ts";

/** What one local run does; `npm start` builds it from its arguments and the environment. */
export interface LocalRunOptions {
  /** Replay, sweep (twice with a short grace), report, and stop; otherwise keep serving until stopped. */
  readonly once: boolean;
  /** Simulator port on 127.0.0.1; 0 picks a free one. A busy port falls back to a free one. */
  readonly port: number;
  /** Status API port on 127.0.0.1 (not served with `once`); 0 picks a free one. A busy port falls back too. */
  readonly apiPort: number;
  readonly mode: Mode;
  /** `LEAK_GRACE_SECONDS` of the run. */
  readonly graceSeconds: number;
  /** Seconds between sweeps after the first ones (served runs only). */
  readonly sweepEverySeconds: number;
  /**
   * Further Lambda environment (`CLUSTERS`, `RETAG`, `EC2_MUTATIONS_PER_SECOND`, …), passed to the
   * handlers unchanged; the handlers validate it.
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The command line of `npm start`, and whether to print JSON. */
export interface StartCommand {
  readonly options: LocalRunOptions;
  readonly json: boolean;
  readonly help: boolean;
}

/** An argument or variable `npm start` cannot use; the message says which and why. */
export class StartUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "StartUsageError";
  }
}

/** The contract's grace (DESIGN.md), used when neither `--grace` nor `LEAK_GRACE_SECONDS` says otherwise. */
const DEFAULT_GRACE_SECONDS = 600;
const DEFAULT_SWEEP_EVERY_SECONDS = 60;
const DEFAULT_SIM_PORT = 4566;
const DEFAULT_API_PORT = 8787;

/** The Lambda variables `npm start` passes through from its own environment (DESIGN.md "Environment"). */
const PASSED_THROUGH = [
  "CLUSTERS",
  "MAX_DELETES_PER_RUN",
  "EC2_MUTATIONS_PER_SECOND",
  "RETAG",
  "BACKEND_RULES",
  "NOTIFY_BUS_NAME",
] as const;

export const START_USAGE = `Usage: npm start [-- options]

Boots the simulated AWS account (demo scenario), replays its events through Branchkeeper's
EventBridge rules into the events function, sweeps, prints a report, serves the status API,
and keeps reconciling until Ctrl-C.

Options:
  --once               replay, sweep, report, and exit
  --json               print only the report, as JSON, on stdout
  --mode <mode>        dry-run (default, or MODE) or enforce
  --grace <seconds>    LEAK_GRACE_SECONDS (default 600); a short grace is waited out and swept again
  --sweep-every <s>    seconds between sweeps while serving (default 60)
  -h, --help           this text

Environment: SIM_PORT (4566), API_PORT (8787), MODE, LEAK_GRACE_SECONDS, and the Lambda variables
${PASSED_THROUGH.join(", ")}.`;

const isMode = (value: string): value is Mode => (MODES as readonly string[]).includes(value);

/** A whole number within bounds, or a usage error naming where it came from. */
const wholeNumber = (raw: string, source: string, min: number, max: number): number => {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new StartUsageError(`${source} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
};

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      once: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      mode: { type: "string" },
      grace: { type: "string" },
      "sweep-every": { type: "string" },
    },
  });

/**
 * Read `npm start`'s arguments and environment. Flags win over variables; every default is the
 * contract's (DESIGN.md), so a local run behaves as a fresh deployment would.
 * @throws StartUsageError for an unknown flag or a value out of range
 */
export const parseStartCommand = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StartCommand => {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new StartUsageError((error as Error).message);
  }
  const modeText = values.mode ?? env.MODE ?? "dry-run";
  if (!isMode(modeText)) {
    throw new StartUsageError(`${values.mode ? "--mode" : "MODE"} must be dry-run or enforce, not "${modeText}"`);
  }
  const graceText = values.grace ?? env.LEAK_GRACE_SECONDS;
  const environment = Object.fromEntries(
    PASSED_THROUGH.flatMap((name) => {
      const value = env[name];
      return value === undefined || value === "" ? [] : [[name, value]];
    }),
  );
  return {
    json: values.json,
    help: values.help,
    options: {
      once: values.once,
      mode: modeText,
      port: env.SIM_PORT ? wholeNumber(env.SIM_PORT, "SIM_PORT", 0, 65535) : DEFAULT_SIM_PORT,
      apiPort: env.API_PORT ? wholeNumber(env.API_PORT, "API_PORT", 0, 65535) : DEFAULT_API_PORT,
      graceSeconds: graceText
        ? wholeNumber(graceText, values.grace ? "--grace" : "LEAK_GRACE_SECONDS", 0, 365 * 86_400)
        : DEFAULT_GRACE_SECONDS,
      sweepEverySeconds: values["sweep-every"]
        ? wholeNumber(values["sweep-every"], "--sweep-every", 1, 86_400)
        : DEFAULT_SWEEP_EVERY_SECONDS,
      environment,
    },
  };
};
