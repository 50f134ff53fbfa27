import type { SimIdentity } from "../../control/identities.ts";
import { SimError } from "../../protocol/sim-error.ts";
import type { SimWorld } from "../../world.ts";
import type { RoutedCall, SimRequest, SimResponse, SimService } from "../sim-service.ts";
import { EKS_ACTIONS, EKS_MUTATIONS, type EksActionInput, failedRequestParameters } from "./eks-actions.ts";
import { EksError } from "./eks-error.ts";
import { matchEksRoute } from "./eks-routes.ts";

/** Stands for a method and path EKS has no operation for (stats and fault keys use it too). */
const UNKNOWN_OPERATION = "UnknownOperation";

/**
 * Amazon EKS on REST-JSON: clusters and managed node groups. Mutations are recorded on the trail
 * (source `aws.eks`), the only way EKS lifecycle changes reach EventBridge.
 */
export const eksService: SimService = {
  name: "eks",

  route(request: SimRequest): RoutedCall {
    return { action: matchEksRoute(request.method, request.path)?.action ?? UNKNOWN_OPERATION, filteredOrPaged: false };
  },

  handle(request: SimRequest, call: RoutedCall, world: SimWorld): SimResponse {
    const match = matchEksRoute(request.method, request.path);
    const action = match ? EKS_ACTIONS[match.action] : undefined;
    if (!match || !action) {
      throw new SimError(
        "UnknownOperationException",
        `No EKS operation is bound to ${request.method} ${request.path}.`,
        404,
      );
    }
    const input: EksActionInput = { labels: match.labels, query: request.query, body: parseBody(request.body), world };
    const trailed = EKS_MUTATIONS.has(call.action);
    let output: ReturnType<typeof action>;
    try {
      output = action(input);
    } catch (error) {
      if (trailed && error instanceof SimError) {
        recordTrail(world, request, call.action, failedRequestParameters(call.action, input), null, error);
      }
      throw error;
    }
    if (output.trail) {
      recordTrail(
        world,
        request,
        call.action,
        output.trail.requestParameters,
        output.trail.responseElements,
        undefined,
      );
    }
    return {
      status: 200,
      headers: { "content-type": "application/json", "x-amzn-requestid": request.requestId },
      body: JSON.stringify(output.body),
    };
  },

  renderError(error: SimError, requestId: string): SimResponse {
    const fields = error instanceof EksError ? error.fields : {};
    return {
      status: error.status,
      headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": error.code },
      body: JSON.stringify({ message: error.message, ...fields }),
    };
  },

  throttleError: () => new SimError("ThrottlingException", "Rate exceeded", 429),

  internalError: (code?: string, status?: number) =>
    new SimError(code ?? "ServerException", "An internal error occurred.", status ?? 500),

  denyError: (action: string, caller: SimIdentity) =>
    new SimError("AccessDeniedException", `User: ${caller.arn} is not authorized to perform: eks:${action}`, 403),
};

const recordTrail = (
  world: SimWorld,
  request: SimRequest,
  eventName: string,
  requestParameters: unknown,
  responseElements: unknown,
  error: SimError | undefined,
): void => {
  world.trail("aws.eks", {
    eventSource: "eks.amazonaws.com",
    eventName,
    caller: request.caller,
    requestParameters,
    responseElements,
    requestId: request.requestId,
    ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
  });
};

const parseBody = (body: string): Record<string, unknown> => {
  if (body.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to EKS's answer to an unreadable body.
  }
  throw new EksError("BadRequestException", "The request body is not valid JSON.", 400);
};
