import type { LeakEvidence } from "./leak-evidence.ts";
import type { SecurityGroupRule } from "./observed.ts";

/** The audit kinds of DESIGN.md's `/v1/actions`. */
export const ACTION_KINDS = ["delete-eni", "tag-sg", "untag-sg", "authorize-rule", "revoke-rule"] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

/** An ingress rule the LBC would want: from `sourceGroupId` to `groupId` on a port range. */
export interface DesiredRule {
  readonly groupId: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly sourceGroupId: string;
}

interface PlannedBase {
  readonly cluster: string;
  /** Why, in one sentence a person can read. */
  readonly reason: string;
}

/** A mutation a decision asks for; executed in enforce mode, only recorded in dry-run. */
export type PlannedAction =
  | (PlannedBase & {
      readonly kind: "delete-eni";
      readonly eniId: string;
      readonly evidence: LeakEvidence;
      /** Disassociate this trunk association first, when one still exists. */
      readonly associationId?: string;
    })
  | (PlannedBase & { readonly kind: "tag-sg"; readonly groupId: string; readonly tagKey: string })
  | (PlannedBase & { readonly kind: "untag-sg"; readonly groupId: string; readonly tagKey: string })
  | (PlannedBase & { readonly kind: "authorize-rule"; readonly rule: DesiredRule })
  | (PlannedBase & { readonly kind: "revoke-rule"; readonly rule: SecurityGroupRule });

/** The resource an action targets, as the audit log names it. */
export const actionTarget = (action: PlannedAction): string => {
  switch (action.kind) {
    case "delete-eni":
      return action.eniId;
    case "tag-sg":
    case "untag-sg":
      return action.groupId;
    case "authorize-rule":
      return `${action.rule.groupId}:${action.rule.protocol}:${action.rule.fromPort}-${action.rule.toPort}<-${action.rule.sourceGroupId}`;
    case "revoke-rule":
      return action.rule.ruleId;
  }
};
