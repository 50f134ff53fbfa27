import type { QueryAction } from "../../query-service.ts";
import { cloudTrailShape } from "../cloudtrail-shapes.ts";
import { TRUNK_ASSOCIATION } from "../resource-ids.ts";
import { trunkAssociationShape } from "../xml-shapes.ts";
import { describePage, mutatingAction, readAction } from "./action-kit.ts";

/** AssociateTrunkInterface, DisassociateTrunkInterface, DescribeTrunkInterfaceAssociations. */
export const trunkActions: Record<string, QueryAction> = {
  AssociateTrunkInterface: mutatingAction({
    requestParameters: (params) => ({
      branchInterfaceId: params.get("BranchInterfaceId"),
      trunkInterfaceId: params.get("TrunkInterfaceId"),
      vlanId: params.int("VlanId"),
      ...(params.get("ClientToken") ? { clientToken: params.get("ClientToken") } : {}),
    }),
    run: ({ params, ec2 }) => {
      const clientToken = params.get("ClientToken");
      const association = ec2.trunks.associate({
        branchInterfaceId: params.get("BranchInterfaceId"),
        trunkInterfaceId: params.get("TrunkInterfaceId"),
        vlanId: params.int("VlanId"),
        ...(clientToken ? { clientToken } : {}),
      });
      const shape = trunkAssociationShape(association);
      return {
        result: { interfaceAssociation: shape, clientToken },
        responseElements: { interfaceAssociation: cloudTrailShape(shape), ...(clientToken ? { clientToken } : {}) },
      };
    },
  }),

  DisassociateTrunkInterface: mutatingAction({
    requestParameters: (params) => ({
      associationId: params.get("AssociationId"),
      ...(params.get("ClientToken") ? { clientToken: params.get("ClientToken") } : {}),
    }),
    run: ({ params, ec2 }) => {
      ec2.trunks.disassociate(params.required("AssociationId"));
      const clientToken = params.get("ClientToken");
      return { result: { return: true, clientToken } };
    },
  }),

  DescribeTrunkInterfaceAssociations: readAction(({ params, ec2 }) => {
    const page = describePage({
      params,
      action: "DescribeTrunkInterfaceAssociations",
      collection: ec2.trunks.associations,
      schema: ec2.trunks.filters,
      paging: { min: 5, max: 255 },
      ids: params.list("AssociationId"),
      kind: TRUNK_ASSOCIATION,
    });
    return { interfaceAssociationSet: page.items.map(trunkAssociationShape), nextToken: page.nextToken };
  }),
};
