import type { Mode } from "../core/config.ts";
import type { PlannedAction } from "../core/model/planned-action.ts";
import type { ActionExecutor, ExecutedAction } from "../core/ports/action-executor.ts";

/**
 * The executor of CLI passes: it keeps every planned action, in the order the reconciler decided
 * them, and sends nothing anywhere. It holds no EC2 client at all, so a plan cannot change the
 * account even if its configuration were wrong; anything asked in `enforce` comes back `suppressed`.
 */
export class RecordingExecutor implements ActionExecutor {
  private readonly recorded: PlannedAction[] = [];

  /** Every action planned so far. */
  public get planned(): readonly PlannedAction[] {
    return this.recorded;
  }

  public async execute(actions: readonly PlannedAction[], mode: Mode): Promise<ExecutedAction[]> {
    this.recorded.push(...actions);
    return actions.map((action) =>
      mode === "dry-run"
        ? { action, outcome: "dry-run" }
        : { action, outcome: "suppressed", detail: "the branchkeeper CLI never changes anything" },
    );
  }
}
