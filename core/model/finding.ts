/** What a finding is about. */
export const FINDING_KINDS = [
  "cluster-tag-missing",
  "cluster-tag-conflict",
  "backend-rule-missing",
  "backend-rule-stale",
  "backend-rule-unresolved",
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

/** A cluster-tag or backend-rule problem found in one pass, and what was or would be done. */
export interface Finding {
  readonly cluster: string;
  readonly kind: FindingKind;
  /** The SG, ENI or rule the finding is about. */
  readonly resourceId: string;
  /** What is wrong, in one sentence. */
  readonly detail: string;
  /** What was or would be done (e.g. "tag sg-… with kubernetes.io/cluster/alpha=shared", "report only"). */
  readonly action: string;
  readonly observedAt: string;
}
