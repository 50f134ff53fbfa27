/** An EKS cluster as the simulator keeps it (`ACTIVE` once created; deleted clusters are gone). */
export interface EksCluster {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: Date;
  readonly version: string;
  readonly platformVersion: string;
  readonly roleArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcIssuer: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** The security group EKS created for the control plane and managed workloads. */
  readonly clusterSecurityGroupId: string;
  readonly vpcId: string;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly serviceIpv4Cidr: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A managed node group of a cluster. */
export interface EksNodegroup {
  readonly nodegroupName: string;
  readonly nodegroupArn: string;
  readonly clusterName: string;
  readonly version: string;
  readonly releaseVersion: string;
  readonly createdAt: Date;
  readonly capacityType: string;
  readonly scalingConfig: { readonly minSize: number; readonly maxSize: number; readonly desiredSize: number };
  readonly instanceTypes: readonly string[];
  readonly subnets: readonly string[];
  readonly amiType: string;
  readonly nodeRole: string;
  readonly diskSize: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly autoScalingGroupName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** What CreateCluster takes (the subset the simulator models). */
export interface CreateClusterInput {
  readonly name: string;
  readonly roleArn: string;
  readonly version?: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  readonly publicAccessCidrs?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** What CreateNodegroup takes (the subset the simulator models). */
export interface CreateNodegroupInput {
  readonly clusterName: string;
  readonly nodegroupName: string;
  readonly subnets: readonly string[];
  readonly nodeRole: string;
  readonly scalingConfig?: { readonly minSize?: number; readonly maxSize?: number; readonly desiredSize?: number };
  readonly instanceTypes?: readonly string[];
  readonly amiType?: string;
  readonly capacityType?: string;
  readonly diskSize?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly version?: string;
}
