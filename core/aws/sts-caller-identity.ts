import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { CallerIdentity, CallerIdentityProvider } from "../ports/caller-identity.ts";
import { AwsCallError } from "./sdk-errors.ts";

/**
 * The principal behind a caller ARN: `arn:<p>:sts::<acct>:assumed-role/<role>/<session>` becomes
 * `arn:<p>:iam::<acct>:role/<role>`; any other ARN (IAM user, root) is its own principal.
 */
export const principalArnOf = (arn: string): string => {
  const match = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (!match) return arn;
  const [, partition, account, role] = match;
  return `arn:${partition}:iam::${account}:role/${role}`;
};

/**
 * Who (STS GetCallerIdentity) and where (the clients' region) Branchkeeper runs; asked once per
 * process, then remembered.
 */
export class StsCallerIdentityProvider implements CallerIdentityProvider {
  private identity: Promise<CallerIdentity> | undefined;

  public constructor(private readonly sts: STSClient) {}

  public callerIdentity(): Promise<CallerIdentity> {
    this.identity ??= this.ask().catch((error: unknown) => {
      // A failure is not remembered: the next caller asks again.
      this.identity = undefined;
      throw error;
    });
    return this.identity;
  }

  private async ask(): Promise<CallerIdentity> {
    let answer: { Arn?: string; Account?: string };
    try {
      answer = await this.sts.send(new GetCallerIdentityCommand({}));
    } catch (error) {
      throw new AwsCallError("GetCallerIdentity", error);
    }
    if (!answer.Arn || !answer.Account) {
      throw new AwsCallError("GetCallerIdentity", new Error("the answer carries no Arn or Account"));
    }
    const region = await this.sts.config.region().catch(() => undefined);
    return {
      accountId: answer.Account,
      arn: answer.Arn,
      principalArn: principalArnOf(answer.Arn),
      ...(region ? { region } : {}),
    };
  }
}
