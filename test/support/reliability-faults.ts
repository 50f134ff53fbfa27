import { type AwsClients, awsClientsWith } from "../../core/aws/aws-clients.ts";
import { mulberry32 } from "../../sim/control/faults.ts";
import { DEFAULT_REGION } from "../../sim/index.ts";
import { BRANCHKEEPER_KEY } from "./reconciler-harness.ts";

/** Mutating calls whose response a flaky network may lose after AWS applied them. */
const MUTATIONS = /^(Delete|Create|Authorize|Revoke|Disassociate|Put|Update|BatchWrite|TransactWrite)/;

export interface ClientFaults {
  /** Responses dropped so far, by command name. */
  readonly lost: Record<string, number>;
  /** Every attempt of an EC2 mutation: command name, send time (ms) and attempt number (1 = first). */
  readonly ec2Mutations: { readonly name: string; readonly at: number; readonly attempt: number }[];
  /** Attempts EC2 answered with throttling, by command name. */
  readonly throttled: Record<string, number>;
}

/**
 * Instrument Branchkeeper's EC2 and DynamoDB clients, inside the SDK's retry loop: record every
 * attempt of an EC2 mutation and every throttled attempt, and lose the response of a share of the
 * mutating calls after the service applied them, the one network fault the simulator's fault layer
 * cannot produce (its timeouts drop a call before it is applied). The SDK sees a `TimeoutError`
 * and retries: a retried delete answers NotFound, a retried conditional write
 * ConditionalCheckFailed, a retried authorize Duplicate.
 */
export const instrumentClients = (clients: AwsClients, options: { loseRate: number; seed: number }): ClientFaults => {
  const random = mulberry32(options.seed);
  const faults: ClientFaults = { lost: {}, ec2Mutations: [], throttled: {} };
  for (const client of [clients.ec2, clients.dynamodb]) {
    const isEc2 = client === clients.ec2;
    // biome-ignore lint/suspicious/noExplicitAny: the stack's generic types differ per client; the middleware is the same.
    (client.middlewareStack as any).add(
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      (next: (args: any) => Promise<unknown>, context: { commandName?: string }) => async (args: any) => {
        const name = (context.commandName ?? "").replace(/Command$/, "");
        const mutation = MUTATIONS.test(name);
        if (isEc2 && mutation) {
          const header = String(args.request?.headers?.["amz-sdk-request"] ?? "");
          const attempt = Number(/attempt=(\d+)/.exec(header)?.[1] ?? 1);
          faults.ec2Mutations.push({ name, at: performance.now(), attempt });
        }
        let result: unknown;
        try {
          result = await next(args);
        } catch (error) {
          if ((error as Error).name === "RequestLimitExceeded")
            faults.throttled[name] = (faults.throttled[name] ?? 0) + 1;
          throw error;
        }
        if (mutation && random() < options.loseRate) {
          faults.lost[name] = (faults.lost[name] ?? 0) + 1;
          throw Object.assign(new Error(`the response of ${name} was lost after it was applied`), {
            name: "TimeoutError",
          });
        }
        return result;
      },
      // Inside the retry middleware (finalizeRequest, high priority), so the SDK retries the call.
      { step: "finalizeRequest", priority: "low", name: "reliabilityFaults" },
    );
  }
  return faults;
};

/** The most calls among `times` (ms) that fall in any window of `windowMs`. */
export const busiestWindow = (times: readonly number[], windowMs: number): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
};

/** The SDK clients as production makes them (standard retries, 5 attempts), pointed at the simulator. */
export const productionLikeClients = (endpoint: string, accessKeyId = BRANCHKEEPER_KEY): AwsClients => {
  // The composition root's setting (createAwsClients): 5 attempts under the standard strategy.
  const config = {
    endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId, secretAccessKey: "secret" },
    retryMode: "standard",
    maxAttempts: 5,
  };
  return awsClientsWith(config);
};
