import { UsageError } from "./cli-errors.ts";

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h", default: false },
  debug: { type: "boolean", default: false },
} as const;

const isParseArgsError = (error: unknown): error is Error & { code: string } =>
  error instanceof Error &&
  "code" in error &&
  typeof error.code === "string" &&
  error.code.startsWith("ERR_PARSE_ARGS");

/** Run `node:util` `parseArgs`, turning its complaints into a `UsageError` of `command`. */
export const parseCommandLine = <R>(command: string, parse: () => R): R => {
  try {
    return parse();
  } catch (error) {
    if (isParseArgsError(error)) throw new UsageError(error.message, command, { cause: error });
    throw error;
  }
};

/** The value of an option restricted to `choices`, or undefined when the option was not given. */
export const choiceOf = <C extends string>(
  command: string,
  option: string,
  value: string | undefined,
  choices: readonly C[],
): C | undefined => {
  if (value === undefined) return undefined;
  const chosen = choices.find((choice) => choice === value);
  if (chosen === undefined) {
    throw new UsageError(`--${option} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`, command);
  }
  return chosen;
};

/** A whole number option within bounds, or `fallback` when not given. */
export const integerOf = (
  command: string,
  option: string,
  value: string | undefined,
  bounds: { readonly min: number; readonly max: number; readonly fallback: number },
): number => {
  if (value === undefined) return bounds.fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < bounds.min || parsed > bounds.max) {
    throw new UsageError(
      `--${option} must be a whole number from ${bounds.min} to ${bounds.max}, got ${value}`,
      command,
    );
  }
  return parsed;
};

/** A non-empty string option, or undefined when not given. */
export const nonEmpty = (command: string, option: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new UsageError(`--${option} must not be empty`, command);
  return value.trim();
};
