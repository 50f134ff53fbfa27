import type { ObserveProgress } from "../core/ports/account-observer.ts";

/** The progress line of an observation. */
export const progressText = (progress: ObserveProgress): string =>
  `observing: ${progress.pagesRead} pages read, ${progress.enisSeen} ENIs seen`;
