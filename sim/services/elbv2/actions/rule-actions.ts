import type { QueryAction } from "../../query-service.ts";
import { cloudTrailRequest, cloudTrailResponse } from "../cloudtrail-shape.ts";
import { validationError } from "../elbv2-errors.ts";
import { ruleXml } from "../elbv2-render.ts";
import { pageByMarker } from "../marker-paging.ts";
import { actionsParam, conditionsParam, tagsParam } from "./elbv2-params.ts";

export const CreateRule: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    const tags = tagsParam(params);
    const rule = world.elbv2.createRule({
      listenerArn: params.required("ListenerArn"),
      priority: params.int("Priority"),
      conditions: conditionsParam(params),
      actions: actionsParam(params, "Actions"),
    });
    if (tags.size > 0) world.elbv2.tags.add(rule.arn, tags);
    const result = { Rules: [ruleXml(rule)] };
    return { result, responseElements: cloudTrailResponse(result) };
  },
};

export const DescribeRules: QueryAction = {
  mutating: false,
  run: ({ params, world }) => {
    const listenerArn = params.get("ListenerArn");
    const arns = params.memberList("RuleArns");
    if ((listenerArn === undefined) === (arns.length === 0)) {
      throw validationError("You must specify either listener ARN or rule ARNs");
    }
    const rules =
      listenerArn === undefined ? arns.map((arn) => world.elbv2.rule(arn)) : world.elbv2.rulesOf(listenerArn);
    const { page, nextMarker } = pageByMarker(rules, params);
    return { result: { Rules: page.map(ruleXml), NextMarker: nextMarker } };
  },
};

export const DeleteRule: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    world.elbv2.deleteRule(params.required("RuleArn"));
    return { result: {} };
  },
};
