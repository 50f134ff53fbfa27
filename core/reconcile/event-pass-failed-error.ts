import { hasErrors, type PassSummary } from "./pass-summary.ts";

/** A pass for events that did not complete: retryable, so SQS delivers its events again. */
export class EventPassFailedError extends Error {
  public readonly retryable = true;
  public readonly summary: PassSummary;

  public constructor(summary: PassSummary) {
    const errors = [...summary.errors, ...summary.clusters.flatMap((c) => c.errors.map((e) => `${c.cluster}: ${e}`))];
    super(`the pass for event ${summary.cause} did not complete: ${errors.join("; ")}`);
    this.name = "EventPassFailedError";
    this.summary = summary;
  }
}

/** The summary, or `EventPassFailedError` when the pass did not complete. */
export const completed = (summary: PassSummary): PassSummary => {
  if (hasErrors(summary)) throw new EventPassFailedError(summary);
  return summary;
};
