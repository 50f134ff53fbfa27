import { z } from "zod";
import { ApiError, quoted } from "../api-error.ts";
import { eniIdSchema, noParametersSchema } from "../parameters.ts";
import { defineRoute } from "../status-route.ts";
import { type EniDetailView, eniDetailView, type TransitionView, transitionView } from "../status-views.ts";

/** Transitions shown with an ENI: one store page, the newest first. Of a longer history, the oldest are not shown. */
export const ENI_HISTORY_LIMIT = 100;

/** `GET /v1/enis/{eniId}`: one ENI's record and its newest transitions, newest first. */
export const eniRoute = defineRoute({
  key: "GET /v1/enis/{eniId}",
  path: z.strictObject({ eniId: eniIdSchema }),
  query: noParametersSchema,
  read: async ({ eniId }, _query, { store }): Promise<{ eni: EniDetailView; history: TransitionView[] }> => {
    // Both reads at once: a known ENI (the common case) costs one round trip.
    const [record, history] = await Promise.all([
      store.getEni(eniId),
      store.listHistory(eniId, { limit: ENI_HISTORY_LIMIT }),
    ]);
    if (record === undefined) throw new ApiError("EniNotFound", `ENI ${quoted(eniId)} was never recorded`);
    return { eni: eniDetailView(record), history: history.items.map(transitionView) };
  },
});
