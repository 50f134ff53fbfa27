import type { QueryAction } from "../../query-service.ts";
import { cloudTrailRequest } from "../cloudtrail-shape.ts";
import { targetHealthXml } from "../elbv2-render.ts";
import { targetsParam } from "./elbv2-params.ts";

export const RegisterTargets: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    world.elbv2.registerTargets(params.required("TargetGroupArn"), targetsParam(params));
    return { result: {} };
  },
};

export const DeregisterTargets: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    world.elbv2.deregisterTargets(params.required("TargetGroupArn"), targetsParam(params));
    return { result: {} };
  },
};

export const DescribeTargetHealth: QueryAction = {
  mutating: false,
  run: ({ params, world }) => {
    const descriptions = world.elbv2.describeTargetHealth(params.required("TargetGroupArn"), targetsParam(params));
    return { result: { TargetHealthDescriptions: descriptions.map(targetHealthXml) } };
  },
};
