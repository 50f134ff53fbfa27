import type { Finding } from "../core/model/finding.ts";
import { actionTarget, type PlannedAction } from "../core/model/planned-action.ts";

/** True when a finding is about `id` or names it (a rule on a group, an ENI in a group's detail). */
export const findingMentions = (finding: Finding, id: string): boolean =>
  finding.resourceId === id || finding.resourceId.includes(id) || finding.detail.includes(id);

/** The groups an action changes or refers to. */
const actionGroups = (action: PlannedAction): string[] => {
  switch (action.kind) {
    case "delete-eni":
      return [];
    case "tag-sg":
    case "untag-sg":
      return [action.groupId];
    case "authorize-rule":
      return [action.rule.groupId, action.rule.sourceGroupId];
    case "revoke-rule":
      return [action.rule.groupId, ...(action.rule.sourceGroupId !== undefined ? [action.rule.sourceGroupId] : [])];
  }
};

/** True when an action targets `id`, changes or references it as a group, or gives it as its reason. */
export const actionMentions = (action: PlannedAction, id: string): boolean =>
  actionTarget(action) === id || actionGroups(action).includes(id) || action.reason.includes(id);
