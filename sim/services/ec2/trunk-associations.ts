import { invalidParameterValue, missingParameter, SimError } from "../../protocol/sim-error.ts";
import type { Ec2State } from "./ec2-state.ts";
import type { FilterSchema } from "./filters.ts";
import { IndexedCollection, type Stored } from "./indexed-collection.ts";
import { branchCapacity, DEFAULT_BRANCH_CAPACITY } from "./instance-types.ts";
import type { NetworkInterface } from "./network-interfaces.ts";
import { resolveOne, TRUNK_ASSOCIATION } from "./resource-ids.ts";

/** A branch ENI associated to a trunk ENI on one VLAN. */
export interface TrunkAssociation extends Stored {
  readonly branchInterfaceId: string;
  readonly trunkInterfaceId: string;
  readonly vlanId: number;
  readonly interfaceProtocol: "VLAN";
}

/** What AssociateTrunkInterface takes. */
export interface AssociateTrunkInput {
  readonly branchInterfaceId: string | undefined;
  readonly trunkInterfaceId: string | undefined;
  readonly vlanId: number | undefined;
  readonly clientToken?: string;
}

/** VLAN ids the VPC resource controller hands out on a trunk. */
export const MIN_VLAN_ID = 1;
export const MAX_VLAN_ID = 120;

const vlanKey = (trunkId: string, vlanId: number) => `${trunkId}:${vlanId}`;

/** Branch ENIs associated to trunk ENIs over VLANs (security groups for pods). */
export class TrunkAssociationManager {
  public readonly associations = new IndexedCollection<TrunkAssociation>({
    trunk: (association) => [association.trunkInterfaceId],
    branch: (association) => [association.branchInterfaceId],
    vlan: (association) => [vlanKey(association.trunkInterfaceId, association.vlanId)],
  });
  private readonly clientTokens = new Map<string, string>();

  public constructor(private readonly state: Ec2State) {}

  /**
   * Associate a branch to a trunk on a VLAN. The branch becomes `in-use` without an attachment
   * and takes interface type `branch`. Fails for a used VLAN, an already associated or attached
   * branch, a trunk that is not of type `trunk`, or a trunk whose node has no branch capacity left.
   */
  public associate(input: AssociateTrunkInput): TrunkAssociation {
    const replay = input.clientToken ? this.clientTokens.get(input.clientToken) : undefined;
    const previous = replay === undefined ? undefined : this.associations.get(replay);
    if (previous) return previous;
    if (!input.branchInterfaceId) throw missingParameter("BranchInterfaceId");
    if (!input.trunkInterfaceId) throw missingParameter("TrunkInterfaceId");
    if (input.vlanId === undefined) throw missingParameter("VlanId");
    const { vlanId } = input;
    const branch = this.state.networkInterfaces.require(input.branchInterfaceId);
    const trunk = this.state.networkInterfaces.require(input.trunkInterfaceId);
    if (vlanId < MIN_VLAN_ID || vlanId > MAX_VLAN_ID) {
      throw invalidParameterValue(
        `Value (${vlanId}) for parameter vlanId is invalid. Valid values are ${MIN_VLAN_ID}-${MAX_VLAN_ID}.`,
      );
    }
    if (trunk.interfaceType !== "trunk") {
      throw invalidParameterValue(`Network interface ${trunk.id} is not a trunk interface.`);
    }
    if (branch.id === trunk.id || branch.interfaceType === "trunk") {
      throw invalidParameterValue(`Network interface ${branch.id} cannot be used as a branch interface.`);
    }
    if (branch.trunkAssociationId || branch.attachment) {
      throw new SimError("InvalidNetworkInterface.InUse", `Network interface '${branch.id}' is currently in use.`);
    }
    if (branch.vpcId !== trunk.vpcId) {
      throw new SimError("InvalidParameterCombination", "The branch and trunk interfaces must be in the same VPC.");
    }
    if (this.associations.lookup("vlan", vlanKey(trunk.id, vlanId)).size > 0) {
      throw invalidParameterValue(`VLAN ID ${vlanId} is already in use on trunk interface ${trunk.id}.`);
    }
    if (this.associations.lookup("trunk", trunk.id).size >= this.capacityOf(trunk)) {
      throw new SimError(
        "AttachmentLimitExceeded",
        `The maximum number of branch interfaces for trunk interface ${trunk.id} has been reached.`,
      );
    }
    const association = this.associations.insert({
      id: this.state.newId("trunk-assoc"),
      seq: this.state.nextSeq(),
      branchInterfaceId: branch.id,
      trunkInterfaceId: trunk.id,
      vlanId,
      interfaceProtocol: "VLAN",
    });
    this.state.networkInterfaces.enis.update(branch.id, (target) => {
      target.trunkAssociationId = association.id;
      target.interfaceType = "branch";
    });
    if (input.clientToken) this.clientTokens.set(input.clientToken, association.id);
    return association;
  }

  /** Remove an association; the branch becomes `available` (and stays of type `branch`). */
  public disassociate(associationId: string): TrunkAssociation {
    const association = resolveOne(TRUNK_ASSOCIATION, associationId, (id) => this.associations.get(id));
    this.remove(association);
    return association;
  }

  /** Every association of a trunk vanishes with it (instance termination deletes the trunk). */
  public removeAllOfTrunk(trunkId: string): void {
    for (const id of [...this.associations.lookup("trunk", trunkId)]) {
      const association = this.associations.get(id);
      if (association) this.remove(association);
    }
  }

  /** Branches the trunk's node can carry, from its instance type; unattached trunks get the default. */
  public capacityOf(trunk: NetworkInterface): number {
    const instanceId = trunk.attachment?.instanceId;
    const instance = instanceId === undefined ? undefined : this.state.instances.instances.get(instanceId);
    return instance ? branchCapacity(instance.instanceType) : DEFAULT_BRANCH_CAPACITY;
  }

  private remove(association: TrunkAssociation): void {
    this.associations.delete(association.id);
    const branch = this.state.networkInterfaces.enis.get(association.branchInterfaceId);
    if (branch?.trunkAssociationId === association.id) {
      this.state.networkInterfaces.enis.update(branch.id, (target) => {
        target.trunkAssociationId = undefined;
      });
    }
  }

  public readonly filters: FilterSchema<TrunkAssociation> = {
    fields: {
      "trunk-interface-association.association-id": { values: (a) => a.id },
      "trunk-interface-association.branch-interface-id": { values: (a) => a.branchInterfaceId, index: "branch" },
      "trunk-interface-association.trunk-interface-id": { values: (a) => a.trunkInterfaceId, index: "trunk" },
      "trunk-interface-association.vlan-id": { values: (a) => String(a.vlanId) },
      "trunk-interface-association.interface-protocol": { values: (a) => a.interfaceProtocol },
      "gre-key": { values: () => undefined },
      "interface-protocol": { values: (a) => a.interfaceProtocol },
      "vlan-id": { values: (a) => String(a.vlanId) },
    },
  };
}
