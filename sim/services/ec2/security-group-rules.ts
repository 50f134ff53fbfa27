import { SimError } from "../../protocol/sim-error.ts";
import type { Ec2State } from "./ec2-state.ts";
import { type FilterSchema, tagIndexers } from "./filters.ts";
import { IndexedCollection, type Stored } from "./indexed-collection.ts";
import { describeRule, type RuleSpec, ruleIdentity } from "./ip-permissions.ts";
import { notFound, resolveAll, SECURITY_GROUP, SECURITY_GROUP_RULE } from "./resource-ids.ts";

/** One security group rule: a protocol and port range from (or to) one CIDR or group. */
export interface SecurityGroupRule extends Stored, RuleSpec {
  readonly groupId: string;
  readonly isEgress: boolean;
  readonly tags: Map<string, string>;
}

/** EC2's default quota of inbound (and, separately, outbound) rules per security group. */
export const MAX_RULES_PER_DIRECTION = 60;

/** Security group rules (`sgr-…`), each one protocol/port range/source, indexed by group and by referenced group. */
export class SecurityGroupRuleManager {
  public readonly rules = new IndexedCollection<SecurityGroupRule>({
    group: (rule) => [rule.groupId],
    referencedGroup: (rule) => (rule.referencedGroupId ? [rule.referencedGroupId] : []),
    ...tagIndexers<SecurityGroupRule>(),
  });

  public constructor(private readonly state: Ec2State) {}

  /** Rules of a group (one direction, or both), in creation order. */
  public rulesOf(groupId: string, isEgress?: boolean): SecurityGroupRule[] {
    const found: SecurityGroupRule[] = [];
    for (const id of this.rules.lookup("group", groupId)) {
      const rule = this.rules.get(id);
      if (rule && (isEgress === undefined || rule.isEgress === isEgress)) found.push(rule);
    }
    return found.sort((a, b) => a.seq - b.seq);
  }

  /** Rules of other groups that name `groupId` as their source or destination. */
  public referencing(groupId: string): SecurityGroupRule[] {
    return [...this.rules.lookup("referencedGroup", groupId)]
      .map((id) => this.rules.get(id))
      .filter((rule): rule is SecurityGroupRule => rule !== undefined && rule.groupId !== groupId);
  }

  /**
   * Add rules all-or-nothing: any duplicate (of an existing rule or within the request) fails
   * with `InvalidPermission.Duplicate` and nothing is added.
   */
  public authorize(
    groupId: string,
    isEgress: boolean,
    specs: readonly RuleSpec[],
    tags: ReadonlyMap<string, string> = new Map(),
  ): SecurityGroupRule[] {
    this.state.securityGroups.require(groupId);
    const referenced = [...new Set(specs.flatMap((s) => (s.referencedGroupId ? [s.referencedGroupId] : [])))];
    resolveAll(SECURITY_GROUP, referenced, (id) => this.state.securityGroups.groups.get(id));
    const existing = this.rulesOf(groupId, isEgress);
    const seen = new Set(existing.map(ruleIdentity));
    for (const spec of specs) {
      const identity = ruleIdentity(spec);
      if (seen.has(identity)) {
        throw new SimError("InvalidPermission.Duplicate", `the specified rule "${describeRule(spec)}" already exists`);
      }
      seen.add(identity);
    }
    if (existing.length + specs.length > MAX_RULES_PER_DIRECTION) {
      throw new SimError(
        "RulesPerSecurityGroupLimitExceeded",
        "The maximum number of rules per security group has been reached.",
      );
    }
    return specs.map((spec) => this.insert(groupId, isEgress, spec, tags));
  }

  /** Add a rule without validation (default rules of new groups). */
  public insert(groupId: string, isEgress: boolean, spec: RuleSpec, tags: ReadonlyMap<string, string> = new Map()) {
    return this.rules.insert({
      ...spec,
      id: this.state.newId("sgr"),
      seq: this.state.nextSeq(),
      groupId,
      isEgress,
      tags: new Map(tags),
    });
  }

  /**
   * Remove rules matched by their properties (descriptions ignored). In a non-default VPC a single
   * unmatched rule fails the whole call with `InvalidPermission.NotFound` and nothing is removed.
   */
  public revoke(groupId: string, isEgress: boolean, specs: readonly RuleSpec[]): SecurityGroupRule[] {
    this.state.securityGroups.require(groupId);
    const byIdentity = new Map(this.rulesOf(groupId, isEgress).map((rule) => [ruleIdentity(rule), rule]));
    const matched = specs.map((spec) => byIdentity.get(ruleIdentity(spec)));
    if (matched.some((rule) => rule === undefined)) {
      throw new SimError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
    }
    const unique = [...new Set(matched as SecurityGroupRule[])];
    for (const rule of unique) this.rules.delete(rule.id);
    return unique;
  }

  /** Remove rules by id; ids of other groups or of the other direction count as unknown. */
  public revokeByIds(groupId: string, isEgress: boolean, ruleIds: readonly string[]): SecurityGroupRule[] {
    this.state.securityGroups.require(groupId);
    const rules = resolveAll(SECURITY_GROUP_RULE, ruleIds, (id) => {
      const rule = this.rules.get(id);
      return rule && rule.groupId === groupId && rule.isEgress === isEgress ? rule : undefined;
    });
    const unique = [...new Set(rules)];
    for (const rule of unique) this.rules.delete(rule.id);
    return unique;
  }

  /** Drop every rule of a deleted group. */
  public removeAllOf(groupId: string): void {
    for (const rule of this.rulesOf(groupId)) this.rules.delete(rule.id);
  }

  public require(ruleId: string): SecurityGroupRule {
    const rule = this.rules.get(ruleId);
    if (!rule) throw notFound(SECURITY_GROUP_RULE, [ruleId]);
    return rule;
  }

  public readonly filters: FilterSchema<SecurityGroupRule> = {
    tags: (rule) => rule.tags,
    fields: {
      "group-id": { values: (rule) => rule.groupId, index: "group" },
      "security-group-rule-id": { values: (rule) => rule.id },
    },
  };
}
