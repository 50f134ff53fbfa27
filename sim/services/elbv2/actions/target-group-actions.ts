import type { QueryAction } from "../../query-service.ts";
import { cloudTrailRequest, cloudTrailResponse } from "../cloudtrail-shape.ts";
import { targetGroupNotFound, validationError } from "../elbv2-errors.ts";
import { targetGroupXml } from "../elbv2-render.ts";
import { pageByMarker } from "../marker-paging.ts";
import { tagsParam } from "./elbv2-params.ts";

export const CreateTargetGroup: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    const tags = tagsParam(params);
    const { targetGroup, created } = world.elbv2.createTargetGroup({
      name: params.required("Name"),
      protocol: params.get("Protocol"),
      protocolVersion: params.get("ProtocolVersion"),
      port: params.int("Port"),
      vpcId: params.get("VpcId"),
      targetType: params.get("TargetType"),
      ipAddressType: params.get("IpAddressType"),
      healthCheckProtocol: params.get("HealthCheckProtocol"),
      healthCheckPort: params.get("HealthCheckPort"),
      healthCheckEnabled: params.bool("HealthCheckEnabled"),
      healthCheckPath: params.get("HealthCheckPath"),
      healthCheckIntervalSeconds: params.int("HealthCheckIntervalSeconds"),
      healthCheckTimeoutSeconds: params.int("HealthCheckTimeoutSeconds"),
      healthyThresholdCount: params.int("HealthyThresholdCount"),
      unhealthyThresholdCount: params.int("UnhealthyThresholdCount"),
      matcher: params.get("Matcher.HttpCode"),
    });
    if (created && tags.size > 0) world.elbv2.tags.add(targetGroup.arn, tags);
    const result = { TargetGroups: [targetGroupXml(targetGroup, world.elbv2.loadBalancerArnsOf(targetGroup.arn))] };
    return { result, responseElements: cloudTrailResponse(result) };
  },
};

export const DescribeTargetGroups: QueryAction = {
  mutating: false,
  run: ({ params, world }) => {
    const loadBalancerArn = params.get("LoadBalancerArn");
    const arns = params.memberList("TargetGroupArns");
    const names = params.memberList("Names");
    if ([loadBalancerArn !== undefined, arns.length > 0, names.length > 0].filter(Boolean).length > 1) {
      throw validationError("Specify only one of load balancer ARN, target group ARNs or target group names");
    }
    const elbv2 = world.elbv2;
    let selected = elbv2.targetGroups();
    if (loadBalancerArn !== undefined) {
      elbv2.loadBalancer(loadBalancerArn);
      selected = selected.filter((tg) => elbv2.loadBalancerArnsOf(tg.arn).includes(loadBalancerArn));
    }
    if (arns.length > 0) selected = arns.map((arn) => elbv2.targetGroup(arn));
    if (names.length > 0) {
      selected = selected.filter((tg) => names.includes(tg.name));
      if (new Set(selected.map((tg) => tg.name)).size < new Set(names).size) throw targetGroupNotFound();
    }
    const { page, nextMarker } = pageByMarker(selected, params);
    return {
      result: {
        TargetGroups: page.map((tg) => targetGroupXml(tg, elbv2.loadBalancerArnsOf(tg.arn))),
        NextMarker: nextMarker,
      },
    };
  },
};

export const DeleteTargetGroup: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    world.elbv2.deleteTargetGroup(params.required("TargetGroupArn"));
    return { result: {} };
  },
};
