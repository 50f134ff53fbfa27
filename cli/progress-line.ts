import type { CliStream } from "./cli-io.ts";

/** Erase from the cursor to the end of the line (ANSI). */
const CLEAR_TO_END = "\x1b[K";

/**
 * One line on a terminal that keeps being rewritten in place (`\r`), e.g. pages read so far. Shown
 * only on a TTY: when stderr is a file or a pipe, progress would only be clutter in a log.
 */
export class ProgressLine {
  private shown = false;

  public constructor(
    private readonly stream: CliStream,
    private readonly enabled: boolean,
  ) {}

  public update(text: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r${text}${CLEAR_TO_END}`);
    this.shown = true;
  }

  /** Remove the line, so that whatever is written next starts on a clean line. */
  public clear(): void {
    if (!this.shown) return;
    this.stream.write(`\r${CLEAR_TO_END}`);
    this.shown = false;
  }
}
