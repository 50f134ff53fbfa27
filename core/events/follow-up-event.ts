import { z } from "zod";
import type { FollowUp } from "../ports/follow-up-scheduler.ts";
import { EKS_CLUSTER_NAME } from "./eks-cluster-name.ts";

/** `source` of the follow-ups Branchkeeper sends itself (distinct from its notifications' `branchkeeper`). */
export const FOLLOW_UP_SOURCE = "branchkeeper.reconciler";
export const FOLLOW_UP_DETAIL_TYPE = "Branchkeeper Leak Grace Due";

/** ENIs one follow-up may name: a delayed SQS message holds at most 256 KB. */
export const MAX_FOLLOW_UP_ENIS = 1000;

export const followUpDetailSchema = z.object({
  cluster: z.string().regex(EKS_CLUSTER_NAME),
  eniIds: z
    .array(z.string().regex(/^eni-[0-9a-f]{8,17}$/))
    .min(1)
    .max(MAX_FOLLOW_UP_ENIS),
  dueAt: z.iso.datetime(),
});

/** Where the follow-up is read: Branchkeeper's own account and region. */
export interface FollowUpAddress {
  readonly accountId: string;
  readonly region: string;
}

/**
 * A follow-up as an EventBridge event, the shape every message on the events queue has, so it takes
 * the same path (interpretation, merging with its batch, pass) as the events it follows up.
 */
export const followUpEvent = (followUp: FollowUp, address: FollowUpAddress, id: string, now: Date) => ({
  version: "0",
  id,
  "detail-type": FOLLOW_UP_DETAIL_TYPE,
  source: FOLLOW_UP_SOURCE,
  account: address.accountId,
  time: now.toISOString(),
  region: address.region,
  resources: [],
  detail: { cluster: followUp.cluster, eniIds: [...followUp.eniIds], dueAt: followUp.dueAt },
});
