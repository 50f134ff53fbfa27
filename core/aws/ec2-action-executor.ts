import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DeleteNetworkInterfaceCommand,
  DeleteTagsCommand,
  DisassociateTrunkInterfaceCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import type { Mode } from "../config.ts";
import type { ActionOutcome } from "../model/action-record.ts";
import type { DesiredRule, PlannedAction } from "../model/planned-action.ts";
import { LBC_RULE_DESCRIPTION, TAGGED_BY_VALUE, TAGS } from "../model/tags.ts";
import type { ActionExecutor, ExecutedAction, ExecuteOptions } from "../ports/action-executor.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import { chunks } from "./chunks.ts";
import type { MutationPacer } from "./mutation-pacer.ts";
import { AwsCallError, classifyError, type ErrorKind } from "./sdk-errors.ts";

/** Value of the cluster tag Branchkeeper writes: the SG is shared, not owned by the cluster. */
export const CLUSTER_TAG_VALUE = "shared";

/**
 * CreateTags/DeleteTags take up to 1000 resource ids; AWS recommends smaller batches, and a smaller
 * batch keeps the per-id fallback after a failed batch cheap.
 */
export const TAG_RESOURCES_PER_CALL = 200;

type Kind = PlannedAction["kind"];
type Of<K extends Kind> = Extract<PlannedAction, { kind: K }>;

/** An action with its position in the caller's list. */
interface Item<K extends Kind = Kind> {
  readonly action: Of<K>;
  readonly index: number;
}

export interface Ec2ActionExecutorOptions {
  readonly clock?: Clock;
  /**
   * Attempts of DeleteNetworkInterface right after a disassociation, while EC2 still reports the
   * branch in use (the association is released asynchronously). Default 3.
   */
  readonly deleteAttemptsAfterDisassociation?: number;
  /** First wait between those attempts, doubled each time. Default 1000 ms. */
  readonly deleteRetryDelayMs?: number;
}

const ruleKey = (rule: DesiredRule) =>
  `${rule.groupId}|${rule.protocol}|${rule.fromPort}|${rule.toPort}|${rule.sourceGroupId}`;

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
};

/**
 * The `ActionExecutor` on EC2. In enforce mode it runs, in this order: authorizations (several rules
 * of one SG in one call), cluster tags (one CreateTags for many SGs), revocations (by rule id, one
 * call per SG), tag removals, then deletions (disassociate, then delete). Every call first passes the
 * shared `MutationPacer`; the SDK's standard retry strategy handles throttling underneath. A batch
 * that fails with a terminal error is retried one action at a time, so one bad id cannot fail the rest.
 */
export class Ec2ActionExecutor implements ActionExecutor {
  private readonly clock: Clock;
  private readonly deleteAttempts: number;
  private readonly deleteRetryDelayMs: number;

  public constructor(
    private readonly ec2: EC2Client,
    private readonly pacer: MutationPacer,
    options: Ec2ActionExecutorOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.deleteAttempts = Math.max(1, options.deleteAttemptsAfterDisassociation ?? 3);
    this.deleteRetryDelayMs = options.deleteRetryDelayMs ?? 1000;
  }

  public async execute(
    actions: readonly PlannedAction[],
    mode: Mode,
    options: ExecuteOptions = {},
  ): Promise<ExecutedAction[]> {
    if (mode === "dry-run") return actions.map((action) => ({ action, outcome: "dry-run" }));
    const results: (ExecutedAction | undefined)[] = new Array(actions.length).fill(undefined);
    const settle: Settle = (item, outcome, detail) => {
      results[item.index] = { action: item.action, outcome, ...(detail !== undefined ? { detail } : {}) };
    };

    const items = actions.map((action, index) => ({ action, index }));
    const only = <K extends Kind>(kind: K) => items.filter((i): i is Item<K> => i.action.kind === kind);
    const deletions = only("delete-eni");
    const allowed = options.maxDeletes === undefined ? deletions.length : Math.max(0, options.maxDeletes);
    for (const item of deletions.slice(allowed)) {
      settle(item, "suppressed", `the per-run cap of ${allowed} deletions was reached`);
    }

    await this.authorize(only("authorize-rule"), settle);
    await this.tag(only("tag-sg"), settle);
    await this.revoke(only("revoke-rule"), settle);
    await this.untag(only("untag-sg"), settle);
    for (const item of deletions.slice(0, allowed)) await this.deleteEni(item, settle);

    return results.map(
      (result, index) =>
        result ?? { action: actions[index] as PlannedAction, outcome: "failed", detail: "not executed" },
    );
  }

  private async authorize(items: Item<"authorize-rule">[], settle: Settle): Promise<void> {
    for (const [groupId, group] of groupBy(items, (i) => i.action.rule.groupId)) {
      await this.batch(
        group,
        "AuthorizeSecurityGroupIngress",
        ["duplicate"],
        async (batch) => {
          const rules = [...new Map(batch.map((i) => [ruleKey(i.action.rule), i.action.rule])).values()];
          const answer = await this.ec2.send(
            new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: rules.map(toPermission) }),
          );
          const ids = (answer.SecurityGroupRules ?? []).map((r) => r.SecurityGroupRuleId).filter(Boolean);
          return ids.length > 0 ? `rule ${ids.join(", ")}` : undefined;
        },
        settle,
      );
    }
  }

  private async tag(items: Item<"tag-sg">[], settle: Settle): Promise<void> {
    for (const [tagKey, group] of groupBy(items, (i) => i.action.tagKey)) {
      for (const part of chunkByResource(group, (i) => i.action.groupId)) {
        await this.batch(
          part,
          "CreateTags",
          [],
          async (batch) => {
            await this.ec2.send(
              new CreateTagsCommand({
                Resources: [...new Set(batch.map((i) => i.action.groupId))],
                Tags: [
                  { Key: tagKey, Value: CLUSTER_TAG_VALUE },
                  { Key: TAGS.taggedBy, Value: TAGGED_BY_VALUE },
                ],
              }),
            );
            return undefined;
          },
          settle,
        );
      }
    }
  }

  private async revoke(items: Item<"revoke-rule">[], settle: Settle): Promise<void> {
    for (const [groupId, group] of groupBy(items, (i) => i.action.rule.groupId)) {
      await this.batch(
        group,
        "RevokeSecurityGroupIngress",
        ["not-found"],
        async (batch) => {
          await this.ec2.send(
            new RevokeSecurityGroupIngressCommand({
              GroupId: groupId,
              SecurityGroupRuleIds: [...new Set(batch.map((i) => i.action.rule.ruleId))],
            }),
          );
          return undefined;
        },
        settle,
      );
    }
  }

  private async untag(items: Item<"untag-sg">[], settle: Settle): Promise<void> {
    for (const [tagKey, group] of groupBy(items, (i) => i.action.tagKey)) {
      for (const part of chunkByResource(group, (i) => i.action.groupId)) {
        await this.batch(
          part,
          "DeleteTags",
          ["not-found"],
          async (batch) => {
            // Keys only: the tag goes whatever its value; the marker goes with the tag it marked.
            await this.ec2.send(
              new DeleteTagsCommand({
                Resources: [...new Set(batch.map((i) => i.action.groupId))],
                Tags: [{ Key: tagKey }, { Key: TAGS.taggedBy }],
              }),
            );
            return undefined;
          },
          settle,
        );
      }
    }
  }

  /**
   * Send one batched call. `alreadyDone` lists the error kinds meaning "it is already so". A batch of
   * several that fails terminally is split into single calls, each judged on its own; a retryable
   * failure (throttling or 5xx after the SDK's retries) fails the batch without adding calls.
   */
  private async batch<K extends Kind>(
    batch: Item<K>[],
    operation: string,
    alreadyDone: readonly ErrorKind[],
    send: (batch: Item<K>[]) => Promise<string | undefined>,
    settle: Settle,
  ): Promise<void> {
    try {
      await this.pacer.acquire();
      const detail = await send(batch);
      for (const item of batch) settle(item, "succeeded", detail);
    } catch (error) {
      const { kind, retryable } = classifyError(error);
      if (batch.length > 1 && !retryable) {
        for (const item of batch) await this.batch([item], operation, alreadyDone, send, settle);
        return;
      }
      const outcome = alreadyDone.includes(kind) ? "already-done" : "failed";
      for (const item of batch) settle(item, outcome, new AwsCallError(operation, error).summary);
    }
  }

  private async deleteEni(item: Item<"delete-eni">, settle: Settle): Promise<void> {
    const { eniId, associationId } = item.action;
    if (associationId !== undefined) {
      try {
        await this.pacer.acquire();
        await this.ec2.send(new DisassociateTrunkInterfaceCommand({ AssociationId: associationId }));
      } catch (error) {
        // Already disassociated is what we wanted; anything else stops the deletion.
        if (classifyError(error).kind !== "not-found") {
          settle(item, "failed", new AwsCallError("DisassociateTrunkInterface", error).summary);
          return;
        }
      }
    }
    const attempts = associationId !== undefined ? this.deleteAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.pacer.acquire();
        await this.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }));
        settle(item, "succeeded");
        return;
      } catch (error) {
        const { kind } = classifyError(error);
        if (kind === "not-found") {
          settle(item, "already-done", new AwsCallError("DeleteNetworkInterface", error).summary);
          return;
        }
        if (kind !== "dependency" || attempt >= attempts) {
          settle(item, "failed", new AwsCallError("DeleteNetworkInterface", error).summary);
          return;
        }
        await this.clock.sleep(this.deleteRetryDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}

type Settle = (
  item: { readonly action: PlannedAction; readonly index: number },
  outcome: ActionOutcome,
  detail?: string,
) => void;

const toPermission = (rule: DesiredRule): IpPermission => ({
  IpProtocol: rule.protocol,
  FromPort: rule.fromPort,
  ToPort: rule.toPort,
  UserIdGroupPairs: [{ GroupId: rule.sourceGroupId, Description: LBC_RULE_DESCRIPTION }],
});

/** Split items so that each part names at most `TAG_RESOURCES_PER_CALL` distinct resources. */
const chunkByResource = <T>(items: readonly T[], resource: (item: T) => string): T[][] => {
  const byResource = groupBy(items, resource);
  return chunks([...byResource.values()], TAG_RESOURCES_PER_CALL).map((part) => part.flat());
};
