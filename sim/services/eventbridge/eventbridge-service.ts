import type { SimIdentity } from "../../control/identities.ts";
import { SimError } from "../../protocol/sim-error.ts";
import type { SimWorld } from "../../world.ts";
import type { RoutedCall, SimRequest, SimResponse, SimService } from "../sim-service.ts";
import { DEFAULT_BUS, type EventBus } from "./event-bus-state.ts";
import { putEvents } from "./put-events.ts";

const TARGET_PREFIX = "AWSEvents.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

type Input = Record<string, unknown>;

interface EventBridgeAction {
  /** Management calls reach CloudTrail (and so the default bus); PutEvents is a data event. */
  readonly trail?: (input: Input, output: Input) => { requestParameters: unknown; responseElements: unknown };
  run(input: Input, world: SimWorld): Input;
}

/** The JSON protocol sends timestamps as epoch seconds. */
const epochSeconds = (date: Date): number => date.getTime() / 1000;

const describeBus = (bus: EventBus): Input => ({
  Name: bus.name,
  Arn: bus.arn,
  ...(bus.description === undefined ? {} : { Description: bus.description }),
  CreationTime: epochSeconds(bus.createdAt),
  LastModifiedTime: epochSeconds(bus.lastModifiedAt),
});

const optionalString = (input: Input, name: string): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new SimError("SerializationException", `${name} must be a string.`);
  return value;
};

const requiredString = (input: Input, name: string): string => {
  const value = optionalString(input, name);
  if (value === undefined || value === "") {
    throw new SimError(
      "ValidationException",
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

const tagsOf = (input: Input): Record<string, string> => {
  const tags: Record<string, string> = {};
  if (!Array.isArray(input.Tags)) return tags;
  for (const tag of input.Tags) {
    if (typeof tag === "object" && tag !== null && "Key" in tag && typeof tag.Key === "string") {
      tags[tag.Key] = "Value" in tag && typeof tag.Value === "string" ? tag.Value : "";
    }
  }
  return tags;
};

/** ListEventBuses pages by an opaque token over the name-sorted buses. */
const listEventBuses = (input: Input, world: SimWorld): Input => {
  const limit = input.Limit ?? 100;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new SimError("ValidationException", "Limit must be between 1 and 100.");
  }
  const prefix = optionalString(input, "NamePrefix") ?? "";
  const token = optionalString(input, "NextToken");
  const start = token === undefined ? 0 : Number(Buffer.from(token, "base64url").toString("utf8"));
  if (!Number.isInteger(start) || start < 0) throw new SimError("ValidationException", "The NextToken is not valid.");
  const matching = world.buses.list().filter((bus) => bus.name.startsWith(prefix));
  const page = matching.slice(start, start + limit);
  const next = start + limit;
  return {
    EventBuses: page.map(describeBus),
    ...(next < matching.length ? { NextToken: Buffer.from(String(next)).toString("base64url") } : {}),
  };
};

const ACTIONS: Readonly<Record<string, EventBridgeAction>> = {
  PutEvents: {
    run: (input, world) => putEvents(world, input.Entries),
  },
  CreateEventBus: {
    trail: (input, output) => ({
      requestParameters: { name: input.Name },
      responseElements: { eventBusArn: output.EventBusArn },
    }),
    run: (input, world) => {
      const bus = world.buses.create(
        requiredString(input, "Name"),
        optionalString(input, "Description"),
        tagsOf(input),
      );
      return { EventBusArn: bus.arn, ...(bus.description === undefined ? {} : { Description: bus.description }) };
    },
  },
  DeleteEventBus: {
    trail: (input) => ({ requestParameters: { name: input.Name }, responseElements: null }),
    run: (input, world) => {
      world.buses.delete(requiredString(input, "Name"));
      return {};
    },
  },
  DescribeEventBus: {
    run: (input, world) => {
      const name = optionalString(input, "Name") ?? DEFAULT_BUS;
      const bus = world.buses.bus(name);
      if (!bus) throw new SimError("ResourceNotFoundException", `Event bus ${name} does not exist.`);
      return describeBus(bus);
    },
  },
  ListEventBuses: { run: listEventBuses },
};

/**
 * Amazon EventBridge on JSON 1.1 (`X-Amz-Target: AWSEvents.<Operation>`): PutEvents with
 * EventBridge's per-entry failures, and event bus management. Events put on a bus are kept in
 * `world.events` under that bus's name.
 */
export const eventBridgeService: SimService = {
  name: "events",

  route(request: SimRequest): RoutedCall {
    const target = request.headers["x-amz-target"];
    const action =
      typeof target === "string" && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    return { action, filteredOrPaged: false };
  },

  handle(request: SimRequest, call: RoutedCall, world: SimWorld): SimResponse {
    const action = Object.hasOwn(ACTIONS, call.action) ? ACTIONS[call.action] : undefined;
    if (!action) throw new SimError("UnknownOperationException", `Unknown operation ${call.action || "(none)"}.`);
    const input = parseBody(request.body);
    let output: Input;
    try {
      output = action.run(input, world);
    } catch (error) {
      if (action.trail && error instanceof SimError)
        recordTrail(world, request, call.action, action.trail(input, {}), error);
      throw error;
    }
    if (action.trail) recordTrail(world, request, call.action, action.trail(input, output), undefined);
    return {
      status: 200,
      headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": request.requestId },
      body: JSON.stringify(output),
    };
  },

  renderError(error: SimError, requestId: string): SimResponse {
    return {
      status: error.status,
      headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId, "x-amzn-errortype": error.code },
      body: JSON.stringify({ __type: error.code, message: error.message }),
    };
  },

  throttleError: () => new SimError("ThrottlingException", "Rate exceeded", 400),

  internalError: (code?: string, status?: number) =>
    new SimError(code ?? "InternalException", "An internal error occurred.", status ?? 500),

  denyError: (action: string, caller: SimIdentity) =>
    new SimError(
      "AccessDeniedException",
      `User: ${caller.arn} is not authorized to perform: events:${action} because no identity-based policy allows the events:${action} action`,
      400,
    ),
};

const recordTrail = (
  world: SimWorld,
  request: SimRequest,
  eventName: string,
  trail: { requestParameters: unknown; responseElements: unknown },
  error: SimError | undefined,
): void => {
  world.trail("aws.events", {
    eventSource: "events.amazonaws.com",
    eventName,
    caller: request.caller,
    requestParameters: trail.requestParameters,
    responseElements: error ? null : trail.responseElements,
    requestId: request.requestId,
    ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
  });
};

const parseBody = (body: string): Input => {
  if (body.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Input;
  } catch {
    // Falls through to the protocol's answer to an unreadable body.
  }
  throw new SimError("SerializationException", "Start of structure or map found where not expected.");
};
