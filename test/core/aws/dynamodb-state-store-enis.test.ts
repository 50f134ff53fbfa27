import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoDbStateStore } from "../../../core/aws/dynamodb-state-store.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../../../core/model/branch-eni-state.ts";
import { InvalidCursorError, InvalidLimitError, StateStoreError } from "../../../core/ports/state-store.ts";
import {
  at,
  bareEniRecord,
  eniRecord,
  listedEni,
  type StateStoreFixture,
  seedEnis,
  startStateStoreFixture,
} from "./state-store-fixture.ts";

/** Walk every page of a listing, returning the pages' sizes and all items in order. */
const allPages = async <T>(list: (cursor?: string) => Promise<{ items: readonly T[]; cursor?: string }>) => {
  const sizes: number[] = [];
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    sizes.push(page.items.length);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { sizes, items };
};

/** Walk every page of a listing, returning all items in order and the cursor of every page but the last. */
const allPagesWithCursors = async <T>(list: (cursor?: string) => Promise<{ items: readonly T[]; cursor?: string }>) => {
  const items: T[] = [];
  const cursors: string[] = [];
  for (let page = await list(); ; page = await list(page.cursor)) {
    items.push(...page.items);
    if (page.cursor === undefined) return { items, cursors };
    cursors.push(page.cursor);
  }
};

describe("DynamoDbStateStore: ENI records", () => {
  let fixture: StateStoreFixture;
  beforeAll(async () => {
    fixture = await startStateStoreFixture();
  });
  afterAll(() => fixture.stop());

  it("returns a stored record field by field, with every optional field and without any", async () => {
    // Prepare
    const { store } = await fixture.newStore();
    const full = eniRecord();
    const bare = bareEniRecord({ reason: "associated to trunk eni-0trunk" });

    // Act
    await store.putEni(full);
    await store.putEni(bare);
    const [readFull, readBare, unknown] = await Promise.all([
      store.getEni(full.eniId),
      store.getEni(bare.eniId),
      store.getEni("eni-0never"),
    ]);

    // Assess
    expect(readFull).toStrictEqual(full);
    expect(readBare).toStrictEqual(bare);
    expect(unknown).toBeUndefined();
  });

  it("reads many records at once, in chunks, ignoring unknown and repeated ids", async () => {
    // Prepare
    const { store, tableName } = await fixture.newStore();
    const records = Array.from({ length: 250 }, (_, i) => eniRecord({ eniId: `eni-many-${i}` }));
    await seedEnis(fixture.dynamodb, tableName, records);
    await fixture.resetStats();

    // Act
    const found = await store.getEnis([...records.map((r) => r.eniId), "eni-unknown", "eni-many-0"]);

    // Assess
    expect(found.size).toBe(250);
    expect(found.get("eni-many-123")).toStrictEqual(records[123]);
    expect(found.has("eni-unknown")).toBe(false);
    expect(await fixture.dynamoCalls()).toEqual({ "dynamodb:BatchGetItem": 3 });
  });

  it("creates a record only when absent, and updates only from the stored version", async () => {
    // Prepare
    const { store } = await fixture.newStore();
    const v1 = eniRecord();
    await store.putEni(v1);
    const v2 = eniRecord({ state: "leaked", reason: "grace elapsed", observedAt: at(700), version: 2 });

    // Act
    const createAgain = await store.putEni(v1);
    const wrongVersion = await store.putEni({ ...v2, version: 4 }, 3);
    const update = await store.putEni(v2, 1);
    const replayOfSameVersion = await store.putEni(v2, 1);

    // Assess
    expect(createAgain).toBe("conflict");
    expect(wrongVersion).toBe("conflict");
    expect(update).toBe("written");
    expect(replayOfSameVersion).toBe("conflict");
    expect(await store.getEni(v1.eniId)).toStrictEqual(v2);
  });

  it("refuses a write observed earlier than the stored record, so late events never move it backwards", async () => {
    // Prepare
    const { store } = await fixture.newStore();
    await store.putEni(eniRecord({ observedAt: at(600) }));
    const late = eniRecord({ state: "associated", observedAt: at(300), version: 2 });

    // Act
    const outcome = await store.putEni(late, 1);

    // Assess
    expect(outcome).toBe("conflict");
    expect(await store.getEni(late.eniId)).toMatchObject({ state: "suspect", observedAt: at(600), version: 1 });
  });

  it("lets exactly one of many concurrent writers of the same version win", async () => {
    // Prepare
    const { store } = await fixture.newStore();
    await store.putEni(eniRecord());
    const writers = Array.from({ length: 12 }, (_, i) =>
      eniRecord({ reason: `writer ${i}`, observedAt: at(10 + i), version: 2 }),
    );

    // Act
    const outcomes = await Promise.all(writers.map((record) => store.putEni(record, 1)));

    // Assess
    expect(outcomes.filter((o) => o === "written")).toHaveLength(1);
    const winner = writers[outcomes.indexOf("written")];
    expect(await store.getEni("eni-0a1b2c3d4e5f60001")).toStrictEqual(winner);
  });

  it("rejects a record whose version does not advance by one, as a terminal error", async () => {
    // Prepare
    const { store } = await fixture.newStore();

    // Act
    const error = await store.putEni(eniRecord({ version: 3 }), 3).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ retryable: false, operation: "putEni" });
    expect((error as StateStoreError).cause).toBeInstanceOf(Error);
  });

  describe("listing a cluster's records over a few thousand", () => {
    const states: BranchEniState[] = ["associated", "detached", "suspect", "leaked", "deleted"];
    const alpha = Array.from({ length: 3000 }, (_, i) =>
      eniRecord({ eniId: `eni-${String(i).padStart(5, "0")}`, state: states[i % states.length] ?? "associated" }),
    );
    const beta = Array.from({ length: 200 }, (_, i) => eniRecord({ eniId: `eni-beta-${i}`, cluster: "beta" }));
    let store: DynamoDbStateStore;
    beforeAll(async () => {
      const created = await fixture.newStore();
      store = created.store;
      await seedEnis(fixture.dynamodb, created.tableName, [...alpha, ...beta]);
    });

    it("returns every record of the cluster exactly once across pages, each page at most the limit", async () => {
      // Act
      const { sizes, items } = await allPages((cursor) => store.listEnis("alpha", { limit: 137, cursor }));

      // Assess
      expect(sizes.slice(0, -1).every((size) => size === 137)).toBe(true);
      expect(sizes.at(-1)).toBe(3000 % 137);
      expect(new Set(items.map((r) => r.eniId)).size).toBe(3000);
      expect(items.every((r) => r.cluster === "alpha")).toBe(true);
    });

    it("returns only the records in the asked state, every one exactly once", async () => {
      // Act
      const { items } = await allPages((cursor) => store.listEnis("alpha", { state: "leaked", limit: 100, cursor }));

      // Assess
      const expected = alpha.filter((r) => r.state === "leaked").map((r) => r.eniId);
      expect(items.map((r) => r.eniId).sort()).toEqual(expected.sort());
      expect(items).toHaveLength(600);
    });

    it("ends with a page that has no cursor, never an empty page", async () => {
      // Act
      const exact = await store.listEnis("beta", { limit: 200 });
      const empty = await store.listEnis("gamma", { limit: 10 });

      // Assess
      expect(exact.items).toHaveLength(200);
      expect(exact.cursor).toBeUndefined();
      expect(empty).toEqual({ items: [] });
    });

    it("rejects a cursor from another cluster, another state filter or another route", async () => {
      // Prepare
      const fromAlpha = (await store.listEnis("alpha", { limit: 5 })).cursor;
      const fromLeaked = (await store.listEnis("alpha", { state: "leaked", limit: 5 })).cursor;

      // Act
      const attempts = [
        store.listEnis("beta", { limit: 5, cursor: fromAlpha }),
        store.listEnis("alpha", { state: "associated", limit: 5, cursor: fromLeaked }),
        store.listEnis("alpha", { limit: 5, cursor: fromLeaked }),
        store.listEnis("alpha", { state: "leaked", limit: 5, cursor: fromAlpha }),
        store.listHistory("eni-00001", { limit: 5, cursor: fromAlpha }),
      ].map((attempt) => attempt.catch((e: unknown) => e));

      // Assess
      expect(fromAlpha).toBeDefined();
      expect(fromLeaked).toBeDefined();
      for (const error of await Promise.all(attempts)) {
        expect(error).toBeInstanceOf(InvalidCursorError);
        expect(error).toMatchObject({ retryable: false });
      }
    });

    it("rejects a tampered or made-up cursor", async () => {
      // Prepare
      const cursor = (await store.listEnis("alpha", { limit: 5 })).cursor ?? "";
      const [payload = "", digest = ""] = cursor.split(".");
      const decoded = Buffer.from(payload, "base64url").toString("utf8").replace("eni-00", "eni-01");
      const tampered = [
        `${Buffer.from(decoded).toString("base64url")}.${digest}`,
        `${payload}.${digest.slice(0, -1)}A`,
        "bm90IGEgY3Vyc29y",
        `${payload}.${digest}.extra`,
        "%%%.###",
        "",
      ];

      // Act
      const errors = await Promise.all(
        tampered.map((bad) => store.listEnis("alpha", { limit: 5, cursor: bad }).catch((e: unknown) => e)),
      );

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(InvalidCursorError);
    });

    it("rejects limits outside 1..500 before reading anything", async () => {
      // Prepare
      await fixture.resetStats();

      // Act
      const errors = await Promise.all(
        [0, -1, 501, 2.5, Number.NaN].map((limit) => store.listEnis("alpha", { limit }).catch((e: unknown) => e)),
      );
      const largest = await store.listEnis("alpha", { limit: 500 });

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(InvalidLimitError);
      expect(largest.items).toHaveLength(500);
      expect(await fixture.dynamoCalls()).toEqual({ "dynamodb:Query": 1 });
    });

    it("lists the same pages as listEnis with only the listed fields, and cursors either listing continues", async () => {
      // Act
      const records = await allPagesWithCursors((cursor) => store.listEnis("alpha", { limit: 137, cursor }));
      const listed = await allPagesWithCursors((cursor) => store.listEniItems("alpha", { limit: 137, cursor }));
      const leaked = await allPagesWithCursors((cursor) =>
        store.listEniItems("alpha", { state: "leaked", limit: 250, cursor }),
      );
      const crossed = await store.listEniItems("alpha", { limit: 137, cursor: records.cursors[3] });

      // Assess
      expect(listed.items).toStrictEqual(records.items.map(listedEni));
      expect(listed.cursors).toEqual(records.cursors);
      expect(leaked.items).toStrictEqual(alpha.filter((r) => r.state === "leaked").map(listedEni));
      expect(leaked.cursors).toHaveLength(2);
      expect(crossed.items).toStrictEqual(records.items.slice(4 * 137, 5 * 137).map(listedEni));
    });

    it("lists a page of 500 records with one Query", async () => {
      // Prepare
      await fixture.resetStats();

      // Act
      const page = await store.listEniItems("alpha", { state: "associated", limit: 500 });

      // Assess
      expect(page.items).toHaveLength(500);
      expect(page.cursor).toBeDefined();
      expect(await fixture.dynamoCalls()).toEqual({ "dynamodb:Query": 1 });
    });

    it("loads all of a cluster's records for a sweep, or only those in the given states", async () => {
      // Act
      const all = await store.loadClusterEnis("alpha");
      const live = await store.loadClusterEnis("alpha", { states: ["suspect", "leaked"] });

      // Assess
      expect(all).toHaveLength(3000);
      expect(live).toHaveLength(1200);
      expect(new Set(live.map((r) => r.state))).toEqual(new Set(["suspect", "leaked"]));
    });
  });

  it("lists a record without optional fields without them", async () => {
    // Prepare
    const { store } = await fixture.newStore();
    const bare = bareEniRecord({ state: "detached", reason: "no trunk association" });
    await store.putEni(bare);

    // Act
    const page = await store.listEniItems("alpha", { limit: 10 });

    // Assess
    expect(page).toStrictEqual({
      items: [
        {
          eniId: "eni-0bare",
          state: "detached",
          reason: "no trunk association",
          securityGroupIds: [],
          firstSeenAt: at(0),
          lastSeenAt: at(0),
        },
      ],
    });
  });

  it("moves a record between state listings when its state changes", async () => {
    // Prepare
    const { store } = await fixture.newStore();
    await store.putEni(eniRecord({ state: "suspect" }));

    // Act
    await store.putEni(eniRecord({ state: "leaked", observedAt: at(700), version: 2 }), 1);

    // Assess
    expect((await store.listEnis("alpha", { state: "suspect", limit: 10 })).items).toEqual([]);
    expect((await store.listEnis("alpha", { state: "leaked", limit: 10 })).items).toHaveLength(1);
  });

  it("rejects an unknown state filter as a terminal error", async () => {
    // Prepare
    const { store } = await fixture.newStore();

    // Act
    const error = await store
      .listEnis("alpha", { state: "lost" as BranchEniState, limit: 10 })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ retryable: false });
    expect(BRANCH_ENI_STATES).not.toContain("lost");
  });
});
