import type { PassLog } from "../core/reconcile/reconciler.ts";
import type { Terminal } from "./terminal.ts";

const formatFields = (fields: Record<string, unknown> | undefined): string =>
  fields === undefined
    ? ""
    : ` (${Object.entries(fields)
        .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ")})`;

/**
 * The reconciler's log on the CLI's stderr: warnings and errors always (a failed describe makes the
 * plan partial, and the user must know), informational lines only with `--debug`. Counts problems so
 * the command can exit 1 on an incomplete result.
 */
export class CliPassLog implements PassLog {
  /** Warnings and errors logged so far. */
  public problems = 0;

  public constructor(
    private readonly terminal: Terminal,
    private readonly debug: boolean,
  ) {}

  public info(message: string, fields?: Record<string, unknown>): void {
    if (this.debug) this.terminal.err(`debug: ${message}${formatFields(fields)}`);
  }

  public warn(message: string, fields?: Record<string, unknown>): void {
    this.problems += 1;
    this.terminal.err(`warning: ${message}${formatFields(fields)}`);
  }

  public error(message: string, fields?: Record<string, unknown>): void {
    this.problems += 1;
    this.terminal.err(`error: ${message}${formatFields(fields)}`);
  }
}
