import { compileEventPattern } from "../../core/events/event-pattern-matcher.ts";
import { RULE_PATTERNS, type RuleName } from "../../stacks/event-patterns.ts";

/** The rules whose pattern an event matches, as EventBridge would decide on the default bus. */
export type RuleRouter = (event: unknown) => RuleName[];

/**
 * Route events through the very patterns the stack deploys (`RULE_PATTERNS`), compiled once. An event
 * matching several rules is answered with each of them: every rule sends its own copy to the queue.
 */
export const ruleRouter = (): RuleRouter => {
  const rules = Object.entries(RULE_PATTERNS).map(([name, pattern]) => ({
    name: name as RuleName,
    matches: compileEventPattern(pattern),
  }));
  return (event) => rules.filter((rule) => rule.matches(event)).map((rule) => rule.name);
};
