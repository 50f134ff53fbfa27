import type { z } from "zod";
import type { Mode } from "../config.ts";
import type { StateStore } from "../ports/state-store.ts";
import { validated } from "./validate.ts";

/** The store's read side: all the status API may call. */
export type StatusStore = Pick<
  StateStore,
  | "getHealth"
  | "listClusters"
  | "getCluster"
  | "listEniItems"
  | "getEni"
  | "listHistory"
  | "listFindings"
  | "listActions"
>;

/** What routes read from. */
export interface StatusSources {
  readonly store: StatusStore;
  /** The mode Branchkeeper runs in, as `GET /v1/health` reports it. */
  readonly mode: Mode;
}

/** The raw, decoded parameters of one request. */
export interface RouteParameters {
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

/** The reads answering one validated request, returning the JSON body. */
export type StatusRead = (sources: StatusSources) => Promise<object>;

/** One route of the status API. */
export interface StatusRoute<K extends string = string> {
  /** API Gateway's route key: method, space, path template with `{name}` parameters. */
  readonly key: K;
  /**
   * Validate the parameters and return the read that answers them. Validation completes before anything
   * is read, so a refused request never reaches the store.
   * @throws ApiError `InvalidParameter`
   */
  prepare(parameters: RouteParameters): StatusRead;
}

/** A route from its key, the schemas of its parameters, and its read. */
export const defineRoute = <K extends string, P extends z.ZodObject, Q extends z.ZodObject>(spec: {
  readonly key: K;
  readonly path: P;
  readonly query: Q;
  readonly read: (path: z.output<P>, query: z.output<Q>, sources: StatusSources) => Promise<object>;
}): StatusRoute<K> => ({
  key: spec.key,
  prepare: (parameters) => {
    const path = validated(spec.path, parameters.path, "path");
    const query = validated(spec.query, parameters.query, "query");
    return (sources) => spec.read(path, query, sources);
  },
});
