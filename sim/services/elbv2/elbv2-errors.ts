import { SimError } from "../../protocol/sim-error.ts";

/** ELBv2's answer to a parameter that breaks a constraint (not modeled by the SDK: it raises `ValidationError`). */
export const validationError = (message: string): SimError => new SimError("ValidationError", message);

export const loadBalancerNotFound = (): SimError =>
  new SimError("LoadBalancerNotFound", "One or more load balancers not found");

export const targetGroupNotFound = (): SimError =>
  new SimError("TargetGroupNotFound", "One or more target groups not found");

export const listenerNotFound = (): SimError => new SimError("ListenerNotFound", "One or more listeners not found");

export const ruleNotFound = (): SimError => new SimError("RuleNotFound", "One or more rules not found");

export const invalidTarget = (message: string): SimError => new SimError("InvalidTarget", message);

export const resourceInUse = (message: string): SimError => new SimError("ResourceInUse", message);

/** `'a', 'b'`: how ELBv2 lists the offending ids in its messages. */
export const quoteAll = (ids: readonly string[]): string => ids.map((id) => `'${id}'`).join(", ");
