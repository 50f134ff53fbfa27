import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

/** One request the fake API received, with what its signature check found. */
export interface ReceivedRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string;
  readonly securityToken?: string;
  /** True when the signature is the one the known secret gives for this very request. */
  readonly signatureValid: boolean;
}

export interface FakeStatusApi {
  readonly url: string;
  readonly received: ReceivedRequest[];
  stop(): Promise<void>;
}

export interface KnownCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A well-formed SigV4 header of API Gateway: `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/execute-api/aws4_request, …`. */
export const SIGV4_HEADER =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

const ENIS = Array.from({ length: 5 }, (_, i) => ({
  eniId: `eni-0000000000000000${i}`,
  state: i < 3 ? "associated" : "leaked",
  trunkEniId: "eni-0trunk0000000001",
  vlanId: i + 1,
  instanceId: "i-0123456789abcdef0",
  securityGroupIds: ["sg-0aaa", "sg-0bbb"],
  firstSeenAt: "2026-11-21T10:00:00.000Z",
  lastSeenAt: "2026-11-21T11:00:00.000Z",
  reason:
    i < 3
      ? "In use, associated over VLAN 1 to live trunk eni-0trunk0000000001."
      : "Status is available since 2026-11-21T10:00:00.000Z; grace 600 s elapsed (700 s).",
}));

const ACTIONS = Array.from({ length: 3 }, (_, i) => ({
  at: `2026-11-21T11:0${i}:00.000Z`,
  kind: "delete-eni",
  cluster: "alpha",
  target: `eni-0000000000000000${i + 3}`,
  mode: "enforce",
  outcome: "succeeded",
  reason: "Leaked: status is available since 2026-11-21T10:00:00.000Z; grace 600 s elapsed.",
}));

/** The API serves pages of at most this many items, whatever the client asks, so cursors must be followed. */
const SERVER_PAGE = 2;

/** A page of `items` from an opaque cursor (`p<offset>`), as the real API pages. */
const pageOf = <T>(items: readonly T[], query: Readonly<Record<string, string>>) => {
  const offset = query.cursor === undefined ? 0 : Number(query.cursor.slice(1));
  const size = Math.min(SERVER_PAGE, Number(query.limit ?? "100"));
  const next = offset + size;
  return { items: items.slice(offset, next), cursor: next < items.length ? `p${next}` : null };
};

const canned = (path: string, query: Readonly<Record<string, string>>): { status: number; body: unknown } => {
  if (path === "/v1/health")
    return { status: 200, body: { ok: true, mode: "enforce", lastSweepAt: "2026-11-21T11:00:00.000Z" } };
  if (path === "/v1/clusters") {
    return {
      status: 200,
      body: {
        clusters: [
          {
            name: "alpha",
            status: "active",
            vpcId: "vpc-0abc",
            counts: { associated: 3, leaked: 2 },
            lastSweepAt: "2026-11-21T11:00:00.000Z",
          },
          { name: "gamma", status: "deleted", counts: { suspect: 7 }, lastSweepAt: "2026-11-21T11:00:00.000Z" },
        ],
      },
    };
  }
  if (path === "/v1/clusters/alpha/enis") {
    const wanted = query.state === undefined ? ENIS : ENIS.filter((eni) => eni.state === query.state);
    return { status: 200, body: pageOf(wanted, query) };
  }
  if (path === "/v1/clusters/alpha/findings") {
    return {
      status: 200,
      body: {
        items: [
          {
            kind: "cluster-tag-missing",
            resourceId: "eni-00000000000000001",
            detail:
              "expected exactly one securityGroup tagged with kubernetes.io/cluster/alpha for eni eni-00000000000000001, got: [] (clusterName: alpha)",
            action: "tag sg-0aaa with kubernetes.io/cluster/alpha=shared",
          },
        ],
        cursor: null,
      },
    };
  }
  if (path === "/v1/enis/eni-00000000000000003") {
    return {
      status: 200,
      body: {
        eni: { ...ENIS[3], cluster: "alpha" },
        history: [
          {
            at: "2026-11-21T10:10:00.000Z",
            from: "suspect",
            to: "leaked",
            reason: "Grace elapsed.",
            cause: "sweep:s2",
          },
          {
            at: "2026-11-21T10:00:00.000Z",
            to: "suspect",
            reason: "First seen with leak evidence.",
            cause: "sweep:s1",
          },
        ],
      },
    };
  }
  if (path.startsWith("/v1/enis/"))
    return { status: 404, body: { error: { code: "not-found", message: `no record of ${path.slice(9)}` } } };
  if (path === "/v1/actions") {
    const wanted = ACTIONS.filter(
      (a) => (query.kind ?? a.kind) === a.kind && (query.cluster ?? a.cluster) === a.cluster,
    );
    return { status: 200, body: pageOf(wanted, query) };
  }
  return { status: 404, body: { error: { code: "not-found", message: `no route ${path}` } } };
};

/** Check the request's SigV4 signature by signing the same request with the known secret. */
const verify = async (request: IncomingMessage, url: URL, known: KnownCredentials): Promise<boolean> => {
  const match = SIGV4_HEADER.exec(request.headers.authorization ?? "");
  const date = request.headers["x-amz-date"];
  if (!match || typeof date !== "string" || match[1] !== known.accessKeyId) return false;
  const signer = new SignatureV4({
    service: "execute-api",
    region: match[3] ?? "",
    credentials: known,
    sha256: Sha256,
  });
  const signingDate = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
  const expected = await signer.sign(
    {
      method: request.method ?? "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: request.headers.host ?? "" },
    },
    { signingDate },
  );
  return expected.headers.authorization === request.headers.authorization;
};

/**
 * A local stand-in for the deployed status API: DESIGN-shaped canned answers, pages of two items
 * behind opaque cursors, and API Gateway's IAM check: a request whose SigV4 signature does not verify
 * against `known` gets 403 `{"message":"Forbidden"}`.
 */
export const startFakeStatusApi = async (
  known: KnownCredentials,
  overrides: {
    /** The message of a 403, from the refused request (the real gateway's explains the signature mismatch). */
    readonly forbidden?: (request: IncomingMessage) => string;
  } = {},
): Promise<FakeStatusApi> => {
  const received: ReceivedRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", `http://${request.headers.host}`);
    void verify(request, url, known).then((signatureValid) => {
      const token = request.headers["x-amz-security-token"];
      received.push({
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: request.headers.authorization ?? "",
        ...(typeof token === "string" ? { securityToken: token } : {}),
        signatureValid,
      });
      const answer = signatureValid
        ? canned(url.pathname, Object.fromEntries(url.searchParams))
        : { status: 403, body: { message: overrides.forbidden?.(request) ?? "Forbidden" } };
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
