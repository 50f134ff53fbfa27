import type { EniRecord } from "../model/eni-record.ts";
import type { FollowUp } from "../ports/follow-up-scheduler.ts";
import { compareText } from "./ordering.ts";

/** Seconds after the grace a follow-up arrives: clock skew and queue delivery jitter. */
export const FOLLOW_UP_MARGIN_SECONDS = 5;

/**
 * Seconds before a pass that reached `MAX_DELETES_PER_RUN` continues with the rest: the cap bounds
 * each pass, `EC2_MUTATIONS_PER_SECOND` bounds the rate; without this the rest waits for the sweep.
 */
export const CAPPED_FOLLOW_UP_SECONDS = 60;

/**
 * Which `suspect` ENIs of one cluster need a follow-up pass when their grace elapses, or undefined.
 * A pass asks for one for the suspects it recorded first (`passId`), and a follow-up pass asks again
 * for those still waiting (a delayed message can wait at most 15 minutes, the grace can be longer).
 * Other suspects already have a follow-up on the way, or the sweep finds them.
 */
export const planFollowUp = (
  cluster: string,
  records: Iterable<EniRecord>,
  pass: { readonly passId: string },
  graceSeconds: number,
  isFollowUp: boolean,
): FollowUp | undefined => {
  const waiting = [...records].filter(
    (record) =>
      record.cluster === cluster &&
      record.state === "suspect" &&
      record.evidence !== undefined &&
      (isFollowUp || record.evidence.firstPassId === pass.passId),
  );
  if (waiting.length === 0) return undefined;
  const due = Math.max(
    ...waiting.map((record) => Date.parse(record.evidence?.firstRecordedAt ?? "") + graceSeconds * 1000),
  );
  return {
    cluster,
    eniIds: waiting.map((record) => record.eniId).sort(compareText),
    dueAt: new Date(due + FOLLOW_UP_MARGIN_SECONDS * 1000).toISOString(),
  };
};

/**
 * Leaked ENIs a pass could not delete because it reached the per-run cap: a follow-up shortly after,
 * so that they do not wait for the next sweep. Only in enforce mode: a dry-run never deletes, so its
 * capped ENIs would be asked about again and again.
 */
export const planCappedFollowUp = (cluster: string, eniIds: readonly string[], now: Date): FollowUp | undefined =>
  eniIds.length === 0
    ? undefined
    : {
        cluster,
        eniIds: [...new Set(eniIds)].sort(compareText),
        dueAt: new Date(now.getTime() + CAPPED_FOLLOW_UP_SECONDS * 1000).toISOString(),
      };

/**
 * One follow-up per cluster and minute: a pass that looked at several scopes asks once for each
 * cluster, while a follow-up due soon (capped) is not held back until a grace elapses.
 */
export const mergeFollowUps = (followUps: readonly FollowUp[]): FollowUp[] => {
  const byCluster = new Map<string, FollowUp>();
  for (const followUp of followUps) {
    const key = `${followUp.cluster}|${Math.ceil(Date.parse(followUp.dueAt) / 60_000)}`;
    const earlier = byCluster.get(key);
    byCluster.set(
      key,
      earlier === undefined
        ? followUp
        : {
            cluster: followUp.cluster,
            eniIds: [...new Set([...earlier.eniIds, ...followUp.eniIds])].sort(compareText),
            dueAt: compareText(earlier.dueAt, followUp.dueAt) >= 0 ? earlier.dueAt : followUp.dueAt,
          },
    );
  }
  return [...byCluster.values()];
};
