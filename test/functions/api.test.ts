import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type {
  ActionView,
  ClusterView,
  EniDetailView,
  EniView,
  FindingView,
  HealthView,
  ListView,
  TransitionView,
} from "../../core/api/status-views.ts";
import type { DynamoDbStateStore } from "../../core/aws/dynamodb-state-store.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../../core/model/branch-eni-state.ts";
import type { EniRecord } from "../../core/model/eni-record.ts";
import { FINDING_KINDS } from "../../core/model/finding.ts";
import { ACTION_KINDS } from "../../core/model/planned-action.ts";
import { gatewayEvent, plainEvent } from "../core/api/http-api-events.ts";
import {
  actionRecord,
  at,
  eniRecord,
  finding,
  type StateStoreFixture,
  seedEnis,
  startStateStoreFixture,
  transition,
} from "../core/aws/state-store-fixture.ts";
import { setFaults } from "../support/sim-clients.ts";
import { type Answer, type ApiHarness, importApiHandler, restoreEnvironment } from "./api-harness.ts";

/**
 * Seeded state: alpha (summarized, 240 ENIs in all seven states, findings, 130 transitions on one ENI),
 * beta (90 ENIs, never summarized: known by its records only), gamma (summarized, deleted, no ENIs),
 * and 70 audit entries over alpha and beta and every kind.
 */
const eniIdOf = (n: number) => `eni-${n.toString(16).padStart(17, "0")}`;
const ALPHA: EniRecord[] = Array.from({ length: 240 }, (_, i) =>
  eniRecord({
    eniId: eniIdOf(0x100000 + i),
    cluster: "alpha",
    state: BRANCH_ENI_STATES[i % BRANCH_ENI_STATES.length] ?? "associated",
    reason: `alpha reason ${i}`,
    vlanId: (i % 100) + 1,
    securityGroupIds: [`sg-0${i % 3}`, "sg-0ffff"],
    firstSeenAt: at(-i),
    lastSeenAt: at(i),
    // Every fifth one has no trunk, VLAN or node: the API shows null.
    ...(i % 5 === 0 ? { trunkEniId: undefined, vlanId: undefined, instanceId: undefined } : {}),
  }),
);
const BETA_STATES: BranchEniState[] = ["associated", "detached", "suspect", "leaked"];
const BETA: EniRecord[] = Array.from({ length: 90 }, (_, i) =>
  eniRecord({
    eniId: eniIdOf(0x200000 + i),
    cluster: "beta",
    state: BETA_STATES[i % BETA_STATES.length] ?? "associated",
  }),
);
const STORIED_ENI = ALPHA[1] ?? eniRecord();
const HISTORY = Array.from({ length: 130 }, (_, i) =>
  transition({
    eniId: STORIED_ENI.eniId,
    at: at(i * 10),
    to: i % 2 === 0 ? "associated" : "detached",
    reason: `step ${i}`,
    cause: `sweep:${i}`,
    ...(i === 0 ? { from: undefined } : { from: i % 2 === 0 ? "detached" : "associated" }),
  }),
);
/** A second ENI, seen once: its only transition is its first sighting. */
const NEW_ENI = ALPHA[2] ?? eniRecord();
const FIRST_SIGHTING = transition({
  eniId: NEW_ENI.eniId,
  at: at(5),
  from: undefined,
  to: "suspect",
  reason: "first seen available",
  cause: "event:0f1e2d3c",
});
const FINDINGS = Array.from({ length: 25 }, (_, i) =>
  finding({
    kind: FINDING_KINDS[i % FINDING_KINDS.length] ?? "cluster-tag-missing",
    resourceId: `sg-0${i.toString(16).padStart(4, "0")}`,
    detail: `detail ${i}`,
    action: `action ${i}`,
    observedAt: at(300),
  }),
);
const ACTIONS = Array.from({ length: 70 }, (_, i) =>
  actionRecord({
    id: `act-${i}`,
    at: at(i),
    cluster: i % 2 === 0 ? "alpha" : "beta",
    kind: ACTION_KINDS[i % ACTION_KINDS.length] ?? "delete-eni",
    target: `target-${i}`,
    mode: i % 4 === 0 ? "dry-run" : "enforce",
    outcome: i % 4 === 0 ? "dry-run" : "succeeded",
    reason: `because ${i}`,
    detail: i % 3 === 0 ? `detail ${i}` : undefined,
  }),
);
const countsOf = (records: readonly EniRecord[]) =>
  Object.fromEntries(BRANCH_ENI_STATES.map((state) => [state, records.filter((r) => r.state === state).length]));

const get = (url: string) => plainEvent("GET", url);

/** Every page of a listing, following cursors from `url` (which may carry a query already). */
const allPages = async <T>(api: ApiHarness, url: string, limit: number): Promise<ListView<T>[]> => {
  const pages: ListView<T>[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes("?") ? "&" : "?";
    const next: string = `${url}${separator}limit=${limit}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
    const answer: Answer<ListView<T>> = await api.invoke<ListView<T>>(get(next));
    expect(answer.status).toBe(200);
    pages.push(answer.body);
    cursor = answer.body.cursor;
  } while (cursor !== null && pages.length < 100);
  return pages;
};

const firstCursor = async (api: ApiHarness, url: string): Promise<string> => {
  const { body } = await api.invoke<ListView<unknown>>(get(url));
  if (body.cursor === null) throw new Error(`${url} has a single page`);
  return body.cursor;
};

describe("functions/api.ts over a seeded state table", () => {
  let fixture: StateStoreFixture;
  let store: DynamoDbStateStore;
  let api: ApiHarness;
  let tableName: string;

  beforeAll(async () => {
    fixture = await startStateStoreFixture();
    const created = await fixture.newStore();
    store = created.store;
    tableName = created.tableName;
    await seedEnis(fixture.dynamodb, created.tableName, [...ALPHA, ...BETA]);
    await Promise.all([
      store.putClusterSummary({
        name: "alpha",
        status: "active",
        vpcId: "vpc-0a1fa",
        counts: countsOf(ALPHA) as Record<BranchEniState, number>,
        lastSweepAt: at(600),
      }),
      store.putClusterSummary({
        name: "gamma",
        status: "deleted",
        counts: { associated: 0, detached: 0, suspect: 0, leaked: 0, deleting: 0, deleted: 0, gone: 0 },
        lastSweepAt: at(1200),
      }),
      store.replaceFindings("alpha", FINDINGS, at(300)),
      ...[...HISTORY, FIRST_SIGHTING].map((step) => store.appendTransition(step, 30)),
      ...ACTIONS.map((action) => store.recordAction(action)),
    ]);
    api = await importApiHandler({
      TABLE_NAME: created.tableName,
      MODE: "enforce",
      AWS_ENDPOINT_URL: fixture.sim.endpoint,
      AWS_MAX_ATTEMPTS: "1",
    });
  });

  afterAll(async () => {
    restoreEnvironment();
    await fixture.stop();
  });

  describe("GET /v1/health", () => {
    it("reports ok, the mode from MODE and the newest sweep of any cluster", async () => {
      // Prepare / Act
      const answer = await api.invoke<HealthView>(get("/v1/health"));

      // Assess
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(answer.body).toStrictEqual({ ok: true, mode: "enforce", lastSweepAt: at(1200) });
    });
  });

  describe("GET /v1/clusters", () => {
    it("lists every summarized cluster by name, with all seven state counts", async () => {
      // Prepare / Act
      const answer = await api.invoke<{ clusters: ClusterView[] }>(get("/v1/clusters"));

      // Assess: beta has records but no sweep summary yet, so it is not listed.
      expect(answer.status).toBe(200);
      expect(answer.body).toStrictEqual({
        clusters: [
          { name: "alpha", status: "active", vpcId: "vpc-0a1fa", counts: countsOf(ALPHA), lastSweepAt: at(600) },
          {
            name: "gamma",
            status: "deleted",
            vpcId: null,
            counts: { associated: 0, detached: 0, suspect: 0, leaked: 0, deleting: 0, deleted: 0, gone: 0 },
            lastSweepAt: at(1200),
          },
        ],
      });
    });
  });

  describe("GET /v1/clusters/{cluster}/enis", () => {
    it("shows each ENI with exactly the contract's fields, null where unknown", async () => {
      // Prepare
      const [withTrunk, withoutTrunk] = [ALPHA[3], ALPHA[10]];

      // Act
      const answer = await api.invoke<ListView<EniView>>(get("/v1/clusters/alpha/enis?state=leaked&limit=500"));

      // Assess
      expect(answer.status).toBe(200);
      const byId = new Map(answer.body.items.map((item) => [item.eniId, item]));
      expect(byId.get(withTrunk?.eniId ?? "")).toStrictEqual({
        eniId: withTrunk?.eniId,
        state: "leaked",
        trunkEniId: withTrunk?.trunkEniId,
        vlanId: 4,
        instanceId: withTrunk?.instanceId,
        securityGroupIds: ["sg-00", "sg-0ffff"],
        firstSeenAt: at(-3),
        lastSeenAt: at(3),
        reason: "alpha reason 3",
      });
      expect(byId.get(withoutTrunk?.eniId ?? "")).toMatchObject({ trunkEniId: null, vlanId: null, instanceId: null });
    });

    it.each([
      ["/v1/clusters/alpha/enis", ALPHA, 37],
      ["/v1/clusters/alpha/enis?state=suspect", ALPHA.filter((r) => r.state === "suspect"), 5],
      ["/v1/clusters/beta/enis?state=leaked", BETA.filter((r) => r.state === "leaked"), 500],
      ["/v1/clusters/beta/enis", BETA, 1],
    ])(
      "pages through %s: every record exactly once, in order, pages within the limit",
      async (url, expected, limit) => {
        // Prepare / Act
        const pages = await allPages<EniView>(api, url, limit);

        // Assess
        const ids = pages.flatMap((page) => page.items.map((item) => `${item.state}#${item.eniId}`));
        expect(ids).toEqual(expected.map((r) => `${r.state}#${r.eniId}`).sort());
        expect(pages.every((page) => page.items.length <= limit)).toBe(true);
        expect(pages.slice(0, -1).every((page) => page.items.length === limit)).toBe(true);
        expect(pages.at(-1)?.cursor).toBeNull();
        expect(pages).toHaveLength(Math.max(1, Math.ceil(expected.length / limit)));
      },
    );

    it("answers a known cluster with nothing to list with an empty last page", async () => {
      // Prepare / Act: gamma was swept but has no ENIs; beta has no ENI in `gone`.
      const gamma = await api.invoke<ListView<EniView>>(get("/v1/clusters/gamma/enis"));
      const beta = await api.invoke<ListView<EniView>>(get("/v1/clusters/beta/enis?state=gone"));

      // Assess
      expect(gamma).toMatchObject({ status: 200, body: { items: [], cursor: null } });
      expect(beta).toMatchObject({ status: 200, body: { items: [], cursor: null } });
    });

    it.each(["/v1/clusters/delta/enis", "/v1/clusters/delta/enis?state=leaked"])(
      "answers %s, a cluster without summary or records, with 404 ClusterNotFound",
      async (url) => {
        // Prepare / Act
        const answer = await api.invoke(get(url));

        // Assess
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe("ClusterNotFound");
        expect(answer.body.error.message).toContain('"delta"');
      },
    );
  });

  describe("GET /v1/enis/{eniId}", () => {
    it("shows the ENI with its cluster, and its newest 100 transitions newest first", async () => {
      // Prepare
      const newestFirst = [...HISTORY].reverse().slice(0, 100);

      // Act
      const answer = await api.invoke<{ eni: EniDetailView; history: TransitionView[] }>(
        get(`/v1/enis/${STORIED_ENI.eniId}`),
      );

      // Assess
      expect(answer.status).toBe(200);
      expect(answer.body.eni).toStrictEqual({
        eniId: STORIED_ENI.eniId,
        state: "detached",
        trunkEniId: STORIED_ENI.trunkEniId,
        vlanId: 2,
        instanceId: STORIED_ENI.instanceId,
        securityGroupIds: ["sg-01", "sg-0ffff"],
        firstSeenAt: at(-1),
        lastSeenAt: at(1),
        reason: "alpha reason 1",
        cluster: "alpha",
      });
      expect(answer.body.history).toStrictEqual(
        newestFirst.map((step) => ({
          at: step.at,
          from: step.from,
          to: step.to,
          reason: step.reason,
          cause: step.cause,
        })),
      );
    });

    it("shows a first sighting with from null, and an ENI without history with an empty one", async () => {
      // Prepare
      const quiet = ALPHA[4]?.eniId ?? "";

      // Act
      const seenOnce = await api.invoke<{ history: TransitionView[] }>(get(`/v1/enis/${NEW_ENI.eniId}`));
      const neverMoved = await api.invoke<{ history: TransitionView[] }>(get(`/v1/enis/${quiet}`));

      // Assess
      expect(seenOnce.body.history).toStrictEqual([
        { at: at(5), from: null, to: "suspect", reason: "first seen available", cause: "event:0f1e2d3c" },
      ]);
      expect(neverMoved).toMatchObject({ status: 200, body: { history: [] } });
    });

    it("answers an ENI never recorded with 404 EniNotFound", async () => {
      // Prepare / Act
      const answer = await api.invoke(get("/v1/enis/eni-0deadbeef"));

      // Assess
      expect(answer).toMatchObject({ status: 404, body: { error: { code: "EniNotFound" } } });
    });
  });

  describe("GET /v1/clusters/{cluster}/findings", () => {
    it("pages through every finding exactly once, by kind then resource, with the contract's fields", async () => {
      // Prepare
      const expected = [...FINDINGS].sort((a, b) =>
        `${a.kind}#${a.resourceId}`.localeCompare(`${b.kind}#${b.resourceId}`, "en"),
      );

      // Act
      const pages = await allPages<FindingView>(api, "/v1/clusters/alpha/findings", 10);

      // Assess
      expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
      expect(pages.flatMap((page) => page.items)).toStrictEqual(
        expected.map((f) => ({
          kind: f.kind,
          resourceId: f.resourceId,
          detail: f.detail,
          action: f.action,
          observedAt: at(300),
        })),
      );
    });

    it("answers a known cluster without findings with an empty page, an unknown one with 404", async () => {
      // Prepare / Act
      const beta = await api.invoke<ListView<FindingView>>(get("/v1/clusters/beta/findings"));
      const delta = await api.invoke(get("/v1/clusters/delta/findings"));

      // Assess
      expect(beta).toMatchObject({ status: 200, body: { items: [], cursor: null } });
      expect(delta).toMatchObject({ status: 404, body: { error: { code: "ClusterNotFound" } } });
    });
  });

  describe("GET /v1/actions", () => {
    const newestFirst = (filter: (a: (typeof ACTIONS)[number]) => boolean) =>
      ACTIONS.filter(filter)
        .reverse()
        .map((a) => a.id);

    it.each([
      ["/v1/actions", () => true, 16],
      ["/v1/actions?cluster=alpha", (a: (typeof ACTIONS)[number]) => a.cluster === "alpha", 7],
      ["/v1/actions?kind=tag-sg", (a: (typeof ACTIONS)[number]) => a.kind === "tag-sg", 3],
      [
        "/v1/actions?cluster=beta&kind=revoke-rule",
        (a: (typeof ACTIONS)[number]) => a.cluster === "beta" && a.kind === "revoke-rule",
        2,
      ],
    ])("pages through %s newest first, every entry exactly once", async (url, filter, limit) => {
      // Prepare
      const expected = newestFirst(filter);
      const byTarget = new Map(ACTIONS.map((a) => [a.target, a.id]));

      // Act
      const pages = await allPages<ActionView>(api, url, limit);

      // Assess
      expect(pages.flatMap((page) => page.items.map((item) => byTarget.get(item.target)))).toEqual(expected);
      expect(pages.every((page) => page.items.length <= limit)).toBe(true);
    });

    it("shows each entry with the contract's fields, detail null when there is none", async () => {
      // Prepare / Act
      const answer = await api.invoke<ListView<ActionView>>(get("/v1/actions?cluster=alpha&kind=delete-eni&limit=2"));

      // Assess: act-60 (dry-run, with detail) and act-50 (enforce, none).
      expect(answer.body.items).toStrictEqual([
        {
          at: at(60),
          kind: "delete-eni",
          cluster: "alpha",
          target: "target-60",
          mode: "dry-run",
          outcome: "dry-run",
          reason: "because 60",
          detail: "detail 60",
        },
        {
          at: at(50),
          kind: "delete-eni",
          cluster: "alpha",
          target: "target-50",
          mode: "enforce",
          outcome: "succeeded",
          reason: "because 50",
          detail: null,
        },
      ]);
      expect(answer.body.cursor).toEqual(expect.any(String));
    });

    it("answers a cluster filter without actions with an empty page, not 404", async () => {
      // Prepare / Act
      const answer = await api.invoke<ListView<ActionView>>(get("/v1/actions?cluster=delta"));

      // Assess
      expect(answer).toMatchObject({ status: 200, body: { items: [], cursor: null } });
    });
  });

  describe("cursors", () => {
    it("refuses a cursor from another route, cluster, filter, or altered, with 400 InvalidCursor and no read", async () => {
      // Prepare
      const alphaAll = await firstCursor(api, "/v1/clusters/alpha/enis?limit=5");
      const alphaLeaked = await firstCursor(api, "/v1/clusters/alpha/enis?state=leaked&limit=5");
      const findings = await firstCursor(api, "/v1/clusters/alpha/findings?limit=5");
      const actionsOfAlpha = await firstCursor(api, "/v1/actions?cluster=alpha&limit=5");
      const tagActions = await firstCursor(api, "/v1/actions?kind=tag-sg&limit=5");
      const flipped = `${alphaAll.slice(0, -1)}${alphaAll.endsWith("A") ? "B" : "A"}`;
      const misuses = [
        `/v1/clusters/beta/enis?cursor=${alphaAll}`,
        `/v1/clusters/alpha/enis?state=leaked&cursor=${alphaAll}`,
        `/v1/clusters/alpha/enis?state=suspect&cursor=${alphaLeaked}`,
        `/v1/clusters/alpha/enis?cursor=${alphaLeaked}`,
        `/v1/clusters/alpha/findings?cursor=${alphaAll}`,
        `/v1/clusters/alpha/enis?cursor=${findings}`,
        `/v1/clusters/beta/findings?cursor=${findings}`,
        `/v1/actions?cursor=${actionsOfAlpha}`,
        `/v1/actions?cluster=beta&cursor=${actionsOfAlpha}`,
        `/v1/actions?kind=untag-sg&cursor=${tagActions}`,
        `/v1/clusters/alpha/enis?cursor=${flipped}`,
        `/v1/clusters/alpha/enis?cursor=${alphaAll.slice(0, 10)}`,
        "/v1/clusters/alpha/enis?cursor=not-a-cursor",
        `/v1/clusters/alpha/enis?cursor=${"A".repeat(9000)}`,
        `/v1/actions?cursor=${encodeURIComponent(`${Buffer.from('["x","y","z","w"]').toString("base64url")}.abc`)}`,
      ];
      await fixture.resetStats();

      // Act
      const answers = await Promise.all(misuses.map((url) => api.invoke(get(url))));

      // Assess
      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe("InvalidCursor");
      }
      expect(await fixture.dynamoCalls()).toEqual({});
    });
  });

  describe("validation", () => {
    const refusals: [string, unknown, number, string][] = [
      ["limit=-1", get("/v1/clusters/alpha/enis?limit=-1"), 400, "InvalidParameter"],
      ["limit=0", get("/v1/clusters/alpha/enis?limit=0"), 400, "InvalidParameter"],
      ["limit=abc", get("/v1/clusters/alpha/findings?limit=abc"), 400, "InvalidParameter"],
      ["limit=100000", get("/v1/actions?limit=100000"), 400, "InvalidParameter"],
      ["limit=501", get("/v1/actions?limit=501"), 400, "InvalidParameter"],
      ["an unknown state", get("/v1/clusters/alpha/enis?state=zombie"), 400, "InvalidParameter"],
      ["an unknown kind", get("/v1/actions?kind=delete-sg"), 400, "InvalidParameter"],
      ["an invalid cluster filter", get("/v1/actions?cluster=al%2Fpha"), 400, "InvalidParameter"],
      ["an unknown query parameter", get("/v1/clusters/alpha/enis?states=leaked"), 400, "InvalidParameter"],
      ["an invalid ENI id", get("/v1/enis/eni-NOTHEX"), 400, "InvalidParameter"],
      ["an invalid cluster name", get("/v1/clusters/-alpha/enis"), 400, "InvalidParameter"],
      ["a cluster name over 100 characters", get(`/v1/clusters/${"a".repeat(101)}/findings`), 400, "InvalidParameter"],
      ["odd characters in a cluster name", get("/v1/clusters/alpha%27%20OR%201=1/enis"), 400, "InvalidParameter"],
      ["odd characters in an ENI id", get("/v1/enis/eni-0abc%3Bls"), 400, "InvalidParameter"],
      ["path traversal", get("/v1/enis/../clusters"), 400, "InvalidPath"],
      ["encoded path traversal", get("/v1/enis/%2e%2e%2f%2e%2e%2fetc%2fpasswd"), 400, "InvalidPath"],
      ["a traversal in a cluster name", get("/v1/clusters/alpha%2F..%2Fbeta/enis"), 400, "InvalidPath"],
      ["a NUL byte", get("/v1/enis/eni-0abc%00"), 400, "InvalidPath"],
      ["broken percent-encoding", get("/v1/clusters/%E0%A4%A/enis"), 400, "InvalidPath"],
      [
        "API Gateway's decoded traversal",
        gatewayEvent("GET /v1/enis/{eniId}", "/v1/enis/..%2F..", { eniId: "../.." }),
        400,
        "InvalidParameter",
      ],
      ["no path or method", { body: "hello" }, 400, "InvalidRequest"],
      ["an unknown route", get("/v1/secrets"), 404, "NotFound"],
      ["a trailing slash", get("/v1/health/"), 404, "NotFound"],
      ["an API Gateway event for an unknown path", gatewayEvent("$default", "/v2/health"), 404, "NotFound"],
      ["another method", plainEvent("DELETE", "/v1/enis/eni-0abc"), 405, "MethodNotAllowed"],
    ];

    it.each(refusals)("refuses %s", async (_what, event, status, code) => {
      // Prepare / Act
      const answer = await api.invoke(event);

      // Assess
      expect(answer.status).toBe(status);
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(answer.body).toStrictEqual({ error: { code, message: expect.any(String) } });
      expect(answer.body.error.message.length).toBeGreaterThan(10);
    });

    it("reads nothing at all for a refused request", async () => {
      // Prepare
      await fixture.resetStats();

      // Act
      for (const [, event] of refusals) await api.invoke(event);

      // Assess
      expect(await fixture.dynamoCalls()).toEqual({});
    });

    it("answers 405 with the methods allowed", async () => {
      // Prepare / Act
      const answer = await api.invoke(plainEvent("POST", "/v1/actions"));

      // Assess
      expect(answer.headers.allow).toBe("GET");
    });

    it("never answers 5xx, whatever the query", async () => {
      // Prepare
      const routes = ["/v1/clusters/alpha/enis", "/v1/clusters/beta/findings", "/v1/actions", "/v1/enis/eni-0abc"];
      const query = fc.dictionary(
        fc.constantFrom("limit", "state", "kind", "cluster", "cursor"),
        fc.oneof(
          fc.string(),
          fc.constantFrom("leaked", "tag-sg", "alpha", "1", "500", "eyJ4IjoxfQ.abc", `${"9".repeat(30)}`),
        ),
      );

      // Act / Assess
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), query, async (route, parameters) => {
          const answer = await api.invoke(get(`${route}?${new URLSearchParams(parameters).toString()}`));
          expect(answer.status).toBeLessThan(500);
        }),
        { numRuns: 150 },
      );
    });
  });

  describe("routing", () => {
    it.each([
      ["GET /v1/health", "/v1/health", undefined],
      ["GET /v1/clusters", "/v1/clusters", undefined],
      ["GET /v1/clusters/{cluster}/enis", "/v1/clusters/alpha/enis?state=deleted&limit=3", { cluster: "alpha" }],
      ["GET /v1/enis/{eniId}", `/v1/enis/${STORIED_ENI.eniId}`, { eniId: STORIED_ENI.eniId }],
      ["GET /v1/clusters/{cluster}/findings", "/v1/clusters/alpha/findings?limit=4", { cluster: "alpha" }],
      ["GET /v1/actions", "/v1/actions?kind=authorize-rule&limit=3", undefined],
      ["GET /v1/clusters/{cluster}/enis", "/v1/clusters/delta/enis", { cluster: "delta" }],
    ])("answers %s (%s) alike from API Gateway and from a plain HTTP request", async (routeKey, url, parameters) => {
      // Prepare / Act
      const fromGateway = await api.invoke<unknown>(gatewayEvent(routeKey, url, parameters));
      const fromPlainHttp = await api.invoke<unknown>(plainEvent("GET", url));

      // Assess
      expect(fromPlainHttp).toStrictEqual(fromGateway);
    });
  });

  describe("failures", () => {
    it("answers 503 ServiceUnavailable on every route while DynamoDB fails in a way that may pass", async () => {
      // Prepare
      await setFaults(fixture.sim.endpoint, {
        errors: [
          { action: "dynamodb:Query", rate: 1 },
          { action: "dynamodb:GetItem", rate: 1 },
        ],
      });

      // Act
      const answers = await Promise.all(
        [
          "/v1/health",
          "/v1/clusters",
          "/v1/clusters/alpha/enis",
          `/v1/enis/${STORIED_ENI.eniId}`,
          "/v1/clusters/alpha/findings",
          "/v1/actions",
        ].map((url) => api.invoke(get(url))),
      );
      await setFaults(fixture.sim.endpoint, {});

      // Assess
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.headers["retry-after"]).toBe("1");
        expect(answer.body.error.code).toBe("ServiceUnavailable");
      }
    });

    it("answers an unexpected failure with 500 InternalError, its details in the logs only", async () => {
      // Prepare: a terminal DynamoDB error no request can cause.
      await setFaults(fixture.sim.endpoint, {
        errors: [{ action: "dynamodb:Query", rate: 1, code: "ValidationException", status: 400 }],
      });

      // Act
      const answer = await api.invoke(gatewayEvent("GET /v1/actions", "/v1/actions", undefined, "req-broken-1"));
      await setFaults(fixture.sim.endpoint, {});

      // Assess
      expect(answer.status).toBe(500);
      expect(answer.body).toStrictEqual({
        error: { code: "InternalError", message: "internal error; the details are in the service's logs" },
      });
      const logged = api.output().find((line) => line.correlation_id === "req-broken-1" && line.level === "ERROR");
      expect(logged).toMatchObject({ message: "request failed", route: "GET /v1/actions", statusCode: 500 });
      expect(JSON.stringify(logged)).toContain("ValidationException");
    });
  });

  describe("DynamoDB reads", () => {
    it("uses Query and GetItem only, never Scan, across every route and page", async () => {
      // Prepare
      await fixture.resetStats();

      // Act: every listing to its last page, every other read once, known and unknown alike.
      for (const url of [
        "/v1/clusters/alpha/enis",
        "/v1/clusters/alpha/enis?state=leaked",
        "/v1/clusters/alpha/findings",
        "/v1/actions",
        "/v1/actions?cluster=alpha",
        "/v1/actions?kind=tag-sg",
        "/v1/actions?cluster=alpha&kind=tag-sg",
      ]) {
        await allPages(api, url, 50);
      }
      for (const url of [
        "/v1/health",
        "/v1/clusters",
        "/v1/clusters/gamma/enis",
        "/v1/clusters/delta/enis?state=leaked",
        "/v1/clusters/beta/findings",
        "/v1/clusters/delta/findings",
        `/v1/enis/${STORIED_ENI.eniId}`,
        "/v1/enis/eni-0deadbeef",
      ]) {
        await api.invoke(get(url));
      }

      // Assess
      const calls = await fixture.dynamoCalls();
      expect(calls["dynamodb:Scan"]).toBeUndefined();
      expect(Object.keys(calls).sort()).toEqual(["dynamodb:GetItem", "dynamodb:Query"]);
    });
  });

  describe("observability", () => {
    it("logs with the request id as correlation id and publishes per-route metrics", async () => {
      // Prepare
      const event = gatewayEvent(
        "GET /v1/clusters/{cluster}/enis",
        "/v1/clusters/alpha/enis?limit=0",
        { cluster: "alpha" },
        "req-metrics-1",
      );

      // Act
      await api.invoke(event);

      // Assess
      const output = api.output();
      expect(output).toContainEqual(
        expect.objectContaining({
          level: "INFO",
          message: "request refused",
          correlation_id: "req-metrics-1",
          route: "GET /v1/clusters/{cluster}/enis",
          statusCode: 400,
          code: "InvalidParameter",
        }),
      );
      const emf = output.filter((line) => "_aws" in line && line.route === "GET /v1/clusters/{cluster}/enis");
      expect(emf.at(-1)).toMatchObject({ service: "branchkeeper-api", Requests: 1, ClientErrors: 1, ServerErrors: 0 });
      expect(emf.at(-1)?.Latency).toEqual(expect.any(Number));
    });
  });
  describe("tracing", () => {
    it("is off outside Lambda, where no X-Ray daemon runs", () => {
      // Prepare / Act / Assess: the suite runs outside Lambda.
      expect(api.tracingEnabled()).toBe(false);
    });

    it("does not break requests in a Lambda environment without an X-Ray daemon or segment", async () => {
      // Prepare: tracing switches on; nothing listens on the daemon's port and no facade segment exists.
      vi.spyOn(console, "warn").mockImplementation(() => undefined);
      vi.spyOn(console, "error").mockImplementation(() => undefined);
      const traced = await importApiHandler({
        TABLE_NAME: tableName,
        MODE: "dry-run",
        AWS_ENDPOINT_URL: fixture.sim.endpoint,
        AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
        _X_AMZN_TRACE_ID: "Root=1-6741f1b0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1",
        AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
      });

      // Act
      const health = await traced.invoke<HealthView>(get("/v1/health"));
      const eni = await traced.invoke<{ eni: EniDetailView }>(get(`/v1/enis/${STORIED_ENI.eniId}`));
      const refused = await traced.invoke(get("/v1/enis/nope"));

      // Assess
      expect(traced.tracingEnabled()).toBe(true);
      expect(health).toMatchObject({ status: 200, body: { ok: true, mode: "dry-run" } });
      expect(eni).toMatchObject({ status: 200, body: { eni: { eniId: STORIED_ENI.eniId } } });
      expect(refused.status).toBe(400);
    });
  });
});
