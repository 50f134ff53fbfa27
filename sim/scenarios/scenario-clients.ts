import { Agent } from "node:http";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DEFAULT_REGION } from "../world.ts";

/**
 * Access key of the nodes' instance role, which the VPC CNI (aws-node) signs with. Not one of
 * `WELL_KNOWN_ACCESS_KEYS`: the simulator names the role after the key itself.
 */
export const NODE_INSTANCE_ROLE_KEY = "eks-node-instance-role";

/** The SDK clients one actor needs, all signed with one identity. */
export interface ActorClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly eks: EKSClient;
  /** Close the clients' sockets. */
  destroy(): void;
}

export interface ActorClientOptions {
  /** Sockets kept alive per client: the generator's concurrency. Default 8. */
  readonly maxSockets?: number;
}

/**
 * Real SDK v3 clients for the simulator at `endpoint`, signed with `accessKeyId` so the simulator (and its
 * CloudTrail events) see the right caller. Keep-alive sockets, because scenarios make many small calls.
 */
export const actorClients = (endpoint: string, accessKeyId: string, options: ActorClientOptions = {}): ActorClients => {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });
  const config = {
    endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId, secretAccessKey: "simulator" },
    requestHandler: { httpAgent },
    maxAttempts: 5,
    cacheMiddleware: true,
  };
  const ec2 = new EC2Client(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const eks = new EKSClient(config);
  return {
    ec2,
    elbv2,
    eks,
    destroy: () => {
      ec2.destroy();
      elbv2.destroy();
      eks.destroy();
      httpAgent.destroy();
    },
  };
};
