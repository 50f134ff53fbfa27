import { compileEventPattern } from "../../core/events/event-pattern-matcher.ts";
import type { SeededRandom } from "../../sim/scenarios/seeded-random.ts";
import { RULE_PATTERNS } from "../../stacks/event-patterns.ts";
import { between } from "./random-range.ts";

/**
 * Seconds from an event on the default bus to its message being visible on the events queue.
 * Instance state changes reach EventBridge within seconds; CloudTrail's API call events take longer
 * (CloudTrail → EventBridge is best effort, typically well under a minute). The queue's consumer
 * (batching window, batch size, concurrency) is modelled on top, in `SqsConsumer`.
 */
export interface DeliveryDelays {
  readonly stateChange: readonly [number, number];
  readonly cloudTrail: readonly [number, number];
}

export const DEFAULT_DELIVERY_DELAYS: DeliveryDelays = {
  stateChange: [1, 5],
  cloudTrail: [15, 60],
};

/** The stack's rules (`RULE_PATTERNS`), compiled: does any of them send this event to the queue? */
export const branchkeeperRules = (): ((event: unknown) => boolean) => {
  const rules = Object.values(RULE_PATTERNS).map((pattern) => compileEventPattern(pattern));
  return (event) => rules.some((matches) => matches(event));
};

/** Seconds until one event from the account's default bus is visible on the queue. */
export const deliveryDelay = (
  event: { readonly "detail-type"?: string },
  delays: DeliveryDelays,
  random: SeededRandom,
): number =>
  between(random, event["detail-type"] === "AWS API Call via CloudTrail" ? delays.cloudTrail : delays.stateChange);
