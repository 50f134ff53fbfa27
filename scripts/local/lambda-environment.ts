import { DEFAULT_REGION } from "../../sim/index.ts";
import type { LocalRunOptions } from "./start-options.ts";

/**
 * Branchkeeper's access key in the simulator. The simulator derives the caller's identity from it, so
 * Branchkeeper's calls appear in CloudTrail events as its own role, which is how the events function
 * recognises (and ignores) the echoes of its own mutations.
 */
export const BRANCHKEEPER_ACCESS_KEY_ID = "branchkeeper-reconciler";

/** The state table of local runs (the simulator starts empty, so one name is enough). */
export const LOCAL_TABLE_NAME = "branchkeeper-local";

/**
 * Powertools log level when none is set: warnings and errors only. Powertools writes them to stderr,
 * so stdout keeps nothing but the report (and stays pure JSON with `--json`).
 */
const QUIET_LOG_LEVEL = "WARN";

/**
 * The Lambda environment of the contract for a local run: the same variables a deployment sets,
 * pointed at the simulator.
 */
export const lambdaEnvironment = (
  endpoint: string,
  options: LocalRunOptions,
  inherited: Readonly<Record<string, string | undefined>>,
): Record<string, string> => ({
  ...options.environment,
  TABLE_NAME: LOCAL_TABLE_NAME,
  MODE: options.mode,
  LEAK_GRACE_SECONDS: String(options.graceSeconds),
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: DEFAULT_REGION,
  AWS_ACCESS_KEY_ID: BRANCHKEEPER_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: "local",
  // A profile or session token from the operator's shell would override the static key.
  AWS_PROFILE: "",
  AWS_SESSION_TOKEN: "",
  POWERTOOLS_METRICS_DISABLED: "true",
  POWERTOOLS_LOG_LEVEL: inherited.POWERTOOLS_LOG_LEVEL || QUIET_LOG_LEVEL,
});

/**
 * Set variables in `process.env` (the handlers read it on first use); an empty value removes the
 * variable. Returns a function restoring
 * what was there before, so in-process runs (tests) leave the environment as they found it.
 */
export const applyEnvironment = (variables: Readonly<Record<string, string>>): (() => void) => {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(variables)) {
    if (value === "") delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
};
