import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type { Redactor } from "./redactor.ts";

/** AWS credentials as the SDK and the SigV4 signer take them. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export type CredentialsProvider = () => Promise<Credentials>;

/**
 * The caller's credentials: the keys in the (injected) environment when both are set, else the SDK's
 * default chain (profile, SSO, process, web identity, container, instance metadata). Whatever is
 * resolved is handed to the redactor first, so it can never be printed.
 */
export const credentialsFrom = (
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor,
): CredentialsProvider => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.AWS_SESSION_TOKEN;
  const source: CredentialsProvider =
    accessKeyId && secretAccessKey
      ? async () => ({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) })
      : defaultProvider(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {});
  return async () => {
    const credentials = await source();
    redactor.add(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken);
    return credentials;
  };
};

/** The region from `--region`, else the environment; undefined lets the SDK use the profile's. */
export const regionFrom = (
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined => flag ?? (env.AWS_REGION || undefined) ?? (env.AWS_DEFAULT_REGION || undefined);
