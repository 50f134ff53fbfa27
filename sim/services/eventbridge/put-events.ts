import type { EventBridgeEvent } from "../../events/event-log.ts";
import { SimError } from "../../protocol/sim-error.ts";
import type { SimWorld } from "../../world.ts";

/** PutEvents takes at most this many entries a call. */
export const MAX_ENTRIES = 10;
/** Upper bound of the summed entry sizes of one call (EventBridge's "PutEvents event entry size"). */
export const MAX_TOTAL_ENTRY_BYTES = 256 * 1024;

/** One entry of the answer: the event id, or why this entry was refused. */
export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const bytes = (text: unknown): number => (typeof text === "string" ? Buffer.byteLength(text, "utf8") : 0);

/**
 * An entry's size as EventBridge counts it: 14 bytes for a Time, plus the UTF-8 bytes of Source,
 * DetailType, Detail and every Resources ARN.
 */
export const entrySize = (entry: Record<string, unknown>): number => {
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources.reduce((sum: number, arn) => sum + bytes(arn), 0)
  );
};

/**
 * Put a batch of entries: whole-call validation errors throw; each entry then either lands on its
 * bus (appended to `world.events`) or is reported failed in place, as EventBridge answers.
 */
export const putEvents = (
  world: SimWorld,
  entries: unknown,
): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } => {
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    const count = Array.isArray(entries) ? entries.length : 0;
    throw new SimError(
      "ValidationException",
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${count < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_ENTRIES}`}`,
    );
  }
  const records = entries.map((entry): Record<string, unknown> => (isRecord(entry) ? entry : {}));
  if (records.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_TOTAL_ENTRY_BYTES) {
    throw new SimError("ValidationException", "Total size of the entries in the request is over the limit.");
  }
  const results = records.map((entry) => putOne(world, entry));
  return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
};

const putOne = (world: SimWorld, entry: Record<string, unknown>): PutEventsResultEntry => {
  for (const field of ["Source", "DetailType", "Detail"] as const) {
    const value = entry[field];
    if (typeof value !== "string" || value.trim() === "") {
      return failure("InvalidArgument", `Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
    }
  }
  const source = entry.Source as string;
  if (source.startsWith("aws.")) {
    // Only AWS services may put events with an aws.* source.
    return failure("NotAuthorizedForSourceException", "Not authorized for the source.");
  }
  const detail = parseDetail(entry.Detail as string);
  if (!detail) return failure("MalformedDetail", "Detail is malformed.");
  const time = parseTime(entry.Time, world.clock.now());
  if (!time) return failure("InvalidArgument", "Parameter Time is not valid.");
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === "string")) {
    return failure("InvalidArgument", "Parameter Resources is not valid.");
  }
  if (world.faults.entryFailure()) return failure("InternalFailure", "Internal Failure");

  const event: EventBridgeEvent = {
    version: "0",
    id: world.ids.uuid(),
    "detail-type": entry.DetailType as string,
    source,
    account: world.accountId,
    time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: world.region,
    resources: resources as string[],
    detail,
  };
  // Like EventBridge, an entry for a bus that does not exist is accepted and silently dropped
  // (aws/aws-sdk#186, aws/aws-cli#9186): the caller gets an EventId and no rule ever sees it.
  const bus = world.buses.bus(typeof entry.EventBusName === "string" ? entry.EventBusName : undefined);
  if (bus) world.events.append(bus.name, event);
  return { EventId: event.id };
};

const failure = (ErrorCode: string, ErrorMessage: string): PutEventsResultEntry => ({ ErrorCode, ErrorMessage });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const parseDetail = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** The JSON protocol sends timestamps as epoch seconds; absent means now. */
const parseTime = (value: unknown, now: Date): Date | undefined => {
  if (value === undefined || value === null) return now;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
};
