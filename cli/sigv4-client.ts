import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { CliError } from "./cli-errors.ts";
import type { CredentialsProvider } from "./credentials.ts";

/** An answer of the API: the HTTP status and the parsed JSON body. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface SigV4ClientOptions {
  /** The API's base URL; its path (a stage, say) prefixes every route. */
  readonly baseUrl: URL;
  readonly region: string;
  readonly credentials: CredentialsProvider;
  /** Where request lines go under `--debug` (never headers: they hold the signature). */
  readonly trace?: (line: string) => void;
}

/** The signing name of API Gateway, whose IAM authorization the status API uses. */
const SERVICE = "execute-api";

const encodeQuery = (query: Readonly<Record<string, string>>): string =>
  Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");

/**
 * GET requests to an IAM-authorized API Gateway API, signed with SigV4 (`AWS4-HMAC-SHA256`,
 * service `execute-api`) by the AWS SDK's own signer, answers parsed as JSON. Route segments are
 * URI-encoded once in the URL; the signer encodes the canonical path again, as SigV4 requires for
 * every service but S3.
 */
export class SigV4Client {
  private readonly signer: SignatureV4;
  private readonly basePath: string;

  public constructor(private readonly options: SigV4ClientOptions) {
    this.signer = new SignatureV4({
      service: SERVICE,
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
    });
    this.basePath = options.baseUrl.pathname.replace(/\/+$/, "");
  }

  /** GET `segments` (each URI-encoded) with `query`; any HTTP status comes back, only transport failures throw. */
  public async get(segments: readonly string[], query: Readonly<Record<string, string>> = {}): Promise<JsonAnswer> {
    const { baseUrl } = this.options;
    const path = `${this.basePath}/${segments.map(encodeURIComponent).join("/")}`;
    const signed = await this.signer.sign({
      method: "GET",
      protocol: baseUrl.protocol,
      hostname: baseUrl.hostname,
      ...(baseUrl.port !== "" ? { port: Number(baseUrl.port) } : {}),
      path,
      query: { ...query },
      headers: { host: baseUrl.host },
    });
    // fetch sets Host itself, from the same URL that was signed.
    const headers = Object.fromEntries(
      Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== "host"),
    );
    const search = encodeQuery(query);
    const url = `${baseUrl.origin}${path}${search === "" ? "" : `?${search}`}`;
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(url, { method: "GET", headers });
    } catch (error) {
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new CliError(`cannot reach the status API at ${baseUrl.origin}: ${reason}`, { cause: error });
    }
    const text = await response.text();
    this.options.trace?.(`GET ${url} -> ${response.status} (${Date.now() - started} ms)`);
    try {
      return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
    } catch (error) {
      throw new CliError(`the status API answered ${response.status} with a body that is not JSON`, { cause: error });
    }
  }
}
