import { percentile } from "../percentile.ts";
import type { ModelDeletion } from "./model-deletion.ts";
import { type EniTruth, EVENTLESS_CAUSES, judgeDeletion, type LeakCause } from "./truth.ts";

/** Times to reclaim of one group of leaks. */
export interface ReclaimFigures {
  readonly leaks: number;
  readonly reclaimed: number;
  /** Deleted before they leaked (while the owner was still acting): counted among the wrong deletions. */
  readonly preempted: number;
  /** Still there at the horizon. */
  readonly neverReclaimed: number;
  /** Minutes each leak existed, summed; unreclaimed ones count until the horizon. */
  readonly leakedEniMinutes: number;
  /** Over the reclaimed leaks (null: none reclaimed). */
  readonly p50Seconds: number | null;
  readonly p99Seconds: number | null;
  readonly maxSeconds: number | null;
}

export interface ContenderMetrics extends ReclaimFigures {
  readonly contender: string;
  readonly deletions: number;
  readonly wrongDeletions: number;
  /** Wrong deletions by reason: `foreign`, `in-use`, `pod-teardown`, `node-cleanup`, `cni-attach`, `not-leaked`, `unknown`. */
  readonly wrongByReason: Readonly<Record<string, number>>;
  readonly byCause: Readonly<Partial<Record<LeakCause, ReclaimFigures>>>;
  /** Leaks an EventBridge event announces vs those only a sweep (or a periodic cleaner) can find. */
  readonly evented: ReclaimFigures;
  readonly eventless: ReclaimFigures;
}

interface LeakOutcome {
  readonly cause: LeakCause;
  readonly at: number;
  /** Seconds to reclaim, when reclaimed. */
  readonly seconds?: number;
  readonly preempted: boolean;
}

const round = (n: number): number => Math.round(n * 10) / 10;

const figures = (outcomes: readonly LeakOutcome[], horizon: number): ReclaimFigures => {
  const times = outcomes.flatMap((o) => (o.seconds === undefined ? [] : [o.seconds])).sort((a, b) => a - b);
  const minutes = outcomes.reduce((sum, o) => {
    if (o.preempted) return sum;
    return sum + (o.seconds ?? horizon - o.at) / 60;
  }, 0);
  return {
    leaks: outcomes.length,
    reclaimed: times.length,
    preempted: outcomes.filter((o) => o.preempted).length,
    neverReclaimed: outcomes.filter((o) => o.seconds === undefined && !o.preempted).length,
    leakedEniMinutes: round(minutes),
    p50Seconds: times.length > 0 ? round(percentile(times, 50)) : null,
    p99Seconds: times.length > 0 ? round(percentile(times, 99)) : null,
    maxSeconds: times.length > 0 ? round(times[times.length - 1] as number) : null,
  };
};

/**
 * Judge a contender's deletions against the truth: each leak (that started before the horizon) is
 * reclaimed (time to reclaim = deletion − leak start), preempted (deleted while its owner still acted:
 * a wrong deletion) or never reclaimed; every other deletion is wrong, with its reason. A key missing
 * from the truth (an ENI the scenario never made) is a wrong deletion too.
 */
export const measureContender = (
  contender: string,
  truth: readonly EniTruth[],
  deletions: readonly ModelDeletion[],
  horizon: number,
): ContenderMetrics => {
  const byKey = new Map(truth.map((eni) => [eni.key, eni] as const));
  const first = new Map<string, number>();
  for (const d of deletions) first.set(d.key, Math.min(d.at, first.get(d.key) ?? Number.POSITIVE_INFINITY));
  const wrongByReason: Record<string, number> = {};
  let wrong = 0;
  for (const [key, at] of first) {
    const eni = byKey.get(key);
    const verdict = eni ? judgeDeletion(eni, at) : ({ kind: "wrong", reason: "unknown" } as const);
    if (verdict.kind !== "wrong") continue;
    wrong += 1;
    wrongByReason[verdict.reason] = (wrongByReason[verdict.reason] ?? 0) + 1;
  }
  const outcomes: LeakOutcome[] = [];
  for (const eni of truth) {
    if (!eni.leak || eni.leak.at >= horizon) continue;
    const at = first.get(eni.key);
    const reclaimed = at !== undefined && at >= eni.leak.at && at <= horizon;
    outcomes.push({
      cause: eni.leak.cause,
      at: eni.leak.at,
      ...(reclaimed ? { seconds: at - eni.leak.at } : {}),
      preempted: at !== undefined && at < eni.leak.at,
    });
  }
  const causes = [...new Set(outcomes.map((o) => o.cause))].sort();
  return {
    contender,
    ...figures(outcomes, horizon),
    deletions: first.size,
    wrongDeletions: wrong,
    wrongByReason,
    byCause: Object.fromEntries(
      causes.map((cause) => [
        cause,
        figures(
          outcomes.filter((o) => o.cause === cause),
          horizon,
        ),
      ]),
    ),
    evented: figures(
      outcomes.filter((o) => !EVENTLESS_CAUSES.has(o.cause)),
      horizon,
    ),
    eventless: figures(
      outcomes.filter((o) => EVENTLESS_CAUSES.has(o.cause)),
      horizon,
    ),
  };
};
