import type { CliIo } from "./cli-io.ts";
import { ProgressLine } from "./progress-line.ts";
import type { Redactor } from "./redactor.ts";

/**
 * The CLI's only way to print: stdout for results, stderr for diagnostics and progress. Every line
 * passes through the redactor, so no code path can print a credential by accident.
 */
export class Terminal {
  private readonly progressLine: ProgressLine;

  public constructor(
    private readonly io: CliIo,
    private readonly redactor: Redactor,
    options: { readonly progress: boolean },
  ) {
    this.progressLine = new ProgressLine(io.stderr, options.progress && io.stderr.isTTY === true);
  }

  /** Width available for tables on stdout; undefined when stdout is not a terminal (no wrapping then). */
  public get width(): number | undefined {
    return this.io.stdout.isTTY === true ? this.io.stdout.columns : undefined;
  }

  /** Print result lines on stdout. */
  public out(...lines: readonly string[]): void {
    for (const line of lines) this.io.stdout.write(`${this.redactor.redact(line)}\n`);
  }

  /** Print diagnostic lines on stderr, after taking the progress line away. */
  public err(...lines: readonly string[]): void {
    this.progressLine.clear();
    for (const line of lines) this.io.stderr.write(`${this.redactor.redact(line)}\n`);
  }

  /** Show or replace the progress line (a no-op unless enabled and stderr is a TTY). */
  public progress(text: string): void {
    this.progressLine.update(this.redactor.redact(text));
  }

  public endProgress(): void {
    this.progressLine.clear();
  }
}
