import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eniPartition, HISTORY_PREFIX } from "../../../core/aws/state-keys.ts";
import { STATE_TABLE_TTL_ATTRIBUTE } from "../../../core/aws/state-table.ts";
import type { ActionRecord } from "../../../core/model/action-record.ts";
import { ACTION_KINDS } from "../../../core/model/planned-action.ts";
import { InvalidCursorError } from "../../../core/ports/state-store.ts";
import {
  actionRecord,
  at,
  finding,
  type StateStoreFixture,
  startStateStoreFixture,
  T0,
  transition,
} from "./state-store-fixture.ts";

describe("DynamoDbStateStore: history, findings and the audit log", () => {
  let fixture: StateStoreFixture;
  beforeAll(async () => {
    fixture = await startStateStoreFixture();
  });
  afterAll(() => fixture.stop());

  describe("history", () => {
    it("lists an ENI's transitions newest first, field by field, across pages", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      // First seen: a transition without `from`.
      const { from: _none, ...firstSeen } = transition({ at: at(0), to: "associated", reason: "first seen" });
      const steps = [
        firstSeen,
        transition({ at: at(60), from: "associated", to: "suspect", cause: "event:abc" }),
        transition({ at: at(700), from: "suspect", to: "leaked", cause: "sweep:0002" }),
        transition({ at: at(701), from: "leaked", to: "deleting", cause: "sweep:0002" }),
        transition({ at: at(702), from: "deleting", to: "deleted", cause: "sweep:0002" }),
      ];
      for (const step of steps) await store.appendTransition(step, 30);
      await store.appendTransition(transition({ eniId: "eni-other" }), 30);

      // Act
      const first = await store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 3 });
      const second = await store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 3, cursor: first.cursor });

      // Assess
      expect([...first.items, ...second.items]).toStrictEqual([...steps].reverse());
      expect(second.cursor).toBeUndefined();
    });

    it("sets expiresAt to the transition time plus the retention, in epoch seconds", async () => {
      // Prepare
      const { store, tableName } = await fixture.newStore();

      // Act
      await store.appendTransition(transition({ at: at(0) }), 30);

      // Assess
      const document = DynamoDBDocumentClient.from(fixture.dynamodb);
      const { Items } = await document.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
          ExpressionAttributeValues: { ":pk": eniPartition("eni-0a1b2c3d4e5f60001"), ":sk": HISTORY_PREFIX },
        }),
      );
      expect(Items?.[0]?.[STATE_TABLE_TTL_ATTRIBUTE]).toBe(T0 / 1000 + 30 * 86_400);
      expect(Items?.[0]?.itemType).toBe("eni-transition");
    });

    it("appends a repeated transition (a redelivered event) only once", async () => {
      // Prepare
      const { store } = await fixture.newStore();

      // Act
      const first = await store.appendTransition(transition(), 30);
      const again = await store.appendTransition(transition(), 30);
      const otherCause = await store.appendTransition(transition({ cause: "event:other" }), 30);

      // Assess
      expect([first, again, otherCause]).toEqual(["appended", "duplicate", "appended"]);
      expect((await store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 10 })).items).toHaveLength(2);
    });
  });

  describe("history in bulk", () => {
    it("appends a sweep's steps 25 to a request, each listed once even when appended again", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      const steps = Array.from({ length: 60 }, (_, i) =>
        transition({ eniId: `eni-0a1b2c3d4e5f6${String(i).padStart(4, "0")}`, at: at(i) }),
      );
      await fixture.resetStats();

      // Act
      await store.appendTransitions(steps, 30);
      const calls = await fixture.dynamoCalls();
      await store.appendTransitions(steps.slice(0, 10), 30);

      // Assess
      expect(calls["dynamodb:BatchWriteItem"]).toBe(3);
      expect(calls["dynamodb:PutItem"]).toBeUndefined();
      for (const step of [steps[0], steps[59]]) {
        const history = await store.listHistory(step?.eniId ?? "", { limit: 10 });
        expect(history.items).toStrictEqual([step]);
      }
    });

    it("refuses the whole batch when a step is not valid, before writing any", async () => {
      const { store } = await fixture.newStore();

      await expect(store.appendTransitions([transition(), transition({ eniId: "" })], 30)).rejects.toThrow();
      expect((await store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 10 })).items).toEqual([]);
    });
  });

  describe("findings", () => {
    it("replaces a cluster's findings: writes new and changed, deletes those no longer reported", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      const kept = finding({ resourceId: "eni-keep" });
      const changed = finding({ resourceId: "eni-change", action: "report only" });
      const removed = finding({ resourceId: "eni-gone" });
      const other = finding({ cluster: "beta", resourceId: "eni-beta" });
      await store.replaceFindings("alpha", [kept, changed, removed], at(0));
      await store.replaceFindings("beta", [other], at(0));
      const changedNow = {
        ...changed,
        action: "tag sg-0001 with kubernetes.io/cluster/alpha=shared",
        observedAt: at(60),
      };
      const added = finding({
        kind: "backend-rule-stale",
        resourceId: "sgr-0001",
        detail: "no target group needs port 8080",
        observedAt: at(60),
      });

      // Act
      const result = await store.replaceFindings("alpha", [{ ...kept, observedAt: at(60) }, changedNow, added], at(60));

      // Assess
      expect(result).toEqual({ outcome: "replaced", written: 2, deleted: 1 });
      const listed = (await store.listFindings("alpha", { limit: 10 })).items;
      // Ordered by kind then resource; an unchanged finding keeps the time it was first reported.
      expect(listed).toStrictEqual(
        [added, kept, changedNow].sort((a, b) => (a.kind + a.resourceId).localeCompare(b.kind + b.resourceId)),
      );
      expect((await store.listFindings("beta", { limit: 10 })).items).toStrictEqual([other]);
    });

    it("keeps two findings of one kind on one resource that differ in detail", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      const port80 = finding({
        kind: "backend-rule-missing",
        resourceId: "sg-node",
        detail: "tcp 80 from sg-lb missing",
      });
      const port443 = finding({
        kind: "backend-rule-missing",
        resourceId: "sg-node",
        detail: "tcp 443 from sg-lb missing",
      });

      // Act
      await store.replaceFindings("alpha", [port80, port443, port80], at(0));

      // Assess
      const listed = (await store.listFindings("alpha", { limit: 10 })).items;
      expect(listed).toHaveLength(2);
      expect(listed).toEqual(expect.arrayContaining([port80, port443]));
    });

    it("ignores a pass older than the last one applied", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      const current = finding({ observedAt: at(600) });
      await store.replaceFindings("alpha", [current], at(600));

      // Act
      const result = await store.replaceFindings("alpha", [], at(300));

      // Assess
      expect(result).toEqual({ outcome: "stale", written: 0, deleted: 0 });
      expect((await store.listFindings("alpha", { limit: 10 })).items).toStrictEqual([current]);
    });

    it("pages through many findings, each exactly once", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      const many = Array.from({ length: 130 }, (_, i) => finding({ resourceId: `eni-${String(i).padStart(3, "0")}` }));
      await store.replaceFindings("alpha", many, at(0));

      // Act
      const first = await store.listFindings("alpha", { limit: 100 });
      const second = await store.listFindings("alpha", { limit: 100, cursor: first.cursor });

      // Assess
      expect([...first.items, ...second.items]).toStrictEqual(many);
      expect(second.cursor).toBeUndefined();
    });
  });

  describe("audit log", () => {
    const clusters = ["alpha", "beta"];
    const actions: ActionRecord[] = Array.from({ length: 60 }, (_, i) => {
      const { detail: _none, ...action } = actionRecord({
        id: `act-${String(i).padStart(3, "0")}`,
        // Times interleave across clusters and kinds, so every listing has to order them itself.
        at: at(i * 7),
        cluster: clusters[i % 2] ?? "alpha",
        kind: ACTION_KINDS[i % ACTION_KINDS.length] ?? "delete-eni",
        mode: i % 3 === 0 ? "dry-run" : "enforce",
        outcome: i % 3 === 0 ? "dry-run" : "succeeded",
      });
      return i % 4 === 0 ? { ...action, detail: "UnauthorizedOperation: not allowed" } : action;
    });
    const newestFirst = (list: readonly ActionRecord[]) => [...list].sort((a, b) => b.at.localeCompare(a.at));
    let store: Awaited<ReturnType<StateStoreFixture["newStore"]>>["store"];
    beforeAll(async () => {
      store = (await fixture.newStore()).store;
      await Promise.all(actions.map((action) => store.recordAction(action)));
    });

    const everything = async (request: { cluster?: string; kind?: ActionRecord["kind"] }) => {
      const items: ActionRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listActions({ ...request, limit: 7, cursor });
        expect(page.items.length).toBeLessThanOrEqual(7);
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor !== undefined);
      return items;
    };

    it("lists every cluster's actions newest first, field by field", async () => {
      expect(await everything({})).toStrictEqual(newestFirst(actions));
    });

    it("lists one cluster's actions newest first", async () => {
      expect(await everything({ cluster: "beta" })).toStrictEqual(
        newestFirst(actions.filter((a) => a.cluster === "beta")),
      );
    });

    it("lists one kind across clusters, and one kind in one cluster, newest first", async () => {
      // Act
      const revokes = await everything({ kind: "revoke-rule" });
      const alphaTags = await everything({ cluster: "alpha", kind: "tag-sg" });

      // Assess
      expect(revokes).toStrictEqual(newestFirst(actions.filter((a) => a.kind === "revoke-rule")));
      expect(alphaTags).toStrictEqual(newestFirst(actions.filter((a) => a.kind === "tag-sg" && a.cluster === "alpha")));
      expect(alphaTags.length).toBeGreaterThan(0);
    });

    it("records an action id once, however often it is recorded", async () => {
      // Act
      const again = await store.recordAction(actions[0] ?? actionRecord());

      // Assess
      expect(again).toBe("duplicate");
      expect(await everything({})).toHaveLength(60);
    });

    it("replaces a write-ahead `started` entry by its outcome, once", async () => {
      // Prepare
      const started = actionRecord({ id: "act-wal", at: at(5000), outcome: "started" });
      await store.recordAction(started);

      // Act
      const outcome = await store.recordAction({ ...started, outcome: "succeeded" });
      const again = await store.recordAction({ ...started, outcome: "failed" });
      const listed = (await store.listActions({ limit: 1 })).items;

      // Assess
      expect([outcome, again]).toEqual(["recorded", "duplicate"]);
      expect(listed).toStrictEqual([{ ...started, outcome: "succeeded" }]);
      expect(await everything({})).toHaveLength(61);
    });

    it("rejects a cursor taken from a listing with other filters", async () => {
      // Prepare
      const byCluster = (await store.listActions({ cluster: "alpha", limit: 2 })).cursor;

      // Act
      const errors = await Promise.all([
        store.listActions({ limit: 2, cursor: byCluster }).catch((e: unknown) => e),
        store.listActions({ cluster: "beta", limit: 2, cursor: byCluster }).catch((e: unknown) => e),
        store.listActions({ cluster: "alpha", kind: "tag-sg", limit: 2, cursor: byCluster }).catch((e: unknown) => e),
      ]);

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(InvalidCursorError);
    });
  });
});
