import { invalidParameterValue, missingParameter, SimError } from "../../../protocol/sim-error.ts";
import type { QueryAction } from "../../query-service.ts";
import { cloudTrailShape, groupIdSet, itemSet, tagSpecificationParameters } from "../cloudtrail-shapes.ts";
import type { Instance } from "../instances.ts";
import { INSTANCE } from "../resource-ids.ts";
import { parseTagSpecifications, tagsForResource } from "../tags.ts";
import { instanceShape, instanceStateShape, reservationShape, type Shape } from "../xml-shapes.ts";
import { describePage, mutatingAction, readAction } from "./action-kit.ts";

/** Resource types RunInstances accepts in TagSpecification (volumes are accepted and not modelled). */
const RUN_TAGGABLE = ["instance", "network-interface", "volume"];

/** Instances of one page grouped into their reservations, in order of first appearance. */
const reservationsOf = (instances: readonly Instance[]): Map<string, Instance[]> => {
  const reservations = new Map<string, Instance[]>();
  for (const instance of instances) {
    reservations.set(instance.reservationId, [...(reservations.get(instance.reservationId) ?? []), instance]);
  }
  return reservations;
};

/** RunInstances, DescribeInstances, TerminateInstances. */
export const instanceActions: Record<string, QueryAction> = {
  RunInstances: mutatingAction({
    requestParameters: (params) => ({
      instancesSet: itemSet([
        { imageId: params.get("ImageId"), minCount: params.int("MinCount"), maxCount: params.int("MaxCount") },
      ]),
      ...(params.get("InstanceType") ? { instanceType: params.get("InstanceType") } : {}),
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      disableApiTermination: false,
      disableApiStop: false,
      ...(params.get("ClientToken") ? { clientToken: params.get("ClientToken") } : {}),
      ...(params.get("SubnetId") ? { subnetId: params.get("SubnetId") } : {}),
      ...(params.get("PrivateIpAddress") ? { privateIpAddress: params.get("PrivateIpAddress") } : {}),
      groupSet: groupIdSet(params.list("SecurityGroupId")),
      ...tagSpecificationParameters(params),
    }),
    run: ({ params, ec2 }) => {
      if (params.list("SecurityGroup").length > 0) {
        throw new SimError(
          "InvalidParameterCombination",
          "The parameter groupName cannot be used with the parameter subnet",
        );
      }
      if (params.structList("NetworkInterface").length > 0) {
        throw invalidParameterValue("NetworkInterface.N is not supported by this simulator; use SubnetId.");
      }
      const specs = parseTagSpecifications(params);
      const instanceType = params.get("InstanceType");
      const privateIp = params.get("PrivateIpAddress");
      const keyName = params.get("KeyName");
      const clientToken = params.get("ClientToken");
      const instances = ec2.instances.run({
        imageId: params.get("ImageId"),
        minCount: params.int("MinCount"),
        maxCount: params.int("MaxCount"),
        subnetId: params.get("SubnetId"),
        groupIds: params.list("SecurityGroupId"),
        instanceTags: tagsForResource(specs, "instance", RUN_TAGGABLE),
        networkInterfaceTags: tagsForResource(specs, "network-interface", RUN_TAGGABLE),
        ...(instanceType ? { instanceType } : {}),
        ...(privateIp ? { privateIpAddress: privateIp } : {}),
        ...(keyName ? { keyName } : {}),
        ...(clientToken ? { clientToken } : {}),
      });
      const first = instances[0];
      if (!first) throw missingParameter("MaxCount");
      // EC2 answers the launch with the instances still `pending`.
      const shape: Shape = {
        ...reservationShape(ec2, first.reservationId, []),
        instancesSet: instances.map((instance) => ({
          ...instanceShape(ec2, instance),
          instanceState: instanceStateShape("pending"),
        })),
      };
      return { result: shape, responseElements: cloudTrailShape(shape) as Record<string, unknown> };
    },
  }),

  DescribeInstances: readAction(({ params, ec2 }) => {
    const page = describePage({
      params,
      action: "DescribeInstances",
      collection: ec2.instances.instances,
      schema: ec2.instances.filters,
      paging: { min: 5, max: 1000, exclusiveIdsParameter: "InstanceIds" },
      ids: params.list("InstanceId"),
      kind: INSTANCE,
    });
    return {
      reservationSet: [...reservationsOf(page.items)].map(([reservationId, instances]) =>
        reservationShape(ec2, reservationId, instances),
      ),
      nextToken: page.nextToken,
    };
  }),

  TerminateInstances: mutatingAction({
    requestParameters: (params) => ({
      instancesSet: itemSet(params.list("InstanceId").map((instanceId) => ({ instanceId }))),
    }),
    run: ({ params, ec2 }) => {
      const ids = params.list("InstanceId");
      if (ids.length === 0) throw missingParameter("InstanceId");
      const changes = ec2.instances.terminate(ids).map((change) => ({
        instanceId: change.instance.id,
        currentState: instanceStateShape(change.current),
        previousState: instanceStateShape(change.previous),
      }));
      return { result: { instancesSet: changes }, responseElements: { instancesSet: cloudTrailShape(changes) } };
    },
  }),
};
