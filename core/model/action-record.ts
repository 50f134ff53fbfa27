import type { Mode } from "../config.ts";
import type { ActionKind } from "./planned-action.ts";

/** How an action ended. */
export type ActionOutcome =
  /** Executed and EC2 accepted it. */
  | "succeeded"
  /** EC2 said it was already so (NotFound on delete, Duplicate on authorize): counts as done. */
  | "already-done"
  /** Dry-run: decided and recorded, not executed. */
  | "dry-run"
  /** Not executed: a safety rule held it back (re-describe no longer shows evidence, per-run cap, partial view). */
  | "suppressed"
  | "failed"
  /**
   * Written before the call (write-ahead) and replaced by the outcome after it. An entry still
   * `started` means the process stopped in between: EC2 may or may not have applied it, and the
   * next pass decides again from EC2's state.
   */
  | "started";

/** One entry of the audit log (`GET /v1/actions`). */
export interface ActionRecord {
  readonly id: string;
  readonly at: string;
  readonly kind: ActionKind;
  readonly cluster: string;
  readonly target: string;
  readonly mode: Mode;
  readonly outcome: ActionOutcome;
  readonly reason: string;
  /** Error code and message when `failed`, or what suppressed it. */
  readonly detail?: string;
}
