import { notReadReason } from "../core/aws/snapshot-draft.ts";
import type { ClusterSnapshot, SnapshotPart } from "../core/model/cluster-snapshot.ts";

/** A snapshot part that could not be read completely, and the error that stopped it. */
export interface ReadFailure {
  readonly part: SnapshotPart;
  readonly reason: string;
}

/**
 * Parts of a snapshot that failed to read. Parts an observation deliberately does not read (a full
 * sweep never lists trunk associations, for instance) are not failures and are left out.
 */
export const readFailures = (snapshot: ClusterSnapshot): ReadFailure[] => {
  const deliberate = notReadReason(snapshot.scope);
  return [...snapshot.incomplete]
    .filter(([, reason]) => !reason.startsWith(deliberate))
    .map(([part, reason]) => ({ part, reason }));
};
