import type { XmlValue } from "../../protocol/xml.ts";
import type { Ec2State } from "./ec2-state.ts";
import { INSTANCE_STATE_CODES, type Instance, type InstanceStateName } from "./instances.ts";
import { groupIntoPermissions } from "./ip-permissions.ts";
import { eniStatus, type NetworkInterface } from "./network-interfaces.ts";
import type { SecurityGroupRule } from "./security-group-rules.ts";
import type { SecurityGroup } from "./security-groups.ts";
import { tagItems } from "./tags.ts";
import type { TrunkAssociation } from "./trunk-associations.ts";
import type { Subnet, Vpc } from "./vpcs.ts";

/**
 * EC2's answer shapes, as plain objects rendered by `toXml` (arrays become `<item>` lists), in
 * the element names and order EC2 uses. The same objects feed CloudTrail's `responseElements`.
 */
export type Shape = { [key: string]: XmlValue };

/** An `InstanceState`: code and name. */
export const instanceStateShape = (name: InstanceStateName): Shape => ({ code: INSTANCE_STATE_CODES[name], name });

/** A `groupSet`: each group's id and name. */
export const groupSetShape = (state: Ec2State, groupIds: readonly string[]): Shape[] =>
  groupIds.map((groupId) => ({ groupId, groupName: state.securityGroups.groups.get(groupId)?.name }));

/** A `Vpc` (`pending` in CreateVpc's answer). */
export const vpcShape = (state: Ec2State, vpc: Vpc, status = "available"): Shape => ({
  vpcId: vpc.id,
  ownerId: state.accountId,
  state: status,
  cidrBlock: vpc.cidr.text,
  cidrBlockAssociationSet: [
    { cidrBlock: vpc.cidr.text, associationId: vpc.cidrAssociationId, cidrBlockState: { state: "associated" } },
  ],
  ipv6CidrBlockAssociationSet: [],
  dhcpOptionsId: vpc.dhcpOptionsId,
  tagSet: tagItems(vpc.tags),
  instanceTenancy: vpc.instanceTenancy,
  isDefault: false,
});

/** A `Subnet`, with its live AvailableIpAddressCount. */
export const subnetShape = (state: Ec2State, subnet: Subnet): Shape => ({
  subnetId: subnet.id,
  subnetArn: state.arn("subnet", subnet.id),
  state: "available",
  ownerId: state.accountId,
  vpcId: subnet.vpcId,
  cidrBlock: subnet.cidr.text,
  ipv6CidrBlockAssociationSet: [],
  availableIpAddressCount: subnet.pool.available,
  availabilityZone: subnet.availabilityZone,
  availabilityZoneId: state.zoneId(subnet.availabilityZone),
  defaultForAz: false,
  mapPublicIpOnLaunch: false,
  mapCustomerOwnedIpOnLaunch: false,
  assignIpv6AddressOnCreation: false,
  enableDns64: false,
  ipv6Native: false,
  privateDnsNameOptionsOnLaunch: {
    hostnameType: "ip-name",
    enableResourceNameDnsARecord: false,
    enableResourceNameDnsAAAARecord: false,
  },
  tagSet: tagItems(subnet.tags),
});

const privateIpSet = (state: Ec2State, eni: NetworkInterface): Shape[] => [
  { privateIpAddress: eni.privateIpAddress, privateDnsName: state.privateDnsName(eni.privateIpAddress), primary: true },
  ...eni.secondaryPrivateIpAddresses.map((ip) => ({
    privateIpAddress: ip,
    privateDnsName: state.privateDnsName(ip),
    primary: false,
  })),
];

/** A `NetworkInterface` (DescribeNetworkInterfaces item; CreateNetworkInterface answers `pending`). */
export const networkInterfaceShape = (
  state: Ec2State,
  eni: NetworkInterface,
  status: string = eniStatus(eni),
): Shape => ({
  networkInterfaceId: eni.id,
  subnetId: eni.subnetId,
  vpcId: eni.vpcId,
  availabilityZone: eni.availabilityZone,
  availabilityZoneId: state.zoneId(eni.availabilityZone),
  description: eni.description,
  ownerId: state.accountId,
  requesterId: eni.requesterId,
  requesterManaged: eni.requesterManaged,
  status,
  macAddress: eni.macAddress,
  privateIpAddress: eni.privateIpAddress,
  privateDnsName: state.privateDnsName(eni.privateIpAddress),
  sourceDestCheck: eni.sourceDestCheck,
  groupSet: groupSetShape(state, eni.groupIds),
  attachment: eni.attachment && {
    attachmentId: eni.attachment.attachmentId,
    instanceId: eni.attachment.instanceId,
    instanceOwnerId: state.accountId,
    deviceIndex: eni.attachment.deviceIndex,
    networkCardIndex: 0,
    status: "attached",
    attachTime: eni.attachment.attachTime,
    deleteOnTermination: eni.attachment.deleteOnTermination,
  },
  tagSet: tagItems(eni.tags),
  privateIpAddressesSet: privateIpSet(state, eni),
  ipv6AddressesSet: [],
  interfaceType: eni.interfaceType,
});

/** An interface as DescribeInstances nests it under the instance. */
const instanceInterfaceShape = (state: Ec2State, eni: NetworkInterface): Shape => ({
  networkInterfaceId: eni.id,
  subnetId: eni.subnetId,
  vpcId: eni.vpcId,
  description: eni.description,
  ownerId: state.accountId,
  status: eniStatus(eni),
  macAddress: eni.macAddress,
  privateIpAddress: eni.privateIpAddress,
  privateDnsName: state.privateDnsName(eni.privateIpAddress),
  sourceDestCheck: eni.sourceDestCheck,
  groupSet: groupSetShape(state, eni.groupIds),
  attachment: eni.attachment && {
    attachmentId: eni.attachment.attachmentId,
    deviceIndex: eni.attachment.deviceIndex,
    networkCardIndex: 0,
    status: "attached",
    attachTime: eni.attachment.attachTime,
    deleteOnTermination: eni.attachment.deleteOnTermination,
  },
  privateIpAddressesSet: privateIpSet(state, eni),
  ipv6AddressesSet: [],
  interfaceType: eni.interfaceType,
});

/** An `Instance`; terminated instances lose their network fields, as in EC2. */
export const instanceShape = (state: Ec2State, instance: Instance): Shape => {
  const live = instance.state !== "terminated";
  const interfaces = live ? state.networkInterfaces.attachedTo(instance.id) : [];
  const primary = interfaces.find((eni) => eni.attachment?.deviceIndex === 0);
  return {
    instanceId: instance.id,
    imageId: instance.imageId,
    instanceState: instanceStateShape(instance.state),
    privateDnsName: live ? state.privateDnsName(instance.privateIpAddress) : "",
    dnsName: "",
    reason: instance.stateTransitionReason,
    keyName: instance.keyName,
    amiLaunchIndex: instance.amiLaunchIndex,
    productCodes: [],
    instanceType: instance.instanceType,
    launchTime: instance.launchTime,
    placement: { availabilityZone: instance.availabilityZone, groupName: "", tenancy: "default" },
    monitoring: { state: "disabled" },
    subnetId: live ? instance.subnetId : undefined,
    vpcId: live ? instance.vpcId : undefined,
    privateIpAddress: live ? instance.privateIpAddress : undefined,
    sourceDestCheck: live ? (primary?.sourceDestCheck ?? true) : undefined,
    groupSet: live ? groupSetShape(state, primary?.groupIds ?? instance.groupIds) : [],
    stateReason: instance.stateReason && { ...instance.stateReason },
    architecture: "x86_64",
    rootDeviceType: "ebs",
    rootDeviceName: "/dev/xvda",
    blockDeviceMapping: [],
    virtualizationType: "hvm",
    clientToken: instance.clientToken ?? "",
    tagSet: tagItems(instance.tags),
    hypervisor: "xen",
    networkInterfaceSet: interfaces.map((eni) => instanceInterfaceShape(state, eni)),
    ebsOptimized: false,
    enaSupport: true,
  };
};

/** A `Reservation` holding the given instances (those of one page, for DescribeInstances). */
export const reservationShape = (state: Ec2State, reservationId: string, instances: readonly Instance[]): Shape => ({
  reservationId,
  ownerId: state.accountId,
  groupSet: [],
  instancesSet: instances.map((instance) => instanceShape(state, instance)),
});

/** A `SecurityGroup` with its rules grouped into permissions. */
export const securityGroupShape = (state: Ec2State, group: SecurityGroup): Shape => ({
  ownerId: state.accountId,
  groupId: group.id,
  groupName: group.name,
  groupDescription: group.description,
  ipPermissions: groupIntoPermissions(state.rules.rulesOf(group.id, false), state.accountId),
  ipPermissionsEgress: groupIntoPermissions(state.rules.rulesOf(group.id, true), state.accountId),
  vpcId: group.vpcId,
  securityGroupArn: state.securityGroups.arn(group.id),
  tagSet: tagItems(group.tags),
});

/** A `SecurityGroupRule` (DescribeSecurityGroupRules, Authorize answers). */
export const securityGroupRuleShape = (state: Ec2State, rule: SecurityGroupRule): Shape => ({
  securityGroupRuleId: rule.id,
  groupId: rule.groupId,
  groupOwnerId: state.accountId,
  isEgress: rule.isEgress,
  ipProtocol: rule.protocol,
  fromPort: rule.fromPort,
  toPort: rule.toPort,
  cidrIpv4: rule.cidrIpv4,
  referencedGroupInfo: rule.referencedGroupId
    ? { groupId: rule.referencedGroupId, userId: state.accountId }
    : undefined,
  description: rule.description,
  tagSet: tagItems(rule.tags),
  securityGroupRuleArn: state.arn("security-group-rule", rule.id),
});

/** A `RevokedSecurityGroupRule` (RevokeSecurityGroupIngress/Egress answers). */
export const revokedRuleShape = (rule: SecurityGroupRule): Shape => ({
  securityGroupRuleId: rule.id,
  groupId: rule.groupId,
  isEgress: rule.isEgress,
  ipProtocol: rule.protocol,
  fromPort: rule.fromPort,
  toPort: rule.toPort,
  cidrIpv4: rule.cidrIpv4,
  referencedGroupId: rule.referencedGroupId,
  description: rule.description,
});

/** A `TrunkInterfaceAssociation`. */
export const trunkAssociationShape = (association: TrunkAssociation): Shape => ({
  associationId: association.id,
  branchInterfaceId: association.branchInterfaceId,
  trunkInterfaceId: association.trunkInterfaceId,
  interfaceProtocol: association.interfaceProtocol,
  vlanId: association.vlanId,
  tagSet: [],
});
