import { QueryService } from "../query-service.ts";
import { CreateListener, DeleteListener, DescribeListeners } from "./actions/listener-actions.ts";
import {
  CreateLoadBalancer,
  DeleteLoadBalancer,
  DescribeLoadBalancers,
  SetSecurityGroups,
} from "./actions/load-balancer-actions.ts";
import { CreateRule, DeleteRule, DescribeRules } from "./actions/rule-actions.ts";
import { AddTags, DescribeTags, RemoveTags } from "./actions/tag-actions.ts";
import { DeregisterTargets, DescribeTargetHealth, RegisterTargets } from "./actions/target-actions.ts";
import { CreateTargetGroup, DeleteTargetGroup, DescribeTargetGroups } from "./actions/target-group-actions.ts";

/**
 * Elastic Load Balancing v2 on the awsQuery protocol: load balancers, target groups, listeners,
 * rules, targets and tags. Mutations are recorded on the trail in CloudTrail's ELBv2 shape.
 */
export const elbv2Service = new QueryService({
  name: "elbv2",
  protocol: "awsQuery",
  xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
  eventSource: "elasticloadbalancing.amazonaws.com",
  eventBridgeSource: "aws.elasticloadbalancing",
  actions: {
    CreateLoadBalancer,
    DescribeLoadBalancers,
    DeleteLoadBalancer,
    SetSecurityGroups,
    CreateTargetGroup,
    DescribeTargetGroups,
    DeleteTargetGroup,
    CreateListener,
    DescribeListeners,
    DeleteListener,
    CreateRule,
    DescribeRules,
    DeleteRule,
    RegisterTargets,
    DeregisterTargets,
    DescribeTargetHealth,
    AddTags,
    RemoveTags,
    DescribeTags,
  },
  throttleCode: "Throttling",
  throttleStatus: 400,
  internalErrorCode: "InternalFailure",
  denyCode: "AccessDenied",
});
