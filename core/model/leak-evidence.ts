/** Why a branch ENI is believed to be leaked (DESIGN.md "Reclaim leaked branch ENIs"). */
export const LEAK_EVIDENCE_KINDS = ["available", "trunk-missing", "instance-terminated", "cluster-deleted"] as const;

export type LeakEvidenceKind = (typeof LEAK_EVIDENCE_KINDS)[number];

/** Positive evidence that nothing uses a branch ENI any more. */
export interface LeakEvidence {
  readonly kind: LeakEvidenceKind;
  /** One sentence a person can read, e.g. "status is available and no trunk association exists". */
  readonly detail: string;
}
