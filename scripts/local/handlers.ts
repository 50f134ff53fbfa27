import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { PassSummary } from "../../core/reconcile/pass-summary.ts";
import { localLambdaContext } from "./lambda-context.ts";
import { scheduledEvent } from "./scheduled-event.ts";
import type { StatusApiHandler } from "./status-api-server.ts";

/** Branchkeeper's three functions, invoked in-process as Lambda would invoke them. */
export interface LocalHandlers {
  /** `functions/events.ts` with one SQS batch. */
  readonly events: (batch: SQSEvent) => Promise<SQSBatchResponse>;
  /** `functions/sweep.ts` as the schedule invokes it. */
  readonly sweep: () => Promise<PassSummary>;
  /** `functions/api.ts`. */
  readonly api: StatusApiHandler;
}

let loaded = false;

/**
 * Import the handlers. Call it only once the Lambda environment is set: like a Lambda container, each
 * handler creates its logger when its module loads and composes its clients from the environment on
 * first use, then keeps them for the life of the process. So one process serves one local run; a second
 * would silently talk to the first run's simulator and table, and is refused instead.
 * @throws Error when handlers were already loaded in this process
 */
export const loadHandlers = async (): Promise<LocalHandlers> => {
  if (loaded) throw new Error("one local run per process: the handlers keep the environment of the first run");
  loaded = true;
  const events = await import("../../functions/events.ts");
  const sweep = await import("../../functions/sweep.ts");
  const api = await import("../../functions/api.ts");
  return {
    events: (batch) => events.handler(batch, localLambdaContext("branchkeeper-events")),
    sweep: () => sweep.handler(scheduledEvent(), localLambdaContext("branchkeeper-sweep")),
    api: (event, context) => api.handler(event, context),
  };
};
