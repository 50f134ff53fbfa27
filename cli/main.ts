import { parseArgs } from "node:util";
import { parseCommandLine } from "./arguments.ts";
import { CliError, EXIT, type ExitCode, UsageError } from "./cli-errors.ts";
import type { CliIo } from "./cli-io.ts";
import { explainCommand } from "./explain-command.ts";
import { HELP } from "./help-text.ts";
import { planCommand } from "./plan-command.ts";
import { type Redactor, redactorFor } from "./redactor.ts";
import { statusCommand } from "./status-command.ts";
import { Terminal } from "./terminal.ts";
import { packageVersion } from "./version.ts";

export type { CliIo, CliStream } from "./cli-io.ts";

type Command = (args: readonly string[], io: CliIo, redactor: Redactor) => Promise<ExitCode>;

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ["plan", planCommand],
  ["status", statusCommand],
  ["explain", explainCommand],
]);

/** The message of an error on one line: what the user needs to act on (its causes are in `--debug`). */
const oneLine = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const own = error instanceof CliError || error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
  return own.replace(/\s*\n\s*/g, " ");
};

/** The stack of an error and of its causes, for `--debug`. */
const stackOf = (error: unknown): string[] => {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (depth > 0) lines.push("caused by:");
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
};

/**
 * The `branchkeeper` command line: `main(process.argv.slice(2), { stdout, stderr, env })`. Returns
 * the exit status (0 success, 1 failure or incomplete result, 2 usage error) and never throws: every
 * failure becomes one line on stderr (with the stack only under `--debug`), credentials redacted.
 */
export const main = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  const redactor = redactorFor(io.env);
  const terminal = new Terminal(io, redactor, { progress: false });
  const debug = argv.includes("--debug");
  try {
    const [first, ...rest] = argv;
    const command = first === undefined ? undefined : COMMANDS.get(first);
    if (command !== undefined) return await command(rest, io, redactor);
    const { values, positionals } = parseCommandLine("main", () =>
      parseArgs({
        args: [...argv],
        options: {
          help: { type: "boolean", short: "h", default: false },
          version: { type: "boolean", short: "V", default: false },
          debug: { type: "boolean", default: false },
        },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (values.version) {
      terminal.out(packageVersion());
      return EXIT.ok;
    }
    if (values.help) {
      terminal.out(HELP.main);
      return EXIT.ok;
    }
    const [unknown] = positionals;
    throw new UsageError(unknown === undefined ? "no command given" : `unknown command ${JSON.stringify(unknown)}`);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command === undefined || error.command === "main" ? "--help" : `${error.command} --help`;
      terminal.err(`branchkeeper: ${error.message}`, `Run 'branchkeeper ${help}' for usage.`);
      return EXIT.usage;
    }
    terminal.err(`branchkeeper: error: ${oneLine(error)}`);
    if (debug) terminal.err(...stackOf(error));
    return EXIT.failure;
  }
};
