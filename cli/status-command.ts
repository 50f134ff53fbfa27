import { parseArgs } from "node:util";
import { BRANCH_ENI_STATES } from "../core/model/branch-eni-state.ts";
import { ACTION_KINDS } from "../core/model/planned-action.ts";
import { COMMON_OPTIONS, choiceOf, integerOf, nonEmpty, parseCommandLine } from "./arguments.ts";
import { EXIT, type ExitCode, UsageError } from "./cli-errors.ts";
import type { CliIo } from "./cli-io.ts";
import { credentialsFrom, regionFrom } from "./credentials.ts";
import { HELP } from "./help-text.ts";
import type { Redactor } from "./redactor.ts";
import { SigV4Client } from "./sigv4-client.ts";
import { StatusApi } from "./status-api.ts";
import { actionsText, clusterText, eniDetailText, overviewText } from "./status-report.ts";
import { Terminal } from "./terminal.ts";

const COMMAND = "status";

/** The API's base URL: http(s), without credentials in it. */
const baseUrlOf = (value: string | undefined): URL => {
  if (value === undefined) throw new UsageError("--url is required (the status API's base URL)", COMMAND);
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new UsageError(`--url is not a URL: ${JSON.stringify(value)}`, COMMAND, { cause: error });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError("--url must be http(s)", COMMAND);
  if (url.username !== "" || url.password !== "") {
    throw new UsageError("--url must not carry credentials: requests are signed with SigV4", COMMAND);
  }
  return url;
};

/** The region in an API Gateway host name (`<id>.execute-api.<region>.amazonaws.com`). */
const regionOfHost = (hostname: string): string | undefined =>
  /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(hostname)?.[1];

/**
 * `branchkeeper status`: read a deployed status API with SigV4-signed requests; tables, or `--json`
 * (the API's answers, lists gathered across pages, as one document).
 */
export const statusCommand = async (args: readonly string[], io: CliIo, redactor: Redactor): Promise<ExitCode> => {
  const { values } = parseCommandLine(COMMAND, () =>
    parseArgs({
      args: [...args],
      options: {
        ...COMMON_OPTIONS,
        url: { type: "string" },
        cluster: { type: "string" },
        state: { type: "string" },
        eni: { type: "string" },
        actions: { type: "boolean", default: false },
        kind: { type: "string" },
        limit: { type: "string" },
        region: { type: "string" },
        json: { type: "boolean", default: false },
      },
      allowPositionals: false,
      strict: true,
    }),
  );
  const terminal = new Terminal(io, redactor, { progress: false });
  if (values.help) {
    terminal.out(HELP.status);
    return EXIT.ok;
  }
  const baseUrl = baseUrlOf(values.url);
  const cluster = nonEmpty(COMMAND, "cluster", values.cluster);
  const eni = nonEmpty(COMMAND, "eni", values.eni);
  const state = choiceOf(COMMAND, "state", values.state, BRANCH_ENI_STATES);
  const kind = choiceOf(COMMAND, "kind", values.kind, ACTION_KINDS);
  const limit = integerOf(COMMAND, "limit", values.limit, { min: 1, max: 100_000, fallback: 100 });
  if (eni !== undefined && (cluster !== undefined || state !== undefined || values.actions)) {
    throw new UsageError("--eni cannot be combined with --cluster, --state or --actions", COMMAND);
  }
  if (state !== undefined && (cluster === undefined || values.actions)) {
    throw new UsageError("--state needs --cluster (it filters a cluster's ENIs)", COMMAND);
  }
  if (kind !== undefined && !values.actions) throw new UsageError("--kind needs --actions", COMMAND);
  const region = regionFrom(values.region, io.env) ?? regionOfHost(baseUrl.hostname);
  if (region === undefined) {
    throw new UsageError("cannot tell the signing region from the URL: pass --region or set AWS_REGION", COMMAND);
  }

  const api = new StatusApi(
    new SigV4Client({
      baseUrl,
      region,
      credentials: credentialsFrom(io.env, redactor),
      ...(values.debug ? { trace: (line: string) => terminal.err(`debug: ${line}`) } : {}),
    }),
  );
  const show = (document: unknown, lines: () => string[]): ExitCode => {
    if (values.json) terminal.out(JSON.stringify(document, null, 2));
    else terminal.out(...lines());
    return EXIT.ok;
  };

  if (eni !== undefined) {
    const body = await api.eni(eni);
    return show(body, () => eniDetailText(body, terminal.width));
  }
  if (values.actions) {
    const actions = await api.actions({ ...(cluster ? { cluster } : {}), ...(kind ? { kind } : {}) }, limit);
    return show(actions, () => actionsText(actions, terminal.width));
  }
  if (cluster !== undefined) {
    const [enis, findings] = await Promise.all([api.enis(cluster, state, limit), api.findings(cluster, limit)]);
    const view = { cluster, ...(state !== undefined ? { state } : {}), enis, findings };
    return show(view, () => clusterText(view, terminal.width));
  }
  const [health, clusters] = await Promise.all([api.health(), api.clusters()]);
  const view = { health, clusters: clusters.clusters };
  return show(view, () => overviewText(view, terminal.width));
};
