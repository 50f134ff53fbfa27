import type { SubnetSpec } from "../actors/platform-operator.ts";
import { CLUSTER_SG, type ClusterSpec } from "./scenario-cluster.ts";

/** The demo's one VPC: three private subnets for nodes and pods, two public ones for load balancers. */
export const DEMO_VPC = {
  name: "platform",
  cidr: "10.0.0.0/16",
  subnets: [
    { name: "private-a", cidr: "10.0.0.0/19", availabilityZone: "us-east-1a" },
    { name: "private-b", cidr: "10.0.32.0/19", availabilityZone: "us-east-1b" },
    { name: "private-c", cidr: "10.0.64.0/19", availabilityZone: "us-east-1c" },
    { name: "public-a", cidr: "10.0.128.0/24", availabilityZone: "us-east-1a" },
    { name: "public-b", cidr: "10.0.129.0/24", availabilityZone: "us-east-1b" },
  ] satisfies SubnetSpec[],
} as const;

/** VPC-wide security groups the platform team shares between clusters (untagged). */
export const DEMO_SHARED_GROUPS = [
  { name: "shared-db-clients", description: "Clients of the shared PostgreSQL fleet" },
] as const;

const PRIVATE = ["private-a", "private-b", "private-c"] as const;
const PUBLIC = ["public-a", "public-b"] as const;

/**
 * alpha: three node groups, six policies (most with exactly one cluster-tagged group; one with none, one with
 * two), an ALB in ip mode with path rules, an ALB in instance mode, a TCP and a UDP NLB in ip mode.
 */
export const ALPHA: ClusterSpec = {
  name: "alpha",
  subnets: PRIVATE,
  nodegroups: [
    { name: "general", instanceType: "m5.xlarge", size: 6, subnets: PRIVATE },
    {
      name: "compute",
      instanceType: "m5.2xlarge",
      size: 4,
      subnets: ["private-a", "private-b"],
      extraSecurityGroups: ["alpha-node-ssh"],
    },
    { name: "small", instanceType: "m5.large", size: 3, subnets: ["private-c"] },
  ],
  securityGroups: [
    { name: "alpha-node-ssh", description: "SSH from the bastion to alpha nodes" },
    { name: "alpha-web", description: "alpha web pods" },
    { name: "alpha-api", description: "alpha api pods", clusterTag: "shared" },
    { name: "alpha-payments", description: "alpha payments pods" },
    { name: "alpha-metrics", description: "alpha metrics scrapers" },
    { name: "alpha-legacy", description: "alpha legacy pods" },
    { name: "alpha-canary", description: "alpha canary pods", clusterTag: "shared" },
  ],
  policies: {
    web: [CLUSTER_SG, "alpha-web"],
    api: ["alpha-api", "shared-db-clients"],
    payments: ["alpha-payments"],
    batch: [CLUSTER_SG, "shared-db-clients", "alpha-metrics"],
    // No group carries the cluster tag: the LBC cannot pick an endpoint group.
    legacy: ["alpha-legacy", "shared-db-clients"],
    // Two groups carry it: the LBC cannot pick either.
    canary: [CLUSTER_SG, "alpha-canary"],
  },
  workloads: [
    { namespace: "shop", name: "web", policy: "web", replicas: 12 },
    { namespace: "shop", name: "api", policy: "api", replicas: 10 },
    { namespace: "payments", name: "payments", policy: "payments", replicas: 6 },
    { namespace: "batch", name: "batch", policy: "batch", replicas: 20 },
    { namespace: "shop", name: "legacy", policy: "legacy", replicas: 1 },
    { namespace: "shop", name: "canary", policy: "canary", replicas: 1 },
  ],
  loadBalancers: [
    {
      kind: "ingress",
      namespace: "shop",
      name: "shop",
      subnets: PUBLIC,
      listeners: [{ port: 80, protocol: "HTTP" }],
      targetGroups: [
        {
          key: "shop/web",
          serviceName: "web",
          servicePort: 80,
          targetType: "ip",
          protocol: "HTTP",
          port: 8080,
          listenerPort: 80,
          targets: { workload: "web" },
        },
        {
          key: "shop/api",
          serviceName: "api",
          servicePort: 80,
          targetType: "ip",
          protocol: "HTTP",
          port: 9000,
          healthCheckPort: 9001,
          listenerPort: 80,
          pathPattern: "/api/*",
          targets: { workload: "api" },
        },
        {
          key: "shop/legacy",
          serviceName: "legacy",
          servicePort: 80,
          targetType: "ip",
          protocol: "HTTP",
          port: 8080,
          listenerPort: 80,
          pathPattern: "/legacy/*",
          targets: { workload: "legacy" },
        },
        {
          key: "shop/canary",
          serviceName: "canary",
          servicePort: 80,
          targetType: "ip",
          protocol: "HTTP",
          port: 8080,
          listenerPort: 80,
          pathPattern: "/canary/*",
          targets: { workload: "canary" },
        },
      ],
    },
    {
      kind: "ingress",
      namespace: "ops",
      name: "admin",
      subnets: PUBLIC,
      listeners: [{ port: 80, protocol: "HTTP" }],
      targetGroups: [
        {
          key: "ops/admin",
          serviceName: "admin",
          servicePort: 80,
          targetType: "instance",
          protocol: "HTTP",
          port: 31080,
          listenerPort: 80,
          targets: { nodegroups: ["general", "compute"] },
        },
      ],
    },
    {
      kind: "service",
      namespace: "payments",
      name: "payments",
      subnets: PUBLIC,
      listeners: [{ port: 443, protocol: "TCP" }],
      targetGroups: [
        {
          key: "payments/payments",
          serviceName: "payments",
          servicePort: 443,
          targetType: "ip",
          protocol: "TCP",
          port: 7000,
          listenerPort: 443,
          targets: { workload: "payments" },
        },
      ],
    },
    {
      kind: "service",
      namespace: "batch",
      name: "statsd",
      scheme: "internal",
      subnets: PRIVATE,
      listeners: [{ port: 8125, protocol: "UDP" }],
      targetGroups: [
        {
          key: "batch/statsd",
          serviceName: "statsd",
          servicePort: 8125,
          targetType: "ip",
          protocol: "UDP",
          port: 8125,
          listenerPort: 8125,
          targets: { workload: "batch" },
        },
      ],
    },
  ],
};

/** beta: a resource controller from before 2025 (no instance id tag on branch ENIs), an ALB and two NLBs. */
export const BETA: ClusterSpec = {
  name: "beta",
  subnets: PRIVATE,
  tagBranchInstanceId: false,
  nodegroups: [
    { name: "general", instanceType: "m5.2xlarge", size: 6, subnets: PRIVATE },
    { name: "spot", instanceType: "m5.xlarge", size: 3, subnets: ["private-a", "private-b"] },
  ],
  securityGroups: [
    { name: "beta-web", description: "beta portal pods" },
    { name: "beta-reports", description: "beta reports pods" },
  ],
  policies: {
    portal: [CLUSTER_SG, "beta-web", "shared-db-clients"],
    reports: ["beta-reports"],
    worker: [CLUSTER_SG, "shared-db-clients"],
  },
  workloads: [
    { namespace: "portal", name: "portal", policy: "portal", replicas: 10 },
    { namespace: "reports", name: "reports", policy: "reports", replicas: 4 },
    { namespace: "jobs", name: "worker", policy: "worker", replicas: 12 },
  ],
  loadBalancers: [
    {
      kind: "ingress",
      namespace: "portal",
      name: "portal",
      subnets: PUBLIC,
      listeners: [{ port: 80, protocol: "HTTP" }],
      targetGroups: [
        {
          key: "portal/portal",
          serviceName: "portal",
          servicePort: 80,
          targetType: "ip",
          protocol: "HTTP",
          port: 3000,
          listenerPort: 80,
          targets: { workload: "portal" },
        },
      ],
    },
    {
      kind: "service",
      namespace: "reports",
      name: "reports",
      subnets: PUBLIC,
      listeners: [{ port: 443, protocol: "TCP" }],
      targetGroups: [
        {
          key: "reports/reports",
          serviceName: "reports",
          servicePort: 443,
          targetType: "ip",
          protocol: "TCP",
          port: 5000,
          listenerPort: 443,
          targets: { workload: "reports" },
        },
      ],
    },
    {
      kind: "service",
      namespace: "ingress-nginx",
      name: "ingress-nginx-controller",
      subnets: PUBLIC,
      listeners: [{ port: 443, protocol: "TCP" }],
      targetGroups: [
        {
          key: "ingress-nginx/https",
          serviceName: "ingress-nginx-controller",
          servicePort: 443,
          targetType: "instance",
          protocol: "TCP",
          port: 30443,
          healthCheckPort: 30254,
          listenerPort: 443,
          targets: { nodegroups: ["general", "spot"] },
        },
      ],
    },
  ],
};

/** gamma: a small cluster that the scenario deletes, leaving what a deleted cluster leaves. */
export const GAMMA: ClusterSpec = {
  name: "gamma",
  subnets: PRIVATE,
  nodegroups: [{ name: "general", instanceType: "m5.xlarge", size: 3, subnets: PRIVATE }],
  securityGroups: [{ name: "gamma-app", description: "gamma app pods", clusterTag: "owned" }],
  policies: { app: ["gamma-app", "shared-db-clients"] },
  workloads: [{ namespace: "app", name: "app", policy: "app", replicas: 8 }],
  loadBalancers: [
    {
      kind: "ingress",
      namespace: "app",
      name: "app",
      subnets: PUBLIC,
      listeners: [{ port: 80, protocol: "HTTP" }],
      targetGroups: [
        {
          key: "app/app",
          serviceName: "app",
          servicePort: 80,
          targetType: "ip",
          protocol: "HTTP",
          port: 8080,
          listenerPort: 80,
          targets: { workload: "app" },
        },
      ],
    },
  ],
};
