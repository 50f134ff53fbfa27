import { z } from "zod";
import type { SimWorld } from "../../world.ts";
import { invalidParameter } from "./eks-error.ts";
import { clusterJson, nodegroupJson } from "./eks-render.ts";

/** What an EKS operation is given: path labels, query string and the parsed JSON body. */
export interface EksActionInput {
  readonly labels: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly world: SimWorld;
}

/** An operation's answer body and, for mutations, what CloudTrail records of it. */
export interface EksActionOutput {
  readonly body: Record<string, unknown>;
  readonly trail?: { readonly requestParameters: unknown; readonly responseElements: unknown };
}

export type EksAction = (input: EksActionInput) => EksActionOutput;

const stringMap = z.record(z.string(), z.string());

const createClusterBody = z.object({
  name: z.string(),
  roleArn: z.string(),
  version: z.string().optional(),
  resourcesVpcConfig: z.object({
    subnetIds: z.array(z.string()).min(1),
    securityGroupIds: z.array(z.string()).optional(),
    endpointPublicAccess: z.boolean().optional(),
    endpointPrivateAccess: z.boolean().optional(),
    publicAccessCidrs: z.array(z.string()).optional(),
  }),
  tags: stringMap.optional(),
});

const createNodegroupBody = z.object({
  nodegroupName: z.string(),
  subnets: z.array(z.string()),
  nodeRole: z.string(),
  scalingConfig: z
    .object({ minSize: z.number().int(), maxSize: z.number().int(), desiredSize: z.number().int() })
    .partial()
    .optional(),
  instanceTypes: z.array(z.string()).optional(),
  amiType: z.string().optional(),
  capacityType: z.string().optional(),
  diskSize: z.number().int().optional(),
  labels: stringMap.optional(),
  tags: stringMap.optional(),
  version: z.string().optional(),
});

/** Parse a body against its schema, answering EKS's InvalidParameterException on a mismatch. */
const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join(".") || "body";
  throw invalidParameter(`Invalid value for ${where}: ${issue?.message ?? "malformed request"}`);
};

/** One page of `items` for `maxResults` (1..100, default 100) and an opaque `nextToken`. */
const page = <T>(items: readonly T[], query: URLSearchParams): { items: T[]; nextToken?: string } => {
  const rawMax = query.get("maxResults");
  const maxResults = rawMax === null ? 100 : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw invalidParameter("maxResults must be an integer between 1 and 100");
  }
  const token = query.get("nextToken");
  const start = token === null ? 0 : Number(Buffer.from(token, "base64url").toString("utf8"));
  if (!Number.isInteger(start) || start < 0) throw invalidParameter("The nextToken provided is invalid");
  const end = start + maxResults;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString("base64url") } : {}),
  };
};

const label = (input: EksActionInput, name: string): string => input.labels[name] ?? "";

/** The EKS operations the simulator serves, by name. */
export const EKS_ACTIONS: Readonly<Record<string, EksAction>> = {
  CreateCluster: (input) => {
    const body = parse(createClusterBody, input.body);
    const vpc = body.resourcesVpcConfig;
    const cluster = input.world.eks.createCluster({
      name: body.name,
      roleArn: body.roleArn,
      version: body.version,
      subnetIds: vpc.subnetIds,
      securityGroupIds: vpc.securityGroupIds,
      endpointPublicAccess: vpc.endpointPublicAccess,
      endpointPrivateAccess: vpc.endpointPrivateAccess,
      publicAccessCidrs: vpc.publicAccessCidrs,
      tags: body.tags,
    });
    // EKS answers while the control plane is still being built; describes see it ACTIVE at once.
    const answer = { cluster: clusterJson(cluster, "CREATING") };
    return { body: answer, trail: { requestParameters: input.body, responseElements: answer } };
  },

  DescribeCluster: (input) => ({
    body: { cluster: clusterJson(input.world.eks.requireCluster(label(input, "name")), "ACTIVE") },
  }),

  ListClusters: (input) => {
    const { items, nextToken } = page(
      input.world.eks.listClusters().map((c) => c.name),
      input.query,
    );
    return { body: { clusters: items, ...(nextToken ? { nextToken } : {}) } };
  },

  DeleteCluster: (input) => {
    const name = label(input, "name");
    const answer = { cluster: clusterJson(input.world.eks.deleteCluster(name), "DELETING") };
    return { body: answer, trail: { requestParameters: { name }, responseElements: answer } };
  },

  CreateNodegroup: (input) => {
    const clusterName = label(input, "clusterName");
    const body = parse(createNodegroupBody, input.body);
    const group = input.world.eks.createNodegroup({ clusterName, ...body });
    const answer = { nodegroup: nodegroupJson(group, "CREATING") };
    return { body: answer, trail: { requestParameters: { clusterName, ...input.body }, responseElements: answer } };
  },

  DescribeNodegroup: (input) => ({
    body: {
      nodegroup: nodegroupJson(
        input.world.eks.nodegroup(label(input, "clusterName"), label(input, "nodegroupName")),
        "ACTIVE",
      ),
    },
  }),

  ListNodegroups: (input) => {
    const { items, nextToken } = page(
      input.world.eks.listNodegroups(label(input, "clusterName")).map((g) => g.nodegroupName),
      input.query,
    );
    return { body: { nodegroups: items, ...(nextToken ? { nextToken } : {}) } };
  },

  DeleteNodegroup: (input) => {
    const clusterName = label(input, "clusterName");
    const nodegroupName = label(input, "nodegroupName");
    const answer = {
      nodegroup: nodegroupJson(input.world.eks.deleteNodegroup(clusterName, nodegroupName), "DELETING"),
    };
    return { body: answer, trail: { requestParameters: { clusterName, nodegroupName }, responseElements: answer } };
  },
};

/** CloudTrail `requestParameters` of a failed mutation: what the caller asked for. */
export const failedRequestParameters = (action: string, input: EksActionInput): unknown => {
  switch (action) {
    case "CreateCluster":
      return input.body;
    case "DeleteCluster":
      return { name: label(input, "name") };
    case "CreateNodegroup":
      return { clusterName: label(input, "clusterName"), ...input.body };
    case "DeleteNodegroup":
      return { clusterName: label(input, "clusterName"), nodegroupName: label(input, "nodegroupName") };
    default:
      return null;
  }
};

/** Operations CloudTrail delivers to EventBridge (management writes). */
export const EKS_MUTATIONS: ReadonlySet<string> = new Set([
  "CreateCluster",
  "DeleteCluster",
  "CreateNodegroup",
  "DeleteNodegroup",
]);
