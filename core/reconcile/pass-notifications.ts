import type { EniTransition } from "../model/eni-record.ts";
import type { Finding } from "../model/finding.ts";
import type { PlannedAction } from "../model/planned-action.ts";
import type { ExecutedAction } from "../ports/action-executor.ts";
import type { Notification } from "../ports/notifier.ts";

/** `Branch ENI Leaked` for every ENI that entered `leaked` in this pass. */
export const leakedNotifications = (transitions: readonly EniTransition[]): Notification[] =>
  transitions
    .filter((t) => t.to === "leaked")
    .map((t) => ({
      type: "Branch ENI Leaked",
      detail: { cluster: t.cluster, eniId: t.eniId, reason: t.reason, cause: t.cause },
      resources: [t.eniId],
    }));

const describeAction = (action: PlannedAction): { type: Notification["type"]; resource: string } | undefined => {
  switch (action.kind) {
    case "delete-eni":
      return { type: "Branch ENI Deleted", resource: action.eniId };
    case "tag-sg":
    case "untag-sg":
      return { type: "Cluster Tag Changed", resource: action.groupId };
    case "authorize-rule":
      return { type: "Backend Rule Changed", resource: action.rule.groupId };
    case "revoke-rule":
      return { type: "Backend Rule Changed", resource: action.rule.groupId };
  }
};

/** One notification per mutation that EC2 accepted (dry-run and suppressed actions change nothing). */
export const changeNotifications = (executed: readonly ExecutedAction[]): Notification[] =>
  executed
    .filter((e) => e.outcome === "succeeded")
    .flatMap((e) => {
      const described = describeAction(e.action);
      if (!described) return [];
      return [
        {
          type: described.type,
          detail: {
            cluster: e.action.cluster,
            action: e.action.kind,
            reason: e.action.reason,
            ...(e.detail ? { detail: e.detail } : {}),
          },
          resources: [described.resource],
        },
      ];
    });

/** `Cluster Tag Conflict` for conflicts that were not already reported by an earlier pass. */
export const conflictNotifications = (findings: readonly Finding[], known: ReadonlySet<string>): Notification[] =>
  findings
    .filter((f) => f.kind === "cluster-tag-conflict" && !known.has(`${f.kind}:${f.resourceId}`))
    .map((f) => ({
      type: "Cluster Tag Conflict",
      detail: { cluster: f.cluster, resourceId: f.resourceId, detail: f.detail, action: f.action },
      resources: [f.resourceId],
    }));
