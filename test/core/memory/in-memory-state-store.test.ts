import { describe, expect, it } from "vitest";
import { InMemoryStateStore } from "../../../core/memory/in-memory-state-store.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../../../core/model/branch-eni-state.ts";
import type { Clock } from "../../../core/ports/clock.ts";
import { InvalidCursorError, InvalidLimitError, type Page, StateStoreError } from "../../../core/ports/state-store.ts";
import {
  actionRecord,
  at,
  bareEniRecord,
  eniRecord,
  finding,
  listedEni,
  T0,
  transition,
} from "../../support/state-records.ts";

/** A clock the test moves by hand. */
const manualClock = (start = T0): Clock & { advance(seconds: number): void } => {
  let now = start;
  return { now: () => now, sleep: async () => {}, advance: (seconds) => (now += seconds * 1000) };
};

const counts = (partial: Partial<Record<BranchEniState, number>> = {}): Record<BranchEniState, number> =>
  Object.fromEntries(BRANCH_ENI_STATES.map((state) => [state, partial[state] ?? 0])) as Record<BranchEniState, number>;

/** Every page of a listing: the pages' sizes, and all items in order. */
const allPages = async <T>(list: (cursor?: string) => Promise<Page<T>>) => {
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

describe("InMemoryStateStore: ENI records", () => {
  it("returns a stored record field by field, as a copy the caller cannot change the store through", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const bare = bareEniRecord();
    await store.putEni(eniRecord());
    await store.putEni({ ...bare, trunkEniId: undefined });

    // Act
    const read = await store.getEni("eni-0a1b2c3d4e5f60001");
    (read?.securityGroupIds as string[] | undefined)?.push("sg-9999");
    const again = await store.getEni("eni-0a1b2c3d4e5f60001");
    const readBare = await store.getEni("eni-0bare");

    // Assess
    expect(again).toStrictEqual(eniRecord());
    expect(readBare).toStrictEqual(bare);
    expect(await store.getEni("eni-0never")).toBeUndefined();
    expect((await store.getEnis(["eni-0bare", "eni-0never", "eni-0bare"])).size).toBe(1);
  });

  it("creates a record only when absent, and updates only from the stored version", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const v1 = eniRecord();
    await store.putEni(v1);
    const v2 = eniRecord({ state: "leaked", reason: "Grace elapsed.", observedAt: at(700), version: 2 });

    // Act
    const createAgain = await store.putEni(v1);
    const wrongVersion = await store.putEni({ ...v2, version: 4 }, 3);
    const update = await store.putEni(v2, 1);
    const replay = await store.putEni(v2, 1);
    const updateOfUnknown = await store.putEni(eniRecord({ eniId: "eni-0new", version: 2 }), 1);

    // Assess
    expect([createAgain, wrongVersion, update, replay, updateOfUnknown]).toEqual([
      "conflict",
      "conflict",
      "written",
      "conflict",
      "conflict",
    ]);
    expect(await store.getEni(v1.eniId)).toStrictEqual(v2);
  });

  it("refuses a write observed earlier than the stored record, so late events never move it backwards", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    await store.putEni(eniRecord({ observedAt: at(600) }));

    // Act
    const late = await store.putEni(eniRecord({ state: "associated", observedAt: at(300), version: 2 }), 1);
    const sameTime = await store.putEni(eniRecord({ state: "leaked", observedAt: at(600), version: 2 }), 1);

    // Assess
    expect(late).toBe("conflict");
    expect(sameTime).toBe("written");
    expect(await store.getEni("eni-0a1b2c3d4e5f60001")).toMatchObject({ state: "leaked", version: 2 });
  });

  it("lets exactly one of many concurrent writers of the same version win", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    await store.putEni(eniRecord());
    const writers = Array.from({ length: 12 }, (_, i) =>
      eniRecord({ reason: `writer ${i}`, observedAt: at(10 + i), version: 2 }),
    );

    // Act
    const outcomes = await Promise.all(writers.map((record) => store.putEni(record, 1)));

    // Assess
    expect(outcomes.filter((o) => o === "written")).toHaveLength(1);
    expect(await store.getEni("eni-0a1b2c3d4e5f60001")).toStrictEqual(writers[outcomes.indexOf("written")]);
  });

  it("rejects a record whose version does not advance by one, or with a bad state or time, as terminal errors", async () => {
    // Prepare
    const store = new InMemoryStateStore();

    // Act
    const errors = await Promise.all(
      [
        store.putEni(eniRecord({ version: 3 }), 3),
        store.putEni(eniRecord({ state: "lost" as BranchEniState })),
        store.putEni(eniRecord({ observedAt: "yesterday" })),
        store.putEni(eniRecord({ cluster: "" })),
      ].map((attempt) => attempt.catch((e: unknown) => e)),
    );

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ retryable: false, operation: "putEni" });
      expect((error as StateStoreError).cause).toBeInstanceOf(Error);
    }
  });

  describe("listing a cluster's records", () => {
    const states: BranchEniState[] = ["associated", "detached", "suspect", "leaked", "deleted"];
    const alpha = Array.from({ length: 1000 }, (_, i) =>
      eniRecord({ eniId: `eni-${String(i).padStart(5, "0")}`, state: states[i % states.length] ?? "associated" }),
    );
    const beta = Array.from({ length: 200 }, (_, i) => eniRecord({ eniId: `eni-beta-${i}`, cluster: "beta" }));
    const seeded = async () => {
      const store = new InMemoryStateStore();
      for (const record of [...alpha, ...beta]) await store.putEni(record);
      return store;
    };

    it("returns every record exactly once across pages, by state then ENI id, each page at most the limit", async () => {
      // Prepare
      const store = await seeded();

      // Act
      const { sizes, items } = await allPages((cursor) =>
        store.listEnis("alpha", { limit: 137, ...(cursor ? { cursor } : {}) }),
      );

      // Assess
      expect(sizes.slice(0, -1).every((size) => size === 137)).toBe(true);
      expect(sizes.at(-1)).toBe(1000 % 137);
      const keys = items.map((r) => `${r.state}#${r.eniId}`);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(items.map((r) => r.eniId)).size).toBe(1000);
    });

    it("returns only the records in the asked state, and ends without an empty page", async () => {
      // Prepare
      const store = await seeded();

      // Act
      const { items } = await allPages((cursor) =>
        store.listEnis("alpha", { state: "leaked", limit: 100, ...(cursor ? { cursor } : {}) }),
      );
      const exact = await store.listEnis("beta", { limit: 200 });
      const empty = await store.listEnis("gamma", { limit: 10 });

      // Assess
      expect(items).toHaveLength(200);
      expect(items.every((r) => r.state === "leaked")).toBe(true);
      expect(exact.items).toHaveLength(200);
      expect(exact.cursor).toBeUndefined();
      expect(empty).toEqual({ items: [] });
    });

    it("rejects a cursor of another cluster, filter or route, a tampered one, and limits outside 1..500", async () => {
      // Prepare
      const store = await seeded();
      const fromAlpha = (await store.listEnis("alpha", { limit: 5 })).cursor ?? "";
      const fromLeaked = (await store.listEnis("alpha", { state: "leaked", limit: 5 })).cursor ?? "";
      const [payload = "", digest = ""] = fromAlpha.split(".");
      const decoded = Buffer.from(payload, "base64url").toString("utf8").replace("eni-00", "eni-01");

      // Act
      const cursorErrors = await Promise.all(
        [
          store.listEnis("beta", { limit: 5, cursor: fromAlpha }),
          store.listEnis("alpha", { state: "associated", limit: 5, cursor: fromLeaked }),
          store.listEnis("alpha", { limit: 5, cursor: fromLeaked }),
          store.listHistory("eni-00001", { limit: 5, cursor: fromAlpha }),
          store.listEnis("alpha", { limit: 5, cursor: `${Buffer.from(decoded).toString("base64url")}.${digest}` }),
          store.listEnis("alpha", { limit: 5, cursor: "not-a-cursor" }),
        ].map((attempt) => attempt.catch((e: unknown) => e)),
      );
      const limitErrors = await Promise.all(
        [0, -1, 501, 2.5, Number.NaN].map((limit) => store.listEnis("alpha", { limit }).catch((e: unknown) => e)),
      );

      // Assess
      for (const error of cursorErrors) expect(error).toBeInstanceOf(InvalidCursorError);
      for (const error of limitErrors) expect(error).toBeInstanceOf(InvalidLimitError);
      expect((await store.listEnis("alpha", { limit: 500 })).items).toHaveLength(500);
    });

    it("lists the same pages as listEnis with only the listed fields, and cursors either listing continues", async () => {
      // Prepare
      const store = await seeded();
      const bare = eniRecord({ eniId: "eni-bare", cluster: "gamma", state: "detached" });
      const { trunkEniId, vlanId, instanceId, ...withoutOptional } = bare;
      await store.putEni(withoutOptional);

      // Act
      const records = await allPages((cursor) =>
        store.listEnis("alpha", { limit: 137, ...(cursor ? { cursor } : {}) }),
      );
      const listed = await allPages((cursor) =>
        store.listEniItems("alpha", { limit: 137, ...(cursor ? { cursor } : {}) }),
      );
      const third = await store.listEnis("alpha", { state: "leaked", limit: 50 });
      const crossed = await store.listEniItems("alpha", { state: "leaked", limit: 50, cursor: third.cursor ?? "" });
      const fromCrossed = await store.listEnis("alpha", { state: "leaked", limit: 50, cursor: crossed.cursor ?? "" });
      const gamma = await store.listEniItems("gamma", { limit: 10 });

      // Assess
      expect(listed.items).toStrictEqual(records.items.map(listedEni));
      expect(listed.sizes).toEqual(records.sizes);
      const leaked = alpha.filter((r) => r.state === "leaked");
      expect(crossed.items).toStrictEqual(leaked.slice(50, 100).map(listedEni));
      expect(fromCrossed.items).toStrictEqual(leaked.slice(100, 150));
      expect(gamma.items).toStrictEqual([listedEni(withoutOptional)]);
    });

    it("loads a whole cluster for a sweep, or only the given states", async () => {
      // Prepare
      const store = await seeded();

      // Act
      const all = await store.loadClusterEnis("alpha");
      const live = await store.loadClusterEnis("alpha", { states: ["suspect", "leaked"] });

      // Assess
      expect(all).toHaveLength(1000);
      expect(live).toHaveLength(400);
      expect(live.slice(0, 200).every((r) => r.state === "suspect")).toBe(true);
    });
  });

  it("moves a record between state listings when its state changes", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    await store.putEni(eniRecord());

    // Act
    await store.putEni(eniRecord({ state: "leaked", observedAt: at(700), version: 2 }), 1);

    // Assess
    expect((await store.listEnis("alpha", { state: "suspect", limit: 10 })).items).toEqual([]);
    expect((await store.listEnis("alpha", { state: "leaked", limit: 10 })).items).toHaveLength(1);
  });
});

describe("InMemoryStateStore: history, findings and the audit log", () => {
  it("lists an ENI's history newest first across pages, appends a repeated step once, and forgets expired steps", async () => {
    // Prepare
    const clock = manualClock();
    const store = new InMemoryStateStore({ clock });
    const steps = Array.from({ length: 7 }, (_, i) => transition({ at: at(i * 60), cause: `sweep:${i}` }));
    for (const step of steps) await store.appendTransition(step, 90);

    // Act
    const duplicate = await store.appendTransition(steps[3] ?? transition(), 90);
    const { sizes, items } = await allPages((cursor) =>
      store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 3, ...(cursor ? { cursor } : {}) }),
    );
    clock.advance(90 * 86_400 + 120);
    const afterExpiry = await store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 10 });

    // Assess
    expect(duplicate).toBe("duplicate");
    expect(sizes).toEqual([3, 3, 1]);
    expect(items).toStrictEqual([...steps].reverse());
    expect(afterExpiry.items.map((s) => s.cause)).toEqual(["sweep:6", "sweep:5", "sweep:4", "sweep:3"]);
  });

  it("appends steps in bulk as one by one, each once", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const steps = Array.from({ length: 4 }, (_, i) => transition({ at: at(i * 60), cause: `sweep:${i}` }));

    // Act
    await store.appendTransitions(steps, 90);
    await store.appendTransitions(steps.slice(1, 3), 90);

    // Assess
    expect((await store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 10 })).items).toStrictEqual([...steps].reverse());
  });

  it("refuses a bulk append with an invalid step before keeping any", async () => {
    const store = new InMemoryStateStore();

    await expect(store.appendTransitions([transition(), transition({ eniId: "" })], 90)).rejects.toThrow(
      StateStoreError,
    );
    expect((await store.listHistory("eni-0a1b2c3d4e5f60001", { limit: 10 })).items).toEqual([]);
  });

  it("replaces a cluster's findings: writes new and changed, deletes those no longer reported, keeps unchanged ones as they were", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const kept = finding({ kind: "backend-rule-stale", resourceId: "sgr-1", detail: "stale", action: "revoke sgr-1" });
    const changed = finding({ resourceId: "eni-2", action: "report only" });
    const dropped = finding({ resourceId: "eni-3" });
    await store.replaceFindings("alpha", [kept, changed, dropped], at(0));
    const again = [
      { ...kept, observedAt: at(600) },
      { ...changed, action: "tag sg-0002 with kubernetes.io/cluster/alpha=shared", observedAt: at(600) },
      finding({ kind: "cluster-tag-conflict", resourceId: "eni-4", observedAt: at(600) }),
      finding({ kind: "cluster-tag-conflict", resourceId: "eni-4", detail: "another detail", observedAt: at(600) }),
    ];

    // Act
    const result = await store.replaceFindings("alpha", again, at(600));
    const stale = await store.replaceFindings("alpha", [], at(300));
    const { items } = await allPages((cursor) =>
      store.listFindings("alpha", { limit: 2, ...(cursor ? { cursor } : {}) }),
    );

    // Assess
    expect(result).toEqual({ outcome: "replaced", written: 3, deleted: 1 });
    expect(stale).toEqual({ outcome: "stale", written: 0, deleted: 0 });
    expect(items.map((f) => `${f.kind} ${f.resourceId}`)).toEqual([
      "backend-rule-stale sgr-1",
      "cluster-tag-conflict eni-4",
      "cluster-tag-conflict eni-4",
      "cluster-tag-missing eni-2",
    ]);
    expect(items[0]?.observedAt).toBe(at(0));
    expect(items[3]?.action).toBe("tag sg-0002 with kubernetes.io/cluster/alpha=shared");
  });

  it("refuses findings of another cluster", async () => {
    // Act
    const error = await new InMemoryStateStore().replaceFindings("beta", [finding()], at(0)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(StateStoreError);
  });

  it("lists the audit log newest first, by cluster, by kind or both, records an id once, and binds cursors to the filters", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const actions = Array.from({ length: 8 }, (_, i) =>
      actionRecord({
        id: `act-${i}`,
        at: at(i * 10),
        cluster: i % 2 === 0 ? "alpha" : "beta",
        kind: i % 4 < 2 ? "delete-eni" : "tag-sg",
      }),
    );
    for (const action of actions) await store.recordAction(action);

    // Act
    const duplicate = await store.recordAction({ ...(actions[0] ?? actionRecord()), at: at(999) });

    const every = await allPages((cursor) => store.listActions({ limit: 3, ...(cursor ? { cursor } : {}) }));
    const alpha = await store.listActions({ cluster: "alpha", limit: 10 });
    const tags = await store.listActions({ kind: "tag-sg", limit: 10 });
    const alphaTags = await store.listActions({ cluster: "alpha", kind: "tag-sg", limit: 10 });
    const foreignCursor = await store
      .listActions({ cluster: "alpha", limit: 3, cursor: (await store.listActions({ limit: 3 })).cursor ?? "" })
      .catch((e: unknown) => e);

    // Assess
    expect(duplicate).toBe("duplicate");
    expect(every.items.map((a) => a.id)).toEqual([
      "act-7",
      "act-6",
      "act-5",
      "act-4",
      "act-3",
      "act-2",
      "act-1",
      "act-0",
    ]);
    expect(every.items[7]).toStrictEqual(actions[0]);
    expect(alpha.items.map((a) => a.id)).toEqual(["act-6", "act-4", "act-2", "act-0"]);
    expect(tags.items.map((a) => a.id)).toEqual(["act-7", "act-6", "act-3", "act-2"]);
    expect(alphaTags.items.map((a) => a.id)).toEqual(["act-6", "act-2"]);
    expect(foreignCursor).toBeInstanceOf(InvalidCursorError);
  });
});

describe("InMemoryStateStore: write-ahead audit", () => {
  it("replaces a `started` entry by its outcome, once", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const started = actionRecord({ id: "act-wal", at: at(500), outcome: "started" });

    // Act
    const writes = [
      await store.recordAction(started),
      await store.recordAction({ ...started, outcome: "succeeded" }),
      await store.recordAction({ ...started, outcome: "failed" }),
    ];

    // Assess
    expect(writes).toEqual(["recorded", "recorded", "duplicate"]);
    expect((await store.listActions({ limit: 10 })).items).toStrictEqual([{ ...started, outcome: "succeeded" }]);
  });
});

describe("InMemoryStateStore: clusters, claims and leases", () => {
  it("keeps cluster summaries by name, refuses an older sweep's, adjusts counts atomically and reports health", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    await store.putClusterSummary({
      name: "beta",
      status: "active",
      counts: counts({ associated: 4 }),
      lastSweepAt: at(0),
    });
    await store.putClusterSummary({
      name: "alpha",
      status: "active",
      vpcId: "vpc-0bbb",
      counts: counts({ associated: 10, suspect: 2 }),
      lastSweepAt: at(600),
    });

    // Act
    const older = await store.putClusterSummary({
      name: "alpha",
      status: "active",
      counts: counts(),
      lastSweepAt: at(300),
    });
    const adjusted = await Promise.all([
      store.adjustClusterCounts("alpha", { suspect: -1, leaked: 1 }, "event-1"),
      store.adjustClusterCounts("alpha", { suspect: -1, leaked: 1 }, "event-2"),
    ]);
    const retried = await store.adjustClusterCounts("alpha", { suspect: -1, leaked: 1 }, "event-2");
    const noSummary = await store.adjustClusterCounts("gamma", { leaked: 1 }, "event-3");

    // Assess
    expect(older).toBe("conflict");
    expect(adjusted).toEqual(["adjusted", "adjusted"]);
    expect(retried).toBe("duplicate");
    expect(noSummary).toBe("no-summary");
    expect((await store.listClusters()).map((c) => c.name)).toEqual(["alpha", "beta"]);
    expect(await store.getCluster("alpha")).toStrictEqual({
      name: "alpha",
      status: "active",
      vpcId: "vpc-0bbb",
      counts: counts({ associated: 10, leaked: 2 }),
      lastSweepAt: at(600),
    });
    expect(await store.getHealth()).toEqual({ lastSweepAt: at(600) });
    expect(await new InMemoryStateStore().getHealth()).toEqual({});
  });

  it("gives a lease to one owner at a time, renews it for the holder, lets another take it over once expired, releases it only for the holder", async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const t = (seconds: number) => new Date(T0 + seconds * 1000);

    // Act
    const concurrent = await Promise.all(["a", "b", "c"].map((owner) => store.acquireLease("alpha", owner, 900, t(0))));
    const winner = ["a", "b", "c"][concurrent.indexOf(true)] ?? "";
    const loser = winner === "a" ? "b" : "a";
    const renewed = await store.acquireLease("alpha", winner, 900, t(600));
    const refused = await store.acquireLease("alpha", loser, 900, t(1000));
    const takenOver = await store.acquireLease("alpha", loser, 900, t(1500));
    const releasedByOld = await store.releaseLease("alpha", winner);
    const releasedByHolder = await store.releaseLease("alpha", loser);
    const free = await store.acquireLease("alpha", winner, 900, t(1501));

    // Assess
    expect(concurrent.filter(Boolean)).toHaveLength(1);
    expect([renewed, refused, takenOver, releasedByOld, releasedByHolder, free]).toEqual([
      true,
      false,
      true,
      false,
      true,
      true,
    ]);
  });
});
