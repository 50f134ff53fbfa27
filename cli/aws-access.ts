import { type AwsClients, awsClientsWith } from "../core/aws/aws-clients.ts";
import { credentialsFrom, regionFrom } from "./credentials.ts";
import type { Redactor } from "./redactor.ts";

/** SDK clients for one CLI run, and how to let go of their connections. */
export interface AwsAccess {
  readonly clients: AwsClients;
  /** Close keep-alive sockets so the process can exit as soon as the command is done. */
  close(): void;
}

/**
 * The SDK clients of `createAwsClients` (same retry settings), but configured from the injected
 * environment rather than the process's: region (`--region`, `AWS_REGION`), endpoint
 * (`AWS_ENDPOINT_URL`, e.g. the simulator) and credentials (see `credentialsFrom`). In a shell the
 * two environments are the same; in tests this keeps each run to its own.
 */
export const awsAccess = (
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly region?: string },
  redactor: Redactor,
): AwsAccess => {
  const region = regionFrom(options.region, env);
  const endpoint = env.AWS_ENDPOINT_URL || undefined;
  const config = {
    retryMode: "standard",
    maxAttempts: 5,
    credentials: credentialsFrom(env, redactor),
    ...(region !== undefined ? { region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
  const clients: AwsClients = awsClientsWith(config);
  return {
    clients,
    close: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
};
