import type { QueryParams } from "../../../protocol/query-params.ts";
import { missingParameter } from "../../../protocol/sim-error.ts";
import type { QueryAction } from "../../query-service.ts";
import { cloudTrailShape, ipPermissionsSet, itemSet, tagSpecificationParameters } from "../cloudtrail-shapes.ts";
import { parseRawPermissions, toRuleSpecs } from "../ip-permissions.ts";
import { SECURITY_GROUP_RULE } from "../resource-ids.ts";
import type { SecurityGroupRule } from "../security-group-rules.ts";
import { parseTagSpecifications, tagsForResource } from "../tags.ts";
import { revokedRuleShape, securityGroupRuleShape } from "../xml-shapes.ts";
import { describePage, type Ec2ActionContext, mutatingAction, readAction } from "./action-kit.ts";

/** The rule as CloudTrail lists it in `securityGroupRuleSet` of an Authorize answer. */
const trailRule = ({ ec2 }: Ec2ActionContext, rule: SecurityGroupRule) =>
  cloudTrailShape({
    groupOwnerId: ec2.accountId,
    groupId: rule.groupId,
    securityGroupRuleId: rule.id,
    isEgress: rule.isEgress,
    ipProtocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    cidrIpv4: rule.cidrIpv4,
    referencedGroupInfo: rule.referencedGroupId
      ? { groupId: rule.referencedGroupId, userId: ec2.accountId }
      : undefined,
    description: rule.description,
  });

const groupIdOf = (context: Ec2ActionContext): string => {
  const groupId = context.params.get("GroupId");
  if (groupId) return groupId;
  const name = context.params.get("GroupName");
  if (!name) throw missingParameter("GroupId");
  const group = [...context.ec2.securityGroups.groups.values()].find((candidate) => candidate.name === name);
  return group ? group.id : context.ec2.securityGroups.require(name).id;
};

const ruleChangeParameters = (params: QueryParams) => {
  const ruleIds = params.list("SecurityGroupRuleId");
  return {
    groupId: params.get("GroupId"),
    ...(ruleIds.length > 0
      ? { securityGroupRuleIds: itemSet(ruleIds.map((securityGroupRuleId) => ({ securityGroupRuleId }))) }
      : { ipPermissions: ipPermissionsSet(parseRawPermissions(params)) }),
  };
};

const authorize = (isEgress: boolean): QueryAction =>
  mutatingAction({
    requestParameters: (params) => ({ ...ruleChangeParameters(params), ...tagSpecificationParameters(params) }),
    run: (context) => {
      const { params, ec2 } = context;
      const specs = toRuleSpecs(parseRawPermissions(params));
      const tags = tagsForResource(parseTagSpecifications(params), "security-group-rule");
      const rules = ec2.rules.authorize(groupIdOf(context), isEgress, specs, tags);
      return {
        result: { return: true, securityGroupRuleSet: rules.map((rule) => securityGroupRuleShape(ec2, rule)) },
        responseElements: {
          _return: true,
          securityGroupRuleSet: itemSet(rules.map((rule) => trailRule(context, rule))),
        },
      };
    },
  });

const revoke = (isEgress: boolean): QueryAction =>
  mutatingAction({
    requestParameters: ruleChangeParameters,
    run: (context) => {
      const { params, ec2 } = context;
      const groupId = groupIdOf(context);
      const ruleIds = params.list("SecurityGroupRuleId");
      const revoked =
        ruleIds.length > 0
          ? ec2.rules.revokeByIds(groupId, isEgress, ruleIds)
          : ec2.rules.revoke(groupId, isEgress, toRuleSpecs(parseRawPermissions(params)));
      const shapes = revoked.map(revokedRuleShape);
      return {
        result: { return: true, revokedSecurityGroupRuleSet: shapes },
        responseElements: { _return: true, revokedSecurityGroupRuleSet: cloudTrailShape(shapes) },
      };
    },
  });

/** Authorize/Revoke SecurityGroupIngress/Egress and DescribeSecurityGroupRules. */
export const securityGroupRuleActions: Record<string, QueryAction> = {
  AuthorizeSecurityGroupIngress: authorize(false),
  AuthorizeSecurityGroupEgress: authorize(true),
  RevokeSecurityGroupIngress: revoke(false),
  RevokeSecurityGroupEgress: revoke(true),

  DescribeSecurityGroupRules: readAction(({ params, ec2 }) => {
    const page = describePage({
      params,
      action: "DescribeSecurityGroupRules",
      collection: ec2.rules.rules,
      schema: ec2.rules.filters,
      paging: { min: 5, max: 1000 },
      ids: params.list("SecurityGroupRuleId"),
      kind: SECURITY_GROUP_RULE,
    });
    return {
      securityGroupRuleSet: page.items.map((rule) => securityGroupRuleShape(ec2, rule)),
      nextToken: page.nextToken,
    };
  }),
};
