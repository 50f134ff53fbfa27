import { invalidParameterValue, SimError } from "../../../protocol/sim-error.ts";
import type { QueryAction } from "../../query-service.ts";
import { cloudTrailShape, groupIdSet, tagSpecificationParameters } from "../cloudtrail-shapes.ts";
import { NETWORK_INTERFACE } from "../resource-ids.ts";
import { parseTagSpecifications, tagsForResource } from "../tags.ts";
import { networkInterfaceShape } from "../xml-shapes.ts";
import { describePage, mutatingAction, readAction } from "./action-kit.ts";

const PERMISSIONS = new Set(["INSTANCE-ATTACH", "EIP-ASSOCIATE"]);

/** The attribute a ModifyNetworkInterfaceAttribute call changes (EC2 takes exactly one). */
const MODIFIABLE = ["SecurityGroupId", "Description", "SourceDestCheck", "Attachment"] as const;

/**
 * CreateNetworkInterface, DeleteNetworkInterface, DescribeNetworkInterfaces,
 * Attach/DetachNetworkInterface, ModifyNetworkInterfaceAttribute, CreateNetworkInterfacePermission.
 */
export const networkInterfaceActions: Record<string, QueryAction> = {
  CreateNetworkInterface: mutatingAction({
    requestParameters: (params) => ({
      subnetId: params.get("SubnetId"),
      ...(params.get("Description") === undefined ? {} : { description: params.get("Description") }),
      groupSet: groupIdSet(params.list("SecurityGroupId")),
      ...(params.get("PrivateIpAddress") ? { privateIpAddress: params.get("PrivateIpAddress") } : {}),
      privateIpAddressesSet: {},
      ...(params.get("SecondaryPrivateIpAddressCount")
        ? { secondaryPrivateIpAddressCount: params.int("SecondaryPrivateIpAddressCount") }
        : {}),
      ...(params.get("InterfaceType") ? { interfaceType: params.get("InterfaceType") } : {}),
      ...tagSpecificationParameters(params),
      ...(params.get("ClientToken") ? { clientToken: params.get("ClientToken") } : {}),
    }),
    run: ({ params, ec2 }) => {
      const addresses = params.structList("PrivateIpAddresses");
      if (addresses.length > 1) {
        throw invalidParameterValue("Only the primary address can be named; use SecondaryPrivateIpAddressCount.");
      }
      const privateIp = params.get("PrivateIpAddress") ?? addresses[0]?.get("PrivateIpAddress");
      const secondaryCount = params.int("SecondaryPrivateIpAddressCount");
      const interfaceType = params.get("InterfaceType");
      const description = params.get("Description");
      const clientToken = params.get("ClientToken");
      const eni = ec2.networkInterfaces.create({
        subnetId: params.required("SubnetId"),
        groupIds: params.list("SecurityGroupId"),
        tags: tagsForResource(parseTagSpecifications(params), "network-interface"),
        ...(description === undefined ? {} : { description }),
        ...(privateIp ? { privateIpAddress: privateIp } : {}),
        ...(secondaryCount === undefined ? {} : { secondaryPrivateIpAddressCount: secondaryCount }),
        ...(interfaceType ? { interfaceType } : {}),
        ...(clientToken ? { clientToken } : {}),
      });
      // EC2 answers a new interface as `pending`; Describe shows it `available` right after.
      const shape = networkInterfaceShape(ec2, eni, "pending");
      return {
        result: { networkInterface: shape, clientToken },
        responseElements: { networkInterface: cloudTrailShape(shape), ...(clientToken ? { clientToken } : {}) },
      };
    },
  }),

  DeleteNetworkInterface: mutatingAction({
    requestParameters: (params) => ({ networkInterfaceId: params.get("NetworkInterfaceId") }),
    run: ({ params, ec2 }) => {
      ec2.networkInterfaces.delete(params.required("NetworkInterfaceId"));
      return { result: { return: true } };
    },
  }),

  DescribeNetworkInterfaces: readAction(({ params, ec2 }) => {
    const page = describePage({
      params,
      action: "DescribeNetworkInterfaces",
      collection: ec2.networkInterfaces.enis,
      schema: ec2.networkInterfaces.filters,
      paging: { min: 5, max: 1000, exclusiveIdsParameter: "NetworkInterfaceIds" },
      ids: params.list("NetworkInterfaceId"),
      kind: NETWORK_INTERFACE,
    });
    return {
      networkInterfaceSet: page.items.map((eni) => networkInterfaceShape(ec2, eni)),
      nextToken: page.nextToken,
    };
  }),

  AttachNetworkInterface: mutatingAction({
    requestParameters: (params) => ({
      networkInterfaceId: params.get("NetworkInterfaceId"),
      instanceId: params.get("InstanceId"),
      deviceIndex: params.int("DeviceIndex"),
    }),
    run: ({ params, ec2 }) => {
      const eni = ec2.networkInterfaces.attach(
        params.required("NetworkInterfaceId"),
        params.required("InstanceId"),
        params.int("DeviceIndex"),
      );
      const attachmentId = eni.attachment?.attachmentId;
      return {
        result: { attachmentId, networkCardIndex: 0 },
        responseElements: { attachmentId, networkCardIndex: 0 },
      };
    },
  }),

  DetachNetworkInterface: mutatingAction({
    requestParameters: (params) => ({
      attachmentId: params.get("AttachmentId"),
      ...(params.get("Force") === undefined ? {} : { force: params.bool("Force") }),
    }),
    run: ({ params, ec2 }) => {
      ec2.networkInterfaces.detach(params.required("AttachmentId"));
      return { result: { return: true } };
    },
  }),

  ModifyNetworkInterfaceAttribute: mutatingAction({
    requestParameters: (params) => ({
      networkInterfaceId: params.get("NetworkInterfaceId"),
      ...(params.list("SecurityGroupId").length > 0 ? { groupSet: groupIdSet(params.list("SecurityGroupId")) } : {}),
      ...(params.get("Description.Value") === undefined
        ? {}
        : { description: { value: params.get("Description.Value") } }),
      ...(params.get("SourceDestCheck.Value") === undefined
        ? {}
        : { sourceDestCheck: { value: params.bool("SourceDestCheck.Value") } }),
      ...(params.get("Attachment.AttachmentId") === undefined
        ? {}
        : {
            attachment: {
              attachmentId: params.get("Attachment.AttachmentId"),
              deleteOnTermination: params.bool("Attachment.DeleteOnTermination"),
            },
          }),
    }),
    run: ({ params, ec2 }) => {
      const eniId = params.required("NetworkInterfaceId");
      const named = MODIFIABLE.filter((name) => params.struct(name).entries().length > 0);
      if (named.length === 0) throw new SimError("InvalidParameterCombination", "No attributes specified.");
      if (named.length > 1) {
        throw new SimError(
          "InvalidParameterCombination",
          `Fields for multiple attribute types specified: ${named.join(", ")}`,
        );
      }
      const enis = ec2.networkInterfaces;
      switch (named[0]) {
        case "SecurityGroupId":
          enis.setGroups(eniId, params.list("SecurityGroupId"));
          break;
        case "Description":
          enis.setDescription(eniId, params.get("Description.Value") ?? "");
          break;
        case "SourceDestCheck":
          enis.setSourceDestCheck(eniId, params.bool("SourceDestCheck.Value") ?? true);
          break;
        case "Attachment":
          enis.setDeleteOnTermination(
            eniId,
            params.required("Attachment.AttachmentId"),
            params.bool("Attachment.DeleteOnTermination") ?? false,
          );
          break;
      }
      return { result: { return: true } };
    },
  }),

  CreateNetworkInterfacePermission: mutatingAction({
    requestParameters: (params) => ({
      networkInterfaceId: params.get("NetworkInterfaceId"),
      permission: params.get("Permission"),
      ...(params.get("AwsAccountId") ? { awsAccountId: params.get("AwsAccountId") } : {}),
      ...(params.get("AwsService") ? { awsService: params.get("AwsService") } : {}),
    }),
    run: ({ params, ec2, caller }) => {
      const eni = ec2.networkInterfaces.require(params.required("NetworkInterfaceId"));
      const permission = params.required("Permission");
      if (!PERMISSIONS.has(permission)) {
        throw invalidParameterValue(`Value (${permission}) for parameter permission is invalid.`);
      }
      const awsService = params.get("AwsService");
      const shape = {
        networkInterfacePermissionId: ec2.newId("eni-perm"),
        networkInterfaceId: eni.id,
        awsAccountId: awsService ? undefined : (params.get("AwsAccountId") ?? caller.accountId),
        awsService,
        permission,
        permissionState: { state: "GRANTED" },
      };
      return {
        result: { interfacePermission: shape },
        responseElements: { interfacePermission: cloudTrailShape(shape) },
      };
    },
  }),
};
