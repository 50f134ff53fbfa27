import type { Mode } from "../config.ts";
import type { ActionOutcome } from "../model/action-record.ts";
import type { PlannedAction } from "../model/planned-action.ts";

/** What became of one planned action. */
export interface ExecutedAction {
  readonly action: PlannedAction;
  readonly outcome: ActionOutcome;
  /** Error code and message when `failed`; the reason when `suppressed`; EC2's answer when useful (new rule id). */
  readonly detail?: string;
}

export interface ExecuteOptions {
  /**
   * Deletions allowed in this call; those beyond are `suppressed`. A last line of defence for
   * `MAX_DELETES_PER_RUN`: the orchestrator counts per run, the executor never exceeds what it is given.
   */
  readonly maxDeletes?: number;
}

/**
 * Executes planned EC2 mutations faithfully: no decisions, no re-describes. In `dry-run` nothing at
 * all is sent to EC2. In `enforce`, calls are batched where the API allows, paced, and authorizations
 * run before revocations (and tagging before untagging). Returns one result per action, in input order;
 * it never throws for an EC2 error, which becomes a `failed` outcome with its detail.
 */
export interface ActionExecutor {
  execute(actions: readonly PlannedAction[], mode: Mode, options?: ExecuteOptions): Promise<ExecutedAction[]>;
}
