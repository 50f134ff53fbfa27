import { QueryService } from "../query-service.ts";
import { instanceActions } from "./actions/instance-actions.ts";
import { networkInterfaceActions } from "./actions/network-interface-actions.ts";
import { securityGroupActions } from "./actions/security-group-actions.ts";
import { securityGroupRuleActions } from "./actions/security-group-rule-actions.ts";
import { tagActions } from "./actions/tag-actions.ts";
import { trunkActions } from "./actions/trunk-actions.ts";
import { vpcActions } from "./actions/vpc-actions.ts";

/**
 * EC2 on the ec2Query protocol (API version 2016-11-15): VPCs, subnets, instances, network
 * interfaces, trunk associations, security groups and rules, and tags, over `world.ec2`.
 */
export const ec2Service = new QueryService({
  name: "ec2",
  protocol: "ec2Query",
  xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
  eventSource: "ec2.amazonaws.com",
  eventBridgeSource: "aws.ec2",
  actions: {
    ...vpcActions,
    ...instanceActions,
    ...networkInterfaceActions,
    ...trunkActions,
    ...securityGroupActions,
    ...securityGroupRuleActions,
    ...tagActions,
  },
  throttleCode: "RequestLimitExceeded",
  throttleStatus: 503,
  internalErrorCode: "InternalError",
  denyCode: "UnauthorizedOperation",
});
