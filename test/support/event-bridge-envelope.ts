import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from "../../sim/index.ts";

/** An EventBridge event as the default bus delivers it, in the simulator's account and region. */
export const eventBridgeEnvelope = (
  id: string,
  source: string,
  detailType: string,
  detail: unknown,
  time = "2026-11-21T10:00:00Z",
) => ({
  version: "0",
  id,
  "detail-type": detailType,
  source,
  account: DEFAULT_ACCOUNT_ID,
  time,
  region: DEFAULT_REGION,
  resources: [],
  detail,
});
