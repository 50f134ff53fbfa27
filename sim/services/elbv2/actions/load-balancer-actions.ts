import type { QueryAction } from "../../query-service.ts";
import { cloudTrailRequest, cloudTrailResponse } from "../cloudtrail-shape.ts";
import { loadBalancerNotFound, validationError } from "../elbv2-errors.ts";
import { loadBalancerXml } from "../elbv2-render.ts";
import { pageByMarker } from "../marker-paging.ts";
import { tagsParam } from "./elbv2-params.ts";

export const CreateLoadBalancer: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    const tags = tagsParam(params);
    const subnets = [
      ...params.memberList("Subnets"),
      ...params.structList("SubnetMappings.member").map((m) => m.required("SubnetId")),
    ];
    const { loadBalancer, created } = world.elbv2.createLoadBalancer({
      name: params.required("Name"),
      subnets,
      securityGroups: params.memberList("SecurityGroups"),
      scheme: params.get("Scheme"),
      type: params.get("Type"),
      ipAddressType: params.get("IpAddressType"),
    });
    if (created && tags.size > 0) world.elbv2.tags.add(loadBalancer.arn, tags);
    const result = { LoadBalancers: [loadBalancerXml(loadBalancer)] };
    return { result, responseElements: cloudTrailResponse(result) };
  },
};

export const DescribeLoadBalancers: QueryAction = {
  mutating: false,
  run: ({ params, world }) => {
    const arns = params.memberList("LoadBalancerArns");
    const names = params.memberList("Names");
    if (arns.length > 0 && names.length > 0) {
      throw validationError("Load balancer names and load balancer ARNs cannot be specified at the same time");
    }
    let selected = world.elbv2.loadBalancers();
    if (arns.length > 0) selected = arns.map((arn) => world.elbv2.loadBalancer(arn));
    if (names.length > 0) {
      selected = selected.filter((lb) => names.includes(lb.name));
      if (new Set(selected.map((lb) => lb.name)).size < new Set(names).size) throw loadBalancerNotFound();
    }
    const { page, nextMarker } = pageByMarker(selected, params);
    return { result: { LoadBalancers: page.map(loadBalancerXml), NextMarker: nextMarker } };
  },
};

export const DeleteLoadBalancer: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    world.elbv2.deleteLoadBalancer(params.required("LoadBalancerArn"));
    return { result: {} };
  },
};

export const SetSecurityGroups: QueryAction = {
  mutating: true,
  requestParameters: cloudTrailRequest,
  run: ({ params, world }) => {
    const lb = world.elbv2.setSecurityGroups(params.required("LoadBalancerArn"), params.memberList("SecurityGroups"));
    const result = { SecurityGroupIds: [...lb.securityGroups] };
    return { result, responseElements: cloudTrailResponse(result) };
  },
};
