import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoDbStateStore } from "../../../core/aws/dynamodb-state-store.ts";
import type { BranchEniState } from "../../../core/model/branch-eni-state.ts";
import {
  actionRecord,
  at,
  eniRecord,
  finding,
  type StateStoreFixture,
  seedEnis,
  startStateStoreFixture,
  transition,
} from "./state-store-fixture.ts";

const RECORDS = 5000;
const STATES: BranchEniState[] = ["associated", "associated", "associated", "detached", "suspect", "leaked", "gone"];

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

describe(`DynamoDbStateStore over ${RECORDS} ENI records`, () => {
  let fixture: StateStoreFixture;
  let store: DynamoDbStateStore;
  beforeAll(async () => {
    fixture = await startStateStoreFixture();
    const created = await fixture.newStore();
    store = created.store;
    const records = Array.from({ length: RECORDS }, (_, i) =>
      eniRecord({
        eniId: `eni-${String(i).padStart(17, "0")}`,
        cluster: i % 5 === 0 ? "beta" : "alpha",
        state: STATES[i % STATES.length] ?? "associated",
      }),
    );
    await seedEnis(fixture.dynamodb, created.tableName, records);
    await Promise.all([
      store.putClusterSummary({
        name: "alpha",
        status: "active",
        counts: { associated: 1, detached: 0, suspect: 0, leaked: 0, deleting: 0, deleted: 0, gone: 0 },
        lastSweepAt: at(0),
      }),
      store.appendTransition(transition({ eniId: "eni-00000000000000001" }), 30),
      store.replaceFindings("alpha", [finding()], at(0)),
      ...Array.from({ length: 30 }, (_, i) => store.recordAction(actionRecord({ id: `act-${i}`, at: at(i) }))),
    ]);
  });
  afterAll(() => fixture.stop());

  it("answers every status API read with Query, GetItem or BatchGetItem, one Query per page, never a Scan", async () => {
    // Prepare
    await fixture.resetStats();

    // Act: every route of the status API, and a second page where there is one.
    await store.getHealth();
    await store.listClusters();
    const enis = await store.listEniItems("alpha", { limit: 100 });
    await store.listEniItems("alpha", { limit: 100, cursor: enis.cursor });
    await store.listEniItems("alpha", { state: "leaked", limit: 100 });
    await store.getEni("eni-00000000000000001");
    await store.listHistory("eni-00000000000000001", { limit: 50 });
    await store.listFindings("alpha", { limit: 50 });
    await store.listActions({ limit: 10 });
    await store.listActions({ cluster: "alpha", limit: 10 });
    await store.listActions({ kind: "delete-eni", limit: 10 });
    await store.listActions({ cluster: "alpha", kind: "delete-eni", limit: 10 });

    // Assess
    expect(await fixture.dynamoCalls()).toEqual({ "dynamodb:Query": 11, "dynamodb:GetItem": 1 });
  });

  it("loads a whole cluster for a sweep with Query pages only", async () => {
    // Prepare
    await fixture.resetStats();

    // Act
    const all = await store.loadClusterEnis("alpha");
    const byId = await store.getEnis(all.slice(0, 300).map((record) => record.eniId));

    // Assess
    expect(all).toHaveLength(RECORDS * 0.8);
    expect(byId.size).toBe(300);
    const calls = await fixture.dynamoCalls();
    expect(Object.keys(calls).sort()).toEqual(["dynamodb:BatchGetItem", "dynamodb:Query"]);
    expect(calls["dynamodb:BatchGetItem"]).toBe(3);
  });

  it("serves a page of 100 ENIs in one state fast, whatever page it is", async () => {
    // Prepare: cursors into the middle of the listing, so later pages are measured too.
    const cursors: (string | undefined)[] = [undefined];
    for (let page = await store.listEnis("alpha", { state: "associated", limit: 100 }); page.cursor; ) {
      cursors.push(page.cursor);
      page = await store.listEnis("alpha", { state: "associated", limit: 100, cursor: page.cursor });
    }
    const samples: number[] = [];

    // Act
    for (let i = 0; i < 100; i++) {
      const cursor = cursors[i % cursors.length];
      const started = performance.now();
      const page = await store.listEnis("alpha", { state: "associated", limit: 100, cursor });
      samples.push(performance.now() - started);
      expect(page.items.length).toBeGreaterThan(0);
    }

    // Assess: a guard against pages that read more than they return (reading the whole range costs
    // over ten times more); the median resists a busy test machine. bench/state-store.ts measures p99 at 100k.
    samples.sort((a, b) => a - b);
    expect(cursors.length).toBeGreaterThan(10);
    expect(percentile(samples, 50)).toBeLessThan(100);
  });
});
