import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../../core/api/api-error.ts";
import { ENI_HISTORY_LIMIT } from "../../../core/api/routes/eni.ts";
import { prepareStatusRead, routeLabelOf } from "../../../core/api/status-api.ts";
import { fakeStatusStore } from "./fake-status-store.ts";
import { gatewayEvent, plainEvent } from "./http-api-events.ts";
import { actionRecord, at, clusterSummary, eniRecord, finding, transition } from "./status-records.ts";

const get = (url: string) => plainEvent("GET", url);

const refusal = (url: string): ApiError => {
  try {
    prepareStatusRead(get(url));
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`${url} was accepted`);
};

describe("status API requests", () => {
  describe("validation, before anything is read", () => {
    it.each([
      ["/v1/clusters/alpha/enis?limit=-1", "limit", "must be an integer from 1 to 500"],
      ["/v1/clusters/alpha/enis?limit=0", "limit", "must be an integer from 1 to 500"],
      ["/v1/clusters/alpha/enis?limit=abc", "limit", 'got "abc"'],
      ["/v1/clusters/alpha/enis?limit=100000", "limit", "must be an integer from 1 to 500"],
      ["/v1/clusters/alpha/enis?limit=501", "limit", "must be an integer from 1 to 500"],
      ["/v1/clusters/alpha/enis?limit=1.5", "limit", "must be an integer from 1 to 500"],
      ["/v1/clusters/alpha/enis?limit=1e2", "limit", "must be an integer from 1 to 500"],
      ["/v1/clusters/alpha/enis?limit=%2010", "limit", "must be an integer from 1 to 500"],
      ["/v1/clusters/alpha/enis?limit=5&limit=6", "limit", 'got "5,6"'],
      ["/v1/clusters/alpha/enis?state=zombie", "state", "must be one of associated, detached, suspect"],
      ["/v1/clusters/alpha/enis?state=LEAKED", "state", "must be one of"],
      ["/v1/clusters/alpha/findings?limit=0", "limit", "must be an integer"],
      ["/v1/actions?kind=delete", "kind", "must be one of delete-eni, tag-sg, untag-sg, authorize-rule, revoke-rule"],
      ["/v1/actions?cluster=-alpha", "cluster", "must be an EKS cluster name"],
      ["/v1/actions?limit=abc", "limit", "must be an integer"],
      ["/v1/clusters/-alpha/enis", "cluster", "must be an EKS cluster name"],
      ["/v1/clusters/_alpha/findings", "cluster", "must be an EKS cluster name"],
      [`/v1/clusters/${"a".repeat(101)}/enis`, "cluster", "must be an EKS cluster name"],
      ["/v1/clusters/al%20pha/enis", "cluster", "must be an EKS cluster name"],
      ["/v1/clusters/alpha%22%3B/enis", "cluster", "must be an EKS cluster name"],
      ["/v1/clusters/alpha%23x/enis", "cluster", "must be an EKS cluster name"],
      ["/v1/enis/eni-XYZ", "eniId", "must be an ENI id"],
      ["/v1/enis/eni-", "eniId", "must be an ENI id"],
      ["/v1/enis/ENI-0abc", "eniId", "must be an ENI id"],
      ["/v1/enis/vol-0abc", "eniId", "must be an ENI id"],
      ["/v1/enis/eni-0abc%20", "eniId", "must be an ENI id"],
      [`/v1/enis/eni-${"a".repeat(33)}`, "eniId", "must be an ENI id"],
      ["/v1/clusters/alpha/enis?stat=leaked", "stat", "unknown query parameter"],
      ["/v1/health?verbose=1", "verbose", "this route accepts: none"],
      ["/v1/enis/eni-0abc?limit=5", "limit", "unknown query parameter"],
      ["/v1/actions?constructor=x", "constructor", "unknown query parameter"],
      ["/v1/actions?__proto__=x", "__proto__", "unknown query parameter"],
    ])("refuses %s with 400 InvalidParameter naming %s", (url, parameter, message) => {
      // Prepare / Act
      const error = refusal(url);

      // Assess
      expect(error).toMatchObject({ statusCode: 400, code: "InvalidParameter" });
      expect(error.message).toContain(`"${parameter}"`);
      expect(error.message).toContain(message);
    });

    it("validates API Gateway's decoded path parameters the same way", () => {
      // Prepare: API Gateway hands over path parameters decoded, traversal included.
      const event = gatewayEvent("GET /v1/enis/{eniId}", "/v1/enis/..%2F..%2Fetc", { eniId: "../../etc" });

      // Act / Assess
      expect(() => prepareStatusRead(event)).toThrow(expect.objectContaining({ code: "InvalidParameter" }));
    });

    it("never answers arbitrary requests with anything but a 4xx refusal or a read", () => {
      // Prepare
      const segment = fc.oneof(
        fc.string(),
        fc.constantFrom("v1", "clusters", "enis", "findings", "actions", "health", "alpha", "eni-0abc", "..", "%2e"),
      );
      const request = fc.record({
        method: fc.constantFrom("GET", "POST", "get", "", "BREW"),
        segments: fc.array(segment, { maxLength: 5 }),
        query: fc.dictionary(
          fc.constantFrom("limit", "state", "kind", "cluster", "cursor", "x"),
          fc.oneof(fc.string(), fc.integer().map(String)),
        ),
        routeKey: fc.option(fc.constantFrom("GET /v1/enis/{eniId}", "GET /v1/actions", "$default", "")),
        pathParameters: fc.option(fc.dictionary(fc.constantFrom("eniId", "cluster"), fc.string())),
      });

      // Act / Assess
      fc.assert(
        fc.property(request, ({ method, segments, query, routeKey, pathParameters }) => {
          const event = {
            ...(routeKey === null ? {} : { routeKey }),
            rawPath: `/${segments.map((s) => (s.startsWith("%") ? s : encodeURIComponent(s))).join("/")}`,
            queryStringParameters: query,
            ...(pathParameters === null ? {} : { pathParameters }),
            requestContext: { http: { method } },
          };
          try {
            expect(prepareStatusRead(event)).toBeTypeOf("function");
          } catch (error) {
            expect(error).toBeInstanceOf(ApiError);
            expect(error).toHaveProperty(
              "statusCode",
              expect.toSatisfy((status: number) => status < 500),
            );
          }
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe("reads", () => {
    it("asks for pages of 100 by default and treats empty values as unset", async () => {
      // Prepare
      const { store, calls } = fakeStatusStore({ enis: [eniRecord()] });

      // Act
      await prepareStatusRead(get("/v1/clusters/alpha/enis?state=&limit=&cursor="))({ store, mode: "dry-run" });
      await prepareStatusRead(get("/v1/actions?cluster=&kind="))({ store, mode: "dry-run" });

      // Assess
      expect(calls).toEqual([
        { method: "listEniItems", args: ["alpha", { limit: 100 }] },
        { method: "listActions", args: [{ limit: 100 }] },
      ]);
    });

    it("passes filters, limit and cursor through to the store", async () => {
      // Prepare
      const { store, calls } = fakeStatusStore({ enis: [eniRecord({ state: "leaked" })], findings: [finding()] });
      const sources = { store, mode: "dry-run" as const };

      // Act
      await prepareStatusRead(get("/v1/clusters/alpha/enis?state=leaked&limit=500&cursor=abc"))(sources);
      await prepareStatusRead(get("/v1/clusters/alpha/findings?limit=001&cursor=def"))(sources);
      await prepareStatusRead(get("/v1/actions?cluster=alpha&kind=revoke-rule&limit=1"))(sources);

      // Assess
      expect(calls).toEqual([
        { method: "listEniItems", args: ["alpha", { state: "leaked", limit: 500, cursor: "abc" }] },
        { method: "listFindings", args: ["alpha", { limit: 1, cursor: "def" }] },
        { method: "listActions", args: [{ cluster: "alpha", kind: "revoke-rule", limit: 1 }] },
      ]);
    });

    it("reports health with the configured mode, and lastSweepAt null before the first sweep", async () => {
      // Prepare
      const empty = fakeStatusStore();
      const swept = fakeStatusStore({ health: { lastSweepAt: at(60) } });

      // Act
      const before = await prepareStatusRead(get("/v1/health"))({ store: empty.store, mode: "enforce" });
      const after = await prepareStatusRead(get("/v1/health"))({ store: swept.store, mode: "dry-run" });

      // Assess
      expect(before).toEqual({ ok: true, mode: "enforce", lastSweepAt: null });
      expect(after).toEqual({ ok: true, mode: "dry-run", lastSweepAt: at(60) });
    });

    it.each([
      ["/v1/clusters/ghost/enis", "ENIs"],
      ["/v1/clusters/ghost/enis?state=leaked", "ENIs in one state"],
      ["/v1/clusters/ghost/findings", "findings"],
    ])("answers 404 ClusterNotFound for %s of a cluster without summary or records", async (url) => {
      // Prepare
      const { store } = fakeStatusStore({ clusters: [clusterSummary()], enis: [eniRecord({ cluster: "beta" })] });

      // Act
      const answer = prepareStatusRead(get(url))({ store, mode: "dry-run" });

      // Assess
      await expect(answer).rejects.toMatchObject({ statusCode: 404, code: "ClusterNotFound" });
    });

    it.each([
      ["/v1/clusters/alpha/enis?state=gone", "a summarized cluster with nothing in that state"],
      ["/v1/clusters/beta/enis?state=gone", "a cluster known only by its ENI records"],
      ["/v1/clusters/alpha/findings", "a summarized cluster without findings"],
      ["/v1/clusters/beta/findings", "a cluster known only by its ENI records, without findings"],
    ])("answers %s (%s) with an empty last page", async (url) => {
      // Prepare
      const { store } = fakeStatusStore({ clusters: [clusterSummary()], enis: [eniRecord({ cluster: "beta" })] });

      // Act
      const answer = await prepareStatusRead(get(url))({ store, mode: "dry-run" });

      // Assess
      expect(answer).toEqual({ items: [], cursor: null });
    });

    it("reads only the listing when it has items: existence costs nothing on the common path", async () => {
      // Prepare
      const { store, calls } = fakeStatusStore({ enis: [eniRecord()], findings: [finding()] });

      // Act
      await prepareStatusRead(get("/v1/clusters/alpha/enis"))({ store, mode: "dry-run" });
      await prepareStatusRead(get("/v1/clusters/alpha/findings"))({ store, mode: "dry-run" });

      // Assess
      expect(calls.map((call) => call.method)).toEqual(["listEniItems", "listFindings"]);
    });

    it("shows an ENI with its newest transitions, and answers 404 EniNotFound for one never recorded", async () => {
      // Prepare
      const { store, calls } = fakeStatusStore({
        enis: [eniRecord()],
        history: [transition({ at: at(10) }), transition({ at: at(0), from: undefined, to: "associated" })],
      });

      // Act
      const known = await prepareStatusRead(get("/v1/enis/eni-0a1b2c3d4e5f60001"))({ store, mode: "dry-run" });
      const unknown = prepareStatusRead(get("/v1/enis/eni-0ffff"))({ store, mode: "dry-run" });

      // Assess
      expect(known).toMatchObject({
        eni: { eniId: "eni-0a1b2c3d4e5f60001", cluster: "alpha" },
        history: [{ at: at(10) }, { at: at(0), from: null }],
      });
      await expect(unknown).rejects.toMatchObject({ statusCode: 404, code: "EniNotFound" });
      expect(calls).toContainEqual({
        method: "listHistory",
        args: ["eni-0a1b2c3d4e5f60001", { limit: ENI_HISTORY_LIMIT }],
      });
    });

    it("lists the audit log's actions as the store returns them", async () => {
      // Prepare
      const { store } = fakeStatusStore({
        actions: [actionRecord({ id: "a2", at: at(2) }), actionRecord({ id: "a1" })],
      });

      // Act
      const answer = await prepareStatusRead(get("/v1/actions"))({ store, mode: "dry-run" });

      // Assess
      expect(answer).toMatchObject({ items: [{ at: at(2) }, { at: at(0) }], cursor: null });
    });
  });

  describe("route labels of metrics and logs", () => {
    it("names the route key, or unmatched, never the raw path", () => {
      // Prepare / Act / Assess
      expect(routeLabelOf(get("/v1/clusters/alpha/enis?limit=abc"))).toBe("GET /v1/clusters/{cluster}/enis");
      expect(routeLabelOf(gatewayEvent("GET /v1/enis/{eniId}", "/v1/enis/x", { eniId: "x" }))).toBe(
        "GET /v1/enis/{eniId}",
      );
      expect(routeLabelOf(get("/v1/secret-probe-123"))).toBe("unmatched");
      expect(routeLabelOf(get("/v1/enis/.."))).toBe("unmatched");
      expect(routeLabelOf(undefined)).toBe("unmatched");
    });
  });
});
