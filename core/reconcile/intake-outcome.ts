import type { PassSummary } from "./pass-summary.ts";

/** What became of one event. */
export type IntakeOutcome =
  | { readonly kind: "unknown" | "ignored"; readonly eventId: string; readonly reason: string }
  /** Reconciled by a pass of its own, or by one it shared with other events of its batch (`summary` is shared then). */
  | { readonly kind: "reconciled"; readonly eventId: string; readonly reason: string; readonly summary: PassSummary };
