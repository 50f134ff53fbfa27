import type { z } from "zod";
import { CliError } from "./cli-errors.ts";
import type { SigV4Client } from "./sigv4-client.ts";
import {
  actionsPage,
  clustersBody,
  eniBody,
  enisPage,
  errorBody,
  findingsPage,
  gatewayError,
  healthBody,
} from "./status-responses.ts";

/** The largest page the API serves (DESIGN.md: `limit` ≤ 500). */
const MAX_PAGE = 500;
/** However a server behaves, a listing stops after this many requests. */
const MAX_REQUESTS = 1000;

/** Up to `limit` items of a listing, and whether the API holds more. */
export interface Collected<T> {
  readonly items: T[];
  /** The cursor of the next page when the listing was cut at the limit. */
  readonly cursor?: string;
}

/**
 * The status API's routes over a signed client: every answer validated, every error answer turned
 * into a `CliError` that says what the API said, every listing followed through its cursors.
 */
export class StatusApi {
  public constructor(private readonly client: SigV4Client) {}

  public health() {
    return this.read(["v1", "health"], {}, healthBody);
  }

  public clusters() {
    return this.read(["v1", "clusters"], {}, clustersBody);
  }

  public enis(cluster: string, state: string | undefined, limit: number) {
    return this.collect(["v1", "clusters", cluster, "enis"], state ? { state } : {}, enisPage, limit);
  }

  public findings(cluster: string, limit: number) {
    return this.collect(["v1", "clusters", cluster, "findings"], {}, findingsPage, limit);
  }

  public eni(eniId: string) {
    return this.read(["v1", "enis", eniId], {}, eniBody);
  }

  public actions(filters: { readonly cluster?: string; readonly kind?: string }, limit: number) {
    return this.collect(["v1", "actions"], { ...filters }, actionsPage, limit);
  }

  private async read<S extends z.ZodType>(
    segments: readonly string[],
    query: Readonly<Record<string, string>>,
    schema: S,
  ): Promise<z.output<S>> {
    const route = `/${segments.join("/")}`;
    const answer = await this.client.get(segments, query);
    if (answer.status < 200 || answer.status > 299) {
      const api = errorBody.safeParse(answer.body);
      const gateway = gatewayError.safeParse(answer.body);
      const said = api.success
        ? `${api.data.error.code}: ${api.data.error.message}`
        : gateway.success
          ? gateway.data.message
          : "no error message";
      throw new CliError(`GET ${route}: the status API answered ${answer.status} (${said})`);
    }
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new CliError(
        `GET ${route}: unexpected answer from the status API (${problem ? `${problem.path.join(".") || "body"}: ${problem.message}` : "invalid"})`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  /** Follow a listing's cursors until `limit` items, the last page, or a server misbehaving. */
  private async collect<T>(
    segments: readonly string[],
    query: Readonly<Record<string, string>>,
    schema: z.ZodType<{ items: T[]; cursor?: string | null | undefined }>,
    limit: number,
  ): Promise<Collected<T>> {
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let request = 0; request < MAX_REQUESTS; request += 1) {
      const wanted = Math.min(MAX_PAGE, limit - items.length);
      const page = await this.read(
        segments,
        { ...query, limit: String(wanted), ...(cursor !== undefined ? { cursor } : {}) },
        schema,
      );
      items.push(...page.items.slice(0, limit - items.length));
      cursor = page.cursor ?? undefined;
      if (cursor === undefined) return { items };
      if (items.length >= limit) return { items, cursor };
      if (seen.has(cursor)) throw new CliError(`GET /${segments.join("/")}: the status API repeated a cursor`);
      seen.add(cursor);
    }
    throw new CliError(`GET /${segments.join("/")}: still more pages after ${MAX_REQUESTS} requests`);
  }
}
