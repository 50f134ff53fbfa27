/** An event as EventBridge delivers it to a rule target. */
export interface EventBridgeEvent<TDetail = Record<string, unknown>> {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}

/** One entry of the log: the bus it was put on and the event. */
export interface LoggedEvent {
  readonly cursor: number;
  readonly bus: string;
  readonly event: EventBridgeEvent;
}

/**
 * Every event put on any bus of the simulated account, in order. Readers page through it with an
 * opaque cursor (`GET /_sim/events?after=<cursor>`), as a rule target would receive them.
 */
export class EventLog {
  private readonly entries: LoggedEvent[] = [];

  public append(bus: string, event: EventBridgeEvent): LoggedEvent {
    const entry = { cursor: this.entries.length + 1, bus, event };
    this.entries.push(entry);
    return entry;
  }

  /** Events after `cursor` (0 = from the start) on `bus` (`*` = every bus), at most `limit`. */
  public read(after: number, bus: string, limit: number): { events: EventBridgeEvent[]; cursor: number } {
    const events: EventBridgeEvent[] = [];
    let cursor = after;
    for (let i = after; i < this.entries.length && events.length < limit; i++) {
      const entry = this.entries[i] as LoggedEvent;
      cursor = entry.cursor;
      if (bus === "*" || entry.bus === bus) events.push(entry.event);
    }
    return { events, cursor };
  }

  public get size(): number {
    return this.entries.length;
  }
}
