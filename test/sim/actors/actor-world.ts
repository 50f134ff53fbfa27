import { type EksCluster, EksControlPlane } from "../../../sim/actors/eks-control-plane.ts";
import { PlatformOperator } from "../../../sim/actors/platform-operator.ts";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { type ActorClients, actorClients, NODE_INSTANCE_ROLE_KEY } from "../../../sim/scenarios/scenario-clients.ts";
import { simControl } from "../../support/sim-clients.ts";

/** One CloudTrail record as the actor tests look at it. */
export interface TrailEntry {
  readonly eventName: string;
  readonly role: string;
  readonly requestParameters: Record<string, unknown>;
  readonly errorCode?: string;
}

/** A simulator with a VPC (two subnets) and one EKS cluster, and clients for every actor. */
export interface ActorWorld {
  readonly sim: RunningSimulator;
  readonly clients: Record<
    "operator" | "eks" | "vpcResourceController" | "loadBalancerController" | "node",
    ActorClients
  >;
  readonly operator: PlatformOperator;
  readonly control: EksControlPlane;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly cluster: EksCluster;
  /** CloudTrail records after `cursor`, and the new cursor. */
  trail(cursor: string): Promise<{ entries: TrailEntry[]; cursor: string }>;
  /** The event cursor now. */
  cursor(): Promise<string>;
  stop(): Promise<void>;
}

export const NODE_ROLE_KEY = NODE_INSTANCE_ROLE_KEY;

export const startActorWorld = async (clusterName = "c1"): Promise<ActorWorld> => {
  const sim = await startSimulator({ port: 0 });
  const clients = {
    operator: actorClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.operator),
    eks: actorClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.eks),
    vpcResourceController: actorClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController),
    loadBalancerController: actorClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.loadBalancerController),
    node: actorClients(sim.endpoint, NODE_ROLE_KEY),
  };
  const operator = new PlatformOperator(clients.operator);
  const { vpcId, subnetIds } = await operator.createVpc("test", "10.0.0.0/16", [
    { name: "a", cidr: "10.0.0.0/20", availabilityZone: "us-east-1a" },
    { name: "b", cidr: "10.0.16.0/20", availabilityZone: "us-east-1b" },
  ]);
  const control = new EksControlPlane({ eks: clients.operator.eks, ec2: clients.eks.ec2 });
  const cluster = await control.createCluster({ name: clusterName, subnetIds });
  const read = async (cursor: string) =>
    simControl<{ events: { detail: Record<string, unknown> }[]; cursor: string }>(
      sim.endpoint,
      `/_sim/events?after=${cursor}`,
    );
  return {
    sim,
    clients,
    operator,
    control,
    vpcId,
    subnetIds,
    cluster,
    trail: async (cursor) => {
      const page = await read(cursor);
      const entries = page.events
        .filter((e) => typeof e.detail.eventName === "string")
        .map((e) => {
          const identity = e.detail.userIdentity as { sessionContext: { sessionIssuer: { userName: string } } };
          return {
            eventName: String(e.detail.eventName),
            role: identity.sessionContext.sessionIssuer.userName,
            requestParameters: (e.detail.requestParameters ?? {}) as Record<string, unknown>,
            ...(typeof e.detail.errorCode === "string" ? { errorCode: e.detail.errorCode } : {}),
          };
        });
      return { entries, cursor: page.cursor };
    },
    cursor: async () => (await read("0")).cursor,
    stop: async () => {
      for (const client of Object.values(clients)) client.destroy();
      await sim.stop();
    },
  };
};
