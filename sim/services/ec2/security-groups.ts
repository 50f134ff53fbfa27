import { invalidParameterValue, missingParameter, SimError } from "../../protocol/sim-error.ts";
import type { Ec2State } from "./ec2-state.ts";
import { type FilterSchema, tagIndexers } from "./filters.ts";
import { IndexedCollection, type Stored } from "./indexed-collection.ts";
import { resolveOne, SECURITY_GROUP } from "./resource-ids.ts";
import type { SecurityGroupRule } from "./security-group-rules.ts";

/** A VPC security group; its rules live in the rule manager. */
export interface SecurityGroup extends Stored {
  readonly name: string;
  readonly description: string;
  readonly vpcId: string;
  /** The VPC's `default` group, which cannot be deleted. */
  readonly isDefault: boolean;
  readonly tags: Map<string, string>;
}

/** What CreateSecurityGroup takes; missing values fail as in EC2. */
export interface CreateSecurityGroupInput {
  readonly vpcId: string | undefined;
  readonly groupName: string | undefined;
  readonly description: string | undefined;
  readonly tags?: ReadonlyMap<string, string>;
}

const ALL_TRAFFIC_TO_ANYWHERE = { protocol: "-1", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" } as const;

const nameKey = (vpcId: string, name: string) => `${vpcId}\u0000${name}`;

/** Security groups and the rules on deleting them. */
export class SecurityGroupManager {
  public readonly groups = new IndexedCollection<SecurityGroup>({
    vpc: (group) => [group.vpcId],
    name: (group) => [nameKey(group.vpcId, group.name)],
    ...tagIndexers<SecurityGroup>(),
  });

  public constructor(private readonly state: Ec2State) {}

  /** Create a group with EC2's default allow-all egress rule. */
  public create(input: CreateSecurityGroupInput): SecurityGroup {
    if (!input.groupName) throw missingParameter("groupName");
    if (!input.description) throw missingParameter("groupDescription");
    if (input.groupName.length > 255 || input.description.length > 255) {
      throw invalidParameterValue("Group name and description must be at most 255 characters.");
    }
    if (input.groupName.toLowerCase().startsWith("sg-")) {
      throw invalidParameterValue("Group names may not be in the format sg-*");
    }
    if (!input.vpcId) throw new SimError("VPCIdNotSpecified", "No default VPC for this user");
    const vpc = this.state.vpcs.requireVpc(input.vpcId);
    if (this.byName(vpc.id, input.groupName)) {
      throw new SimError(
        "InvalidGroup.Duplicate",
        `The security group '${input.groupName}' already exists for VPC '${vpc.id}'`,
      );
    }
    const group = this.insert(vpc.id, input.groupName, input.description, false, input.tags);
    this.state.rules.insert(group.id, true, ALL_TRAFFIC_TO_ANYWHERE);
    return group;
  }

  /** The `default` group EC2 creates with every VPC: members reach each other, egress is open. */
  public createDefault(vpcId: string): SecurityGroup {
    const group = this.insert(vpcId, "default", "default VPC security group", true);
    this.state.rules.insert(group.id, false, { protocol: "-1", fromPort: -1, toPort: -1, referencedGroupId: group.id });
    this.state.rules.insert(group.id, true, ALL_TRAFFIC_TO_ANYWHERE);
    return group;
  }

  public byName(vpcId: string, name: string): SecurityGroup | undefined {
    const [id] = this.groups.lookup("name", nameKey(vpcId, name));
    return id === undefined ? undefined : this.groups.get(id);
  }

  public defaultOf(vpcId: string): SecurityGroup | undefined {
    return this.byName(vpcId, "default");
  }

  public require(groupId: string): SecurityGroup {
    return resolveOne(SECURITY_GROUP, groupId, (id) => this.groups.get(id));
  }

  /**
   * Why a group cannot be deleted right now (EC2 answers `DependencyViolation`), or undefined:
   * a network interface uses it, another group's rule references it, or a load balancer uses it.
   */
  public dependency(groupId: string): string | undefined {
    const [eniId] = this.state.networkInterfaces.enis.lookup("group", groupId);
    if (eniId !== undefined) return `network interface ${eniId}`;
    const [rule] = this.state.rules.referencing(groupId);
    if (rule) return `rule ${rule.id} of ${rule.groupId}`;
    // Read through Reflect: the ELBv2 model gains `securityGroupInUse` independently of this one.
    const elbv2 = this.state.world.elbv2;
    const inUse: unknown = Reflect.get(elbv2, "securityGroupInUse");
    if (typeof inUse === "function" && inUse.call(elbv2, groupId) === true) return "a load balancer";
    return undefined;
  }

  /** Delete a group and its rules, unless it is a default group or still has dependents. */
  public delete(groupId: string): SecurityGroup {
    const group = this.require(groupId);
    if (group.isDefault) {
      throw new SimError(
        "CannotDelete",
        `the specified group: "${group.id}" name: "default" cannot be deleted by a user`,
      );
    }
    if (this.dependency(groupId) !== undefined) {
      throw new SimError("DependencyViolation", `resource ${groupId} has a dependent object`);
    }
    this.state.rules.removeAllOf(groupId);
    this.groups.delete(groupId);
    return group;
  }

  public arn(groupId: string): string {
    return this.state.arn("security-group", groupId);
  }

  private insert(
    vpcId: string,
    name: string,
    description: string,
    isDefault: boolean,
    tags: ReadonlyMap<string, string> = new Map(),
  ): SecurityGroup {
    return this.groups.insert({
      id: this.state.newId("sg"),
      seq: this.state.nextSeq(),
      name,
      description,
      vpcId,
      isDefault,
      tags: new Map(tags),
    });
  }

  private permissionValues(
    group: SecurityGroup,
    isEgress: boolean,
    read: (rule: SecurityGroupRule) => string | undefined,
  ): string[] {
    return this.state.rules.rulesOf(group.id, isEgress).flatMap((rule) => {
      const value = read(rule);
      return value === undefined ? [] : [value];
    });
  }

  public readonly filters: FilterSchema<SecurityGroup> = {
    tags: (group) => group.tags,
    fields: {
      "group-id": { values: (group) => group.id },
      "group-name": { values: (group) => group.name },
      description: { values: (group) => group.description },
      "vpc-id": { values: (group) => group.vpcId, index: "vpc" },
      "owner-id": { values: () => this.state.accountId },
      ...Object.fromEntries(
        [false, true].flatMap((isEgress) => {
          const prefix = isEgress ? "egress.ip-permission" : "ip-permission";
          const field = (read: (rule: SecurityGroupRule) => string | undefined) => ({
            values: (group: SecurityGroup) => this.permissionValues(group, isEgress, read),
          });
          return [
            [`${prefix}.group-id`, field((rule) => rule.referencedGroupId)],
            [`${prefix}.cidr`, field((rule) => rule.cidrIpv4)],
            [`${prefix}.protocol`, field((rule) => rule.protocol)],
            [`${prefix}.from-port`, field((rule) => String(rule.fromPort))],
            [`${prefix}.to-port`, field((rule) => String(rule.toPort))],
          ];
        }),
      ),
    },
  };
}
