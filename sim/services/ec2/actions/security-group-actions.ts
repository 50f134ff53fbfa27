import { missingParameter } from "../../../protocol/sim-error.ts";
import type { QueryAction } from "../../query-service.ts";
import { tagSpecificationParameters } from "../cloudtrail-shapes.ts";
import { notFound, SECURITY_GROUP } from "../resource-ids.ts";
import type { SecurityGroup } from "../security-groups.ts";
import { parseTagSpecifications, tagItems, tagsForResource } from "../tags.ts";
import { securityGroupShape } from "../xml-shapes.ts";
import { describePage, type Ec2ActionContext, mutatingAction, readAction } from "./action-kit.ts";

/** Groups named by `GroupName.N` (any VPC); every name must exist. */
const groupsByName = ({ ec2 }: Ec2ActionContext, names: readonly string[]): SecurityGroup[] => {
  const found: SecurityGroup[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const matches = [...ec2.securityGroups.groups.values()].filter((group) => group.name === name);
    if (matches.length === 0) missing.push(name);
    found.push(...matches);
  }
  if (missing.length > 0) throw notFound(SECURITY_GROUP, missing);
  return found;
};

/** The group a DeleteSecurityGroup names by id, or by a name unique in the account. */
const targetGroup = (context: Ec2ActionContext): SecurityGroup => {
  const groupId = context.params.get("GroupId");
  if (groupId) return context.ec2.securityGroups.require(groupId);
  const name = context.params.get("GroupName");
  if (!name) throw missingParameter("GroupId");
  const [group] = groupsByName(context, [name]);
  if (!group) throw notFound(SECURITY_GROUP, [name]);
  return group;
};

/** CreateSecurityGroup, DeleteSecurityGroup, DescribeSecurityGroups. */
export const securityGroupActions: Record<string, QueryAction> = {
  CreateSecurityGroup: mutatingAction({
    requestParameters: (params) => ({
      groupName: params.get("GroupName"),
      groupDescription: params.get("GroupDescription"),
      ...(params.get("VpcId") ? { vpcId: params.get("VpcId") } : {}),
      ...tagSpecificationParameters(params),
    }),
    run: ({ params, ec2 }) => {
      const group = ec2.securityGroups.create({
        vpcId: params.get("VpcId"),
        groupName: params.get("GroupName"),
        description: params.get("GroupDescription"),
        tags: tagsForResource(parseTagSpecifications(params), "security-group"),
      });
      const securityGroupArn = ec2.securityGroups.arn(group.id);
      return {
        result: { return: true, groupId: group.id, tagSet: tagItems(group.tags), securityGroupArn },
        responseElements: { _return: true, groupId: group.id, securityGroupArn },
      };
    },
  }),

  DeleteSecurityGroup: mutatingAction({
    requestParameters: (params) =>
      params.get("GroupId") ? { groupId: params.get("GroupId") } : { groupName: params.get("GroupName") },
    run: (context) => {
      const group = context.ec2.securityGroups.delete(targetGroup(context).id);
      return { result: { return: true, groupId: group.id }, responseElements: { _return: true, groupId: group.id } };
    },
  }),

  DescribeSecurityGroups: readAction((context) => {
    const { params, ec2 } = context;
    const page = describePage({
      params,
      action: "DescribeSecurityGroups",
      collection: ec2.securityGroups.groups,
      schema: ec2.securityGroups.filters,
      paging: { min: 5, max: 1000, exclusiveIdsParameter: "GroupIds" },
      ids: params.list("GroupId"),
      kind: SECURITY_GROUP,
      extraCandidates: groupsByName(context, params.list("GroupName")).map((group) => group.id),
    });
    return {
      securityGroupInfo: page.items.map((group) => securityGroupShape(ec2, group)),
      nextToken: page.nextToken,
    };
  }),
};
