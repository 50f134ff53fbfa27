import { actionListQuerySchema, noParametersSchema, pageRequestOf } from "../parameters.ts";
import { defineRoute } from "../status-route.ts";
import { type ActionView, actionView, type ListView, listView } from "../status-views.ts";

/**
 * `GET /v1/actions?cluster=&kind=&limit=&cursor=`: a page of the audit log, newest first. The filters
 * narrow the log: an unknown cluster simply has no actions (200, empty), unlike the cluster routes.
 */
export const actionsRoute = defineRoute({
  key: "GET /v1/actions",
  path: noParametersSchema,
  query: actionListQuerySchema,
  read: async (_path, { cluster, kind, ...page }, { store }): Promise<ListView<ActionView>> => {
    const listing = await store.listActions({
      ...pageRequestOf(page),
      ...(cluster === undefined ? {} : { cluster }),
      ...(kind === undefined ? {} : { kind }),
    });
    return listView(listing, actionView);
  },
});
