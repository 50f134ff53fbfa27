/** What every benchmark part returns to `bench/run.ts`: its raw figures and its targets. */

/** One line of the results table: what was aimed at, what was measured, and whether it met the aim. */
export interface BenchTarget {
  readonly part: string;
  readonly target: string;
  readonly figure: string;
  /** Undefined when the figure is informative only (no pass/short verdict). */
  readonly pass?: boolean;
}

/** A part's result: raw data for `latest.json` and the lines for `latest.md`. */
export interface PartResult {
  readonly part: string;
  readonly data: unknown;
  readonly targets: readonly BenchTarget[];
  /** Sources and method (sizes, scales, what was estimated), listed under the table. */
  readonly notes?: readonly string[];
  /** How long the part took, in seconds (set by `bench/run.ts`). */
  readonly seconds?: number;
}

/** Options shared by every part. */
export interface BenchOptions {
  /** Run the largest sizes (`--full`). */
  readonly full: boolean;
  /** Account sizes (branch ENIs) to sweep, overriding the mode's default (`--sizes 1000,2000`). */
  readonly sizes?: readonly number[];
}
