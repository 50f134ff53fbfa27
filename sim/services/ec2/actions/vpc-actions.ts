import type { QueryAction } from "../../query-service.ts";
import { cloudTrailShape, tagSpecificationParameters } from "../cloudtrail-shapes.ts";
import { SUBNET, VPC } from "../resource-ids.ts";
import { parseTagSpecifications, tagsForResource } from "../tags.ts";
import { subnetShape, vpcShape } from "../xml-shapes.ts";
import { describePage, mutatingAction, readAction } from "./action-kit.ts";

const PAGING = { min: 5, max: 1000 } as const;

/** CreateVpc, DescribeVpcs, CreateSubnet, DescribeSubnets. */
export const vpcActions: Record<string, QueryAction> = {
  CreateVpc: mutatingAction({
    requestParameters: (params) => ({
      cidrBlock: params.get("CidrBlock"),
      ...(params.get("InstanceTenancy") ? { instanceTenancy: params.get("InstanceTenancy") } : {}),
      amazonProvidedIpv6CidrBlock: params.bool("AmazonProvidedIpv6CidrBlock") ?? false,
      ...tagSpecificationParameters(params),
    }),
    run: ({ params, ec2 }) => {
      const tags = tagsForResource(parseTagSpecifications(params), "vpc");
      const tenancy = params.get("InstanceTenancy");
      const vpc = ec2.vpcs.createVpc({
        cidrBlock: params.required("CidrBlock"),
        tags,
        ...(tenancy ? { instanceTenancy: tenancy } : {}),
      });
      // EC2 answers a new VPC as `pending`; it is `available` by the time anyone describes it.
      const shape = vpcShape(ec2, vpc, "pending");
      return { result: { vpc: shape }, responseElements: { vpc: cloudTrailShape(shape) } };
    },
  }),

  DescribeVpcs: readAction(({ params, ec2 }) => {
    const page = describePage({
      params,
      action: "DescribeVpcs",
      collection: ec2.vpcs.vpcs,
      schema: ec2.vpcs.vpcFilters,
      paging: PAGING,
      ids: params.list("VpcId"),
      kind: VPC,
    });
    return { vpcSet: page.items.map((vpc) => vpcShape(ec2, vpc)), nextToken: page.nextToken };
  }),

  CreateSubnet: mutatingAction({
    requestParameters: (params) => ({
      vpcId: params.get("VpcId"),
      cidrBlock: params.get("CidrBlock"),
      ...(params.get("AvailabilityZone") ? { availabilityZone: params.get("AvailabilityZone") } : {}),
      ...tagSpecificationParameters(params),
    }),
    run: ({ params, ec2 }) => {
      const tags = tagsForResource(parseTagSpecifications(params), "subnet");
      const zone = params.get("AvailabilityZone");
      const subnet = ec2.vpcs.createSubnet({
        vpcId: params.required("VpcId"),
        cidrBlock: params.required("CidrBlock"),
        tags,
        ...(zone ? { availabilityZone: zone } : {}),
      });
      const shape = subnetShape(ec2, subnet);
      return { result: { subnet: shape }, responseElements: { subnet: cloudTrailShape(shape) } };
    },
  }),

  DescribeSubnets: readAction(({ params, ec2 }) => {
    const page = describePage({
      params,
      action: "DescribeSubnets",
      collection: ec2.vpcs.subnets,
      schema: ec2.vpcs.subnetFilters,
      paging: PAGING,
      ids: params.list("SubnetId"),
      kind: SUBNET,
    });
    return { subnetSet: page.items.map((subnet) => subnetShape(ec2, subnet)), nextToken: page.nextToken };
  }),
};
