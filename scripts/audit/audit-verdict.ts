/** Severities that fail the build (issue: no high or critical finding in runtime dependencies). */
export const FAILING_SEVERITIES = ["high", "critical"] as const;

/** What `npm audit --omit=dev --json` said, read for CI. */
export type AuditVerdict =
  | { readonly kind: "clean"; readonly counts: Readonly<Record<string, number>> }
  | {
      readonly kind: "findings";
      readonly counts: Readonly<Record<string, number>>;
      readonly packages: readonly string[];
    }
  /** The advisory service could not be asked (offline mirror, registry without the audit endpoint). */
  | { readonly kind: "unavailable"; readonly reason: string };

interface AuditReport {
  readonly vulnerabilities?: Readonly<Record<string, { readonly severity?: string }>>;
  readonly metadata?: { readonly vulnerabilities?: Readonly<Record<string, number>> };
  readonly message?: string;
  readonly statusCode?: number;
  readonly error?: { readonly code?: string; readonly summary?: string };
}

/** Read npm audit's JSON answer (report format 2, or the error object npm prints when the endpoint fails). */
export const auditVerdict = (stdout: string): AuditVerdict => {
  let report: AuditReport;
  try {
    report = JSON.parse(stdout) as AuditReport;
  } catch {
    return { kind: "unavailable", reason: `npm audit printed no JSON: ${stdout.slice(0, 200)}` };
  }
  const counts = report.metadata?.vulnerabilities;
  if (counts === undefined) {
    const reason = [report.error?.code, report.message, report.error?.summary].filter(Boolean).join(": ");
    return { kind: "unavailable", reason: reason || "npm audit returned no report" };
  }
  const failing = Object.entries(report.vulnerabilities ?? {})
    .filter(([, finding]) => FAILING_SEVERITIES.some((severity) => severity === finding.severity))
    .map(([name, finding]) => `${name} (${finding.severity})`)
    .sort();
  const total = FAILING_SEVERITIES.reduce((n, severity) => n + (counts[severity] ?? 0), 0);
  return total > 0 || failing.length > 0 ? { kind: "findings", counts, packages: failing } : { kind: "clean", counts };
};
