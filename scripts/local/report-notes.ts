import { MAX_RECEIVES } from "./event-pump.ts";
import type { LocalReport } from "./local-report.ts";

/** The grace a demo can wait out; suggested when the default keeps every leak `suspect`. */
const DEMO_GRACE_SECONDS = 5;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Sentences an operator should read with the numbers: what the mode did, why leaks are still only
 * suspect, and anything that failed.
 */
export const reportNotes = (report: Omit<LocalReport, "notes">): string[] => {
  const notes: string[] = [];
  notes.push(
    report.mode === "dry-run"
      ? "MODE=dry-run (the default): every decision was made, recorded and reported, and nothing was changed in EC2. " +
          "Run `npm start -- --mode enforce` to act."
      : "MODE=enforce: Branchkeeper changed the simulated account (deletions, tags, rules), each action in the audit log.",
  );
  const suspects = report.clusters.filter((cluster) => cluster.enis.suspect > 0);
  const suspectCount = suspects.reduce((n, cluster) => n + cluster.enis.suspect, 0);
  if (suspectCount > 0) {
    const from = suspects
      .flatMap((cluster) => (cluster.suspectReclaimableFrom ? [cluster.suspectReclaimableFrom] : []))
      .sort()[0];
    notes.push(
      `${plural(suspectCount, "branch ENI is", "branch ENIs are")} only suspect: leak evidence is recorded, and an ENI ` +
        `becomes reclaimable once it has held for LEAK_GRACE_SECONDS=${report.leakGraceSeconds} s, in a later sweep` +
        `${from ? ` (the first from ${from})` : ""}. To see reclamation now: \`npm start -- --grace ${DEMO_GRACE_SECONDS}\`.`,
    );
  }
  const { events } = report;
  if (events.batchItemFailures > 0) {
    notes.push(
      `The events function reported ${plural(events.batchItemFailures, "batch item failure")}: failed records are ` +
        `received again, up to ${MAX_RECEIVES} times, as SQS would (${events.deadLettered} dead-lettered); the sweep ` +
        "covers what they would have done. POWERTOOLS_LOG_LEVEL=INFO shows each event's outcome.",
    );
  }
  const sweepErrors = report.sweeps.flatMap((sweep) => sweep.errors);
  if (sweepErrors.length > 0) notes.push(`The sweeps reported errors: ${sweepErrors.join("; ")}.`);
  return notes;
};
