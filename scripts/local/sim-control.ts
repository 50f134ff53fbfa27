/**
 * The simulator's control routes (`/_sim/…`) that the local runner reads: the event log and the call
 * counters. Not AWS APIs, so plain HTTP.
 */

/** One page of the event log of the default bus. */
export interface EventLogPage {
  readonly events: readonly unknown[];
  readonly cursor: string;
}

/** `GET /_sim/stats`: calls, throttles and errors per `service:Action`. */
export interface SimStats {
  readonly calls: Readonly<Record<string, number>>;
  readonly throttled: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
  readonly totalCalls: number;
}

const control = async <T>(endpoint: string, path: string, method = "GET"): Promise<T> => {
  const response = await fetch(`${endpoint}${path}`, { method });
  if (!response.ok) {
    throw new Error(`simulator ${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
};

/** Events put on the default bus after `cursor` (`"0"`: from the start), in order. */
export const readEvents = (endpoint: string, cursor: string): Promise<EventLogPage> =>
  control(endpoint, `/_sim/events?after=${encodeURIComponent(cursor)}`);

export const readStats = (endpoint: string): Promise<SimStats> => control(endpoint, "/_sim/stats");

/** Zero the counters, so the next read counts only what happens from now on. */
export const resetStats = async (endpoint: string): Promise<void> => {
  await control(endpoint, "/_sim/stats", "DELETE");
};
