import { invalidParameterValue, missingParameter, SimError } from "../../protocol/sim-error.ts";
import type { Ec2State } from "./ec2-state.ts";
import { type FilterSchema, tagIndexers } from "./filters.ts";
import { IndexedCollection, type Stored } from "./indexed-collection.ts";
import { INSTANCE, resolveAll } from "./resource-ids.ts";

/** EC2's instance lifecycle states. */
export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

/** EC2's numeric state codes (the low byte of `InstanceState.Code`). */
export const INSTANCE_STATE_CODES: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** An EC2 instance; its network identity stays recorded after termination (the API hides it). */
export interface Instance extends Stored {
  readonly reservationId: string;
  readonly imageId: string;
  readonly instanceType: string;
  state: InstanceStateName;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly privateIpAddress: string;
  readonly launchTime: Date;
  readonly amiLaunchIndex: number;
  readonly clientToken: string | undefined;
  readonly keyName: string | undefined;
  /** The launch's security groups (the primary ENI's, while it exists, are shown instead). */
  readonly groupIds: readonly string[];
  stateTransitionReason: string;
  stateReason: { readonly code: string; readonly message: string } | undefined;
  readonly tags: Map<string, string>;
}

/** What RunInstances takes (the subset the simulator models). */
export interface RunInstancesInput {
  readonly imageId: string | undefined;
  readonly instanceType?: string;
  readonly minCount: number | undefined;
  readonly maxCount: number | undefined;
  readonly subnetId: string | undefined;
  readonly groupIds?: readonly string[];
  readonly privateIpAddress?: string;
  readonly keyName?: string;
  readonly clientToken?: string;
  readonly instanceTags?: ReadonlyMap<string, string>;
  readonly networkInterfaceTags?: ReadonlyMap<string, string>;
}

/** One item of a TerminateInstances answer. */
export interface InstanceStateChange {
  readonly instance: Instance;
  readonly previous: InstanceStateName;
  readonly current: InstanceStateName;
}

/** EC2's default instance type when RunInstances names none. */
const DEFAULT_INSTANCE_TYPE = "m1.small";

const STATE_CHANGE = "EC2 Instance State-change Notification";

/** Instances: launch with a primary ENI, termination with EC2's network interface cascade. */
export class InstanceManager {
  public readonly instances = new IndexedCollection<Instance>({
    state: (instance) => [instance.state],
    reservation: (instance) => [instance.reservationId],
    ...tagIndexers<Instance>(),
  });
  private readonly clientTokens = new Map<string, string>();

  public constructor(private readonly state: Ec2State) {}

  /**
   * Launch `MaxCount` instances (at least `MinCount`, as many as the subnet has addresses for),
   * each with a primary ENI at device index 0 deleted on termination. They pass through
   * `pending` to `running` at once, and both state-change events are emitted.
   */
  public run(input: RunInstancesInput): Instance[] {
    const replay = input.clientToken ? this.clientTokens.get(input.clientToken) : undefined;
    if (replay !== undefined) return this.reservation(replay);
    if (!input.imageId) throw missingParameter("ImageId");
    const { minCount, maxCount } = input;
    if (minCount === undefined) throw missingParameter("MinCount");
    if (maxCount === undefined) throw missingParameter("MaxCount");
    if (minCount < 1 || maxCount < minCount) {
      throw invalidParameterValue(
        `Value (${minCount}) for parameter minCount is invalid. Expected a positive integer.`,
      );
    }
    if (!input.subnetId) {
      throw new SimError("VPCIdNotSpecified", "No default VPC for this user. Specify a subnet with SubnetId.");
    }
    const subnet = this.state.vpcs.requireSubnet(input.subnetId);
    const count = Math.min(maxCount, subnet.pool.available);
    if (count < minCount) {
      throw new SimError(
        "InsufficientFreeAddressesInSubnet",
        `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`,
      );
    }
    const reservationId = this.state.newId("r");
    const launched: Instance[] = [];
    for (let index = 0; index < count; index++) {
      const eni = this.state.networkInterfaces.create({
        subnetId: subnet.id,
        ...(input.groupIds ? { groupIds: input.groupIds } : {}),
        ...(index === 0 && input.privateIpAddress ? { privateIpAddress: input.privateIpAddress } : {}),
        ...(input.networkInterfaceTags ? { tags: input.networkInterfaceTags } : {}),
      });
      const instance = this.instances.insert({
        id: this.state.newId("i"),
        seq: this.state.nextSeq(),
        reservationId,
        imageId: input.imageId,
        instanceType: input.instanceType ?? DEFAULT_INSTANCE_TYPE,
        state: "pending",
        subnetId: subnet.id,
        vpcId: subnet.vpcId,
        availabilityZone: subnet.availabilityZone,
        privateIpAddress: eni.privateIpAddress,
        launchTime: this.state.now(),
        amiLaunchIndex: index,
        clientToken: input.clientToken,
        keyName: input.keyName,
        groupIds: [...eni.groupIds],
        stateTransitionReason: "",
        stateReason: undefined,
        tags: new Map(input.instanceTags),
      });
      this.state.networkInterfaces.enis.update(eni.id, (target) => {
        target.attachment = {
          attachmentId: this.state.newId("eni-attach"),
          instanceId: instance.id,
          deviceIndex: 0,
          deleteOnTermination: true,
          attachTime: instance.launchTime,
        };
      });
      launched.push(instance);
    }
    if (input.clientToken) this.clientTokens.set(input.clientToken, reservationId);
    for (const instance of launched) {
      this.emitState(instance, "pending");
      this.setState(instance, "running");
    }
    return launched;
  }

  /**
   * Terminate instances: `shutting-down`, then `terminated`. Attached ENIs with
   * DeleteOnTermination are deleted (a trunk takes its VLAN associations with it, leaving its
   * branch ENIs `available`); other attached ENIs are detached. Terminated instances stay
   * describable. The answer reports each instance as EC2 does: `shutting-down` from its old state.
   */
  public terminate(instanceIds: readonly string[]): InstanceStateChange[] {
    const instances = resolveAll(INSTANCE, instanceIds, (id) => this.instances.get(id));
    return instances.map((instance) => {
      const previous = instance.state;
      if (previous === "terminated") return { instance, previous, current: previous };
      this.setState(instance, "shutting-down");
      this.releaseInterfaces(instance.id);
      const at = this.state
        .now()
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d{3}Z$/, " GMT");
      this.instances.update(instance.id, (target) => {
        target.stateTransitionReason = `User initiated (${at})`;
        target.stateReason = {
          code: "Client.UserInitiatedShutdown",
          message: "Client.UserInitiatedShutdown: User initiated shutdown",
        };
      });
      this.setState(instance, "terminated");
      return { instance, previous, current: "shutting-down" };
    });
  }

  public reservation(reservationId: string): Instance[] {
    return [...this.instances.lookup("reservation", reservationId)]
      .map((id) => this.instances.get(id))
      .filter((instance): instance is Instance => instance !== undefined)
      .sort((a, b) => a.seq - b.seq);
  }

  public arn(instanceId: string): string {
    return this.state.arn("instance", instanceId);
  }

  private releaseInterfaces(instanceId: string): void {
    const { networkInterfaces, trunks } = this.state;
    for (const eni of networkInterfaces.attachedTo(instanceId)) {
      if (eni.attachment?.deleteOnTermination) {
        trunks.removeAllOfTrunk(eni.id);
        networkInterfaces.remove(eni);
      } else {
        networkInterfaces.release(eni);
      }
    }
  }

  private setState(instance: Instance, state: InstanceStateName): void {
    this.instances.update(instance.id, (target) => {
      target.state = state;
    });
    this.emitState(instance, state);
  }

  private emitState(instance: Instance, state: InstanceStateName): void {
    this.state.world.emit("aws.ec2", STATE_CHANGE, { "instance-id": instance.id, state }, [this.arn(instance.id)]);
  }

  /** Network fields vanish from terminated instances, as in EC2's answers. */
  private live = <T>(instance: Instance, value: T): T | undefined =>
    instance.state === "terminated" ? undefined : value;

  public readonly filters: FilterSchema<Instance> = {
    tags: (instance) => instance.tags,
    fields: {
      "instance-id": { values: (instance) => instance.id },
      "instance-state-name": { values: (instance) => instance.state, index: "state" },
      "instance-state-code": { values: (instance) => String(INSTANCE_STATE_CODES[instance.state]) },
      "instance-type": { values: (instance) => instance.instanceType },
      "image-id": { values: (instance) => instance.imageId },
      "reservation-id": { values: (instance) => instance.reservationId, index: "reservation" },
      "availability-zone": { values: (instance) => instance.availabilityZone },
      "vpc-id": { values: (instance) => this.live(instance, instance.vpcId) },
      "subnet-id": { values: (instance) => this.live(instance, instance.subnetId) },
      "private-ip-address": { values: (instance) => this.live(instance, instance.privateIpAddress) },
      "network-interface.network-interface-id": {
        values: (instance) => this.state.networkInterfaces.attachedTo(instance.id).map((eni) => eni.id),
      },
      "owner-id": { values: () => this.state.accountId },
    },
  };
}
