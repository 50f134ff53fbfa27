import type { EniTruth, Phase, Window } from "../../../bench/reclaim/truth.ts";

/** A controller branch ENI of `cluster` for hand-made timelines. */
export const branch = (
  key: string,
  phases: readonly Phase[],
  extra: Partial<Omit<EniTruth, "key" | "phases">> = {},
): EniTruth => ({
  key,
  kind: "branch",
  cluster: "alpha",
  description: "aws-k8s-branch-eni",
  owner: "eks-vpc-resource-controller",
  clusterTagged: true,
  securityGroups: ["alpha-pods-web"],
  phases,
  ownerActing: [],
  ...extra,
});

/** In use from 0, available from `at` on, leaked then (nobody acts). */
export const leakedAt = (key: string, at: number, extra: Partial<EniTruth> = {}): EniTruth =>
  branch(
    key,
    [
      { at: 0, status: "in-use" },
      { at, status: "available" },
    ],
    { leak: { at, cause: "node-terminated" }, ...extra },
  );

/** Torn down at `at`: available for `window` seconds while the controller deletes it. */
export const inFlight = (key: string, at: number, window: number, extra: Partial<EniTruth> = {}): EniTruth =>
  branch(
    key,
    [
      { at: 0, status: "in-use" },
      { at, status: "available" },
      { at: at + window, status: "deleted" },
    ],
    { ownerActing: [{ from: at, to: at + window, what: "pod-teardown" } satisfies Window], ...extra },
  );
