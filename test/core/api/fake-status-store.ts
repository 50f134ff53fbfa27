import type { StatusStore } from "../../../core/api/status-route.ts";
import type { ActionRecord } from "../../../core/model/action-record.ts";
import type { EniRecord, EniTransition } from "../../../core/model/eni-record.ts";
import type { Finding } from "../../../core/model/finding.ts";
import type { ClusterSummary, Health, Page } from "../../../core/ports/state-store.ts";

/** What the fake answers; every listing returns its whole list as one page. */
export interface FakeContents {
  readonly health?: Health;
  readonly clusters?: readonly ClusterSummary[];
  readonly enis?: readonly EniRecord[];
  readonly history?: readonly EniTransition[];
  readonly findings?: readonly Finding[];
  readonly actions?: readonly ActionRecord[];
}

/** A read-only store answering from fixed contents, recording every call with its arguments. */
export const fakeStatusStore = (contents: FakeContents = {}) => {
  const calls: { method: keyof StatusStore; args: unknown[] }[] = [];
  const page = <T>(items: readonly T[] = []): Page<T> => ({ items });
  const store: StatusStore = {
    getHealth: async () => {
      calls.push({ method: "getHealth", args: [] });
      return contents.health ?? {};
    },
    listClusters: async () => {
      calls.push({ method: "listClusters", args: [] });
      return [...(contents.clusters ?? [])];
    },
    getCluster: async (name) => {
      calls.push({ method: "getCluster", args: [name] });
      return contents.clusters?.find((cluster) => cluster.name === name);
    },
    listEniItems: async (cluster, request) => {
      calls.push({ method: "listEniItems", args: [cluster, request] });
      return page(
        contents.enis?.filter((eni) => eni.cluster === cluster && (!request.state || eni.state === request.state)),
      );
    },
    getEni: async (eniId) => {
      calls.push({ method: "getEni", args: [eniId] });
      return contents.enis?.find((eni) => eni.eniId === eniId);
    },
    listHistory: async (eniId, request) => {
      calls.push({ method: "listHistory", args: [eniId, request] });
      return page(contents.history?.filter((step) => step.eniId === eniId));
    },
    listFindings: async (cluster, request) => {
      calls.push({ method: "listFindings", args: [cluster, request] });
      return page(contents.findings?.filter((finding) => finding.cluster === cluster));
    },
    listActions: async (request) => {
      calls.push({ method: "listActions", args: [request] });
      return page(contents.actions);
    },
  };
  return { store, calls };
};
