import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbStateStore } from "../../../core/aws/dynamodb-state-store.ts";
import { type ClusterSummary, StateStoreError } from "../../../core/ports/state-store.ts";
import { setFaults } from "../../support/sim-clients.ts";
import { at, eniRecord, type StateStoreFixture, startStateStoreFixture, T0 } from "./state-store-fixture.ts";

const summary = (overrides: Partial<ClusterSummary> = {}): ClusterSummary => ({
  name: "alpha",
  status: "active",
  vpcId: "vpc-0bbb",
  counts: { associated: 40, detached: 2, suspect: 3, leaked: 1, deleting: 0, deleted: 5, gone: 7 },
  lastSweepAt: at(0),
  ...overrides,
});

describe("DynamoDbStateStore: clusters, leases and errors", () => {
  let fixture: StateStoreFixture;
  beforeAll(async () => {
    fixture = await startStateStoreFixture();
  });
  afterAll(() => fixture.stop());

  describe("cluster summaries", () => {
    it("stores, reads and lists summaries field by field, ordered by name", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      const alpha = summary();
      const { vpcId: _none, ...beta } = summary({ name: "beta", status: "deleted", lastSweepAt: at(30) });

      // Act
      await store.putClusterSummary(beta);
      await store.putClusterSummary(alpha);

      // Assess
      expect(await store.getCluster("alpha")).toStrictEqual(alpha);
      expect(await store.getCluster("gamma")).toBeUndefined();
      expect(await store.listClusters()).toStrictEqual([alpha, beta]);
      expect(await store.getHealth()).toEqual({ lastSweepAt: at(30) });
    });

    it("reports no sweep before the first one", async () => {
      const { store } = await fixture.newStore();

      expect(await store.getHealth()).toEqual({});
      expect(await store.listClusters()).toEqual([]);
    });

    it("refuses a summary from a sweep older than the stored one", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      await store.putClusterSummary(summary({ lastSweepAt: at(600) }));

      // Act
      const outcome = await store.putClusterSummary(summary({ lastSweepAt: at(300), status: "unknown" }));

      // Assess
      expect(outcome).toBe("conflict");
      expect(await store.getCluster("alpha")).toMatchObject({ lastSweepAt: at(600), status: "active" });
    });

    it("adds concurrent count adjustments atomically, none lost", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      await store.putClusterSummary(summary());

      // Act
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.adjustClusterCounts("alpha", { suspect: -1, leaked: 1, deleting: 0 }, `event-${i}`),
        ),
      );

      // Assess
      expect(new Set(outcomes)).toEqual(new Set(["adjusted"]));
      expect((await store.getCluster("alpha"))?.counts).toEqual({
        associated: 40,
        detached: 2,
        suspect: -17,
        leaked: 21,
        deleting: 0,
        deleted: 5,
        gone: 7,
      });
    });

    it("does not adjust counts of a cluster no sweep has summarized yet", async () => {
      // Prepare
      const { store } = await fixture.newStore();

      // Act
      const outcome = await store.adjustClusterCounts("alpha", { leaked: 1 }, "event-1");

      // Assess
      expect(outcome).toBe("no-summary");
      expect(await store.getCluster("alpha")).toBeUndefined();
    });

    it("counts a retried adjustment once: the request whose answer was lost already applied it", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      await store.putClusterSummary(summary());

      // Act
      const first = await store.adjustClusterCounts("alpha", { suspect: -1, leaked: 1 }, "event-1");
      const retried = await store.adjustClusterCounts("alpha", { suspect: -1, leaked: 1 }, "event-1");
      const next = await store.adjustClusterCounts("alpha", { leaked: -1, deleted: 1 }, "event-2");

      // Assess
      expect([first, retried, next]).toEqual(["adjusted", "duplicate", "adjusted"]);
      expect((await store.getCluster("alpha"))?.counts).toMatchObject({ suspect: 2, leaked: 1, deleted: 6 });
    });
  });

  describe("sweep leases", () => {
    const now = new Date(T0);
    const later = (seconds: number) => new Date(T0 + seconds * 1000);

    it("refuses a second owner until the lease expires, then lets it take over", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      await store.acquireLease("alpha", "sweep-a", 300, now);

      // Act
      const whileHeld = await store.acquireLease("alpha", "sweep-b", 300, later(299));
      const otherCluster = await store.acquireLease("beta", "sweep-b", 300, later(1));
      const afterExpiry = await store.acquireLease("alpha", "sweep-b", 300, later(300));
      const formerOwner = await store.acquireLease("alpha", "sweep-a", 300, later(301));

      // Assess
      expect([whileHeld, otherCluster, afterExpiry, formerOwner]).toEqual([false, true, true, false]);
    });

    it("lets one of many concurrent sweeps take a free lease", async () => {
      // Prepare
      const { store } = await fixture.newStore();

      // Act
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.acquireLease("alpha", `sweep-${i}`, 300, now)),
      );

      // Assess
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    });

    it("renews for the holder, and releases only for the holder", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      await store.acquireLease("alpha", "sweep-a", 300, now);

      // Act
      const renewed = await store.acquireLease("alpha", "sweep-a", 300, later(200));
      const stillHeld = await store.acquireLease("alpha", "sweep-b", 300, later(400));
      const releasedByOther = await store.releaseLease("alpha", "sweep-b");
      const releasedByHolder = await store.releaseLease("alpha", "sweep-a");
      const free = await store.acquireLease("alpha", "sweep-b", 300, later(401));

      // Assess
      expect([renewed, stillHeld, releasedByOther, releasedByHolder, free]).toEqual([true, false, false, true, true]);
    });
  });

  describe("errors", () => {
    afterEach(() => setFaults(fixture.sim.endpoint, {}));

    it("reports throttling and server errors as retryable, with the SDK error as cause", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      await setFaults(fixture.sim.endpoint, {
        errors: [
          { action: "dynamodb:Query", rate: 1, code: "ProvisionedThroughputExceededException", status: 400 },
          { action: "dynamodb:PutItem", rate: 1 },
        ],
      });

      // Act
      const throttled = await store.listEnis("alpha", { limit: 10 }).catch((e: unknown) => e);
      const serverError = await store.putEni(eniRecord()).catch((e: unknown) => e);

      // Assess
      expect(throttled).toBeInstanceOf(StateStoreError);
      expect(throttled).toMatchObject({ retryable: true, operation: "listEnis" });
      expect((throttled as StateStoreError).cause).toMatchObject({ name: "ProvisionedThroughputExceededException" });
      expect(serverError).toMatchObject({ retryable: true, operation: "putEni" });
      expect((serverError as StateStoreError).cause).toMatchObject({ name: "InternalServerError" });
    });

    it("reports a dropped connection as retryable", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      await setFaults(fixture.sim.endpoint, { timeouts: [{ action: "dynamodb:GetItem", rate: 1 }] });

      // Act
      const error = await store.getEni("eni-1").catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ retryable: true, operation: "getEni" });
      expect((error as StateStoreError).cause).toBeDefined();
    });

    it("reports a request DynamoDB rejects as invalid, or a missing table, as terminal", async () => {
      // Prepare
      const { store } = await fixture.newStore();
      const missingTable = new DynamoDbStateStore({ client: fixture.dynamodb, tableName: "no-such-table" });

      // Act
      const tooLongKey = await store.getEni("e".repeat(3000)).catch((e: unknown) => e);
      const noTable = await missingTable.listClusters().catch((e: unknown) => e);

      // Assess
      expect(tooLongKey).toMatchObject({ retryable: false, operation: "getEni" });
      expect((tooLongKey as StateStoreError).cause).toMatchObject({ name: "ValidationException" });
      expect(noTable).toMatchObject({ retryable: false, operation: "listClusters" });
      expect((noTable as StateStoreError).cause).toMatchObject({ name: "ResourceNotFoundException" });
    });
  });
});
