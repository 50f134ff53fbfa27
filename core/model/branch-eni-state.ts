/**
 * Where a branch ENI is in its life, as Branchkeeper tracks it.
 *
 * - `associated`: in use by a pod, associated over a VLAN to a live trunk of a running node.
 * - `detached`: not associated to any trunk, but without leak evidence (e.g. mid-association).
 * - `suspect`: leak evidence seen; waiting out `LEAK_GRACE_SECONDS` across passes.
 * - `leaked`: evidence persisted past the grace in a later pass; eligible for reclamation.
 * - `deleting`: Branchkeeper issued the deletion and awaits confirmation.
 * - `deleted`: Branchkeeper deleted it (terminal).
 * - `gone`: it disappeared without Branchkeeper (the controller or someone else; terminal).
 */
export const BRANCH_ENI_STATES = [
  "associated",
  "detached",
  "suspect",
  "leaked",
  "deleting",
  "deleted",
  "gone",
] as const;

export type BranchEniState = (typeof BRANCH_ENI_STATES)[number];

/** States a record never leaves. */
export const TERMINAL_STATES: ReadonlySet<BranchEniState> = new Set(["deleted", "gone"]);
