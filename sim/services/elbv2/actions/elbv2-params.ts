import type { QueryParams } from "../../../protocol/query-params.ts";
import { validationError } from "../elbv2-errors.ts";
import type { ListenerAction, RuleCondition } from "../elbv2-resources.ts";
import type { TargetInput } from "../elbv2-state.ts";
import { tagMap } from "../resource-tags.ts";

/** `Tags.member.N.{Key,Value}` as a map, duplicate keys refused. */
export const tagsParam = (params: QueryParams): Map<string, string> =>
  tagMap(params.structList("Tags.member").map((tag) => ({ Key: tag.get("Key"), Value: tag.get("Value") })));

/** `Targets.member.N.{Id,Port,AvailabilityZone}`. */
export const targetsParam = (params: QueryParams): TargetInput[] =>
  params.structList("Targets.member").map((target) => ({
    id: target.required("Id"),
    port: target.int("Port"),
    availabilityZone: target.get("AvailabilityZone"),
  }));

/** `<name>.member.N` actions: forward (by `TargetGroupArn` or `ForwardConfig`) or fixed-response. */
export const actionsParam = (params: QueryParams, name: "DefaultActions" | "Actions"): ListenerAction[] =>
  params.structList(`${name}.member`).map((action): ListenerAction => {
    const type = action.required("Type");
    const order = action.int("Order");
    if (type === "fixed-response") {
      const config = action.struct("FixedResponseConfig");
      return {
        type,
        order,
        targetGroups: [],
        fixedResponse: {
          statusCode: config.required("StatusCode"),
          contentType: config.get("ContentType"),
          messageBody: config.get("MessageBody"),
        },
      };
    }
    if (type !== "forward") throw validationError(`Action type '${type}' is not supported by the simulator`);
    const weighted = action
      .structList("ForwardConfig.TargetGroups.member")
      .map((tg) => ({ arn: tg.required("TargetGroupArn"), weight: tg.int("Weight") ?? 1 }));
    const single = action.get("TargetGroupArn");
    if (single && weighted.length > 0 && !(weighted.length === 1 && weighted[0]?.arn === single)) {
      throw validationError(
        "You cannot specify both a target group ARN and a forward config with different target groups",
      );
    }
    return { type, order, targetGroups: weighted.length > 0 ? weighted : single ? [{ arn: single, weight: 1 }] : [] };
  });

/** Condition configs that carry a plain `Values` list. */
const VALUE_CONFIGS = ["PathPatternConfig", "HostHeaderConfig", "HttpRequestMethodConfig", "SourceIpConfig"];

/**
 * `Conditions.member.N`: a field with `Values`, or with the values in its `<Field>Config`
 * (`PathPatternConfig`, …), the form the Load Balancer Controller sends.
 */
export const conditionsParam = (params: QueryParams): RuleCondition[] =>
  params.structList("Conditions.member").map((condition) => {
    const field = condition.required("Field");
    const values = [
      ...condition.memberList("Values"),
      ...VALUE_CONFIGS.flatMap((config) => condition.memberList(`${config}.Values`)),
    ];
    if (values.length === 0) throw validationError(`A condition on '${field}' must have at least one value`);
    return { field, values };
  });
