import { actionTarget, type PlannedAction } from "../core/model/planned-action.ts";

/** One planned action as reports show it: the audit log's shape, without time and outcome. */
export interface ReportedAction {
  readonly cluster: string;
  readonly kind: PlannedAction["kind"];
  readonly target: string;
  readonly reason: string;
}

export const reportedAction = (action: PlannedAction): ReportedAction => ({
  cluster: action.cluster,
  kind: action.kind,
  target: actionTarget(action),
  reason: action.reason,
});
