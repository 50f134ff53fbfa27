import { noParametersSchema } from "../parameters.ts";
import { defineRoute } from "../status-route.ts";
import type { HealthView } from "../status-views.ts";

/** `GET /v1/health`: the mode, and when the newest sweep of any cluster ran. */
export const healthRoute = defineRoute({
  key: "GET /v1/health",
  path: noParametersSchema,
  query: noParametersSchema,
  read: async (_path, _query, { store, mode }): Promise<HealthView> => {
    const health = await store.getHealth();
    return { ok: true, mode, lastSweepAt: health.lastSweepAt ?? null };
  },
});
