import type { QueryAction } from "../../query-service.ts";
import { cloudTrailRequest, cloudTrailResponse } from "../cloudtrail-shape.ts";
import { validationError } from "../elbv2-errors.ts";
import { listenerXml } from "../elbv2-render.ts";
import { pageByMarker } from "../marker-paging.ts";
import { actionsParam, tagsParam } from "./elbv2-params.ts";

export const CreateListener: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    const tags = tagsParam(params);
    const { listener, created } = world.elbv2.createListener({
      loadBalancerArn: params.required("LoadBalancerArn"),
      protocol: params.get("Protocol"),
      port: params.int("Port"),
      defaultActions: actionsParam(params, "DefaultActions"),
      certificateArns: params.structList("Certificates.member").map((c) => c.required("CertificateArn")),
    });
    if (created && tags.size > 0) world.elbv2.tags.add(listener.arn, tags);
    const result = { Listeners: [listenerXml(listener)] };
    return { result, responseElements: cloudTrailResponse(result) };
  },
};

export const DescribeListeners: QueryAction = {
  mutating: false,
  run: ({ params, world }) => {
    const loadBalancerArn = params.get("LoadBalancerArn");
    const arns = params.memberList("ListenerArns");
    if ((loadBalancerArn === undefined) === (arns.length === 0)) {
      throw validationError("You must specify either listener ARNs or a load balancer ARN");
    }
    const elbv2 = world.elbv2;
    const listenersOf = (arn: string) => {
      const lb = elbv2.loadBalancer(arn);
      return elbv2.listeners().filter((l) => l.loadBalancerArn === lb.arn);
    };
    const selected =
      loadBalancerArn === undefined ? arns.map((arn) => elbv2.listener(arn)) : listenersOf(loadBalancerArn);
    const { page, nextMarker } = pageByMarker(selected, params);
    return { result: { Listeners: page.map(listenerXml), NextMarker: nextMarker } };
  },
};

export const DeleteListener: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    world.elbv2.deleteListener(params.required("ListenerArn"));
    return { result: {} };
  },
};
