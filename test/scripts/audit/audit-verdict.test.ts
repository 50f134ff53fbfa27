import { describe, expect, it } from "vitest";
import { auditVerdict } from "../../../scripts/audit/audit-verdict.ts";

const report = (vulnerabilities: Record<string, { severity: string }>) => {
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 };
  for (const { severity } of Object.values(vulnerabilities)) {
    counts[severity as keyof typeof counts] += 1;
    counts.total += 1;
  }
  return JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts } });
};

describe("auditVerdict", () => {
  it("passes a report with only low and moderate findings", () => {
    const verdict = auditVerdict(report({ "left-pad": { severity: "low" }, zod: { severity: "moderate" } }));

    expect(verdict).toMatchObject({ kind: "clean", counts: { low: 1, moderate: 1, high: 0, critical: 0 } });
  });

  it("fails on a high or critical finding and names the packages", () => {
    const verdict = auditVerdict(
      report({ "fast-xml-parser": { severity: "critical" }, undici: { severity: "high" }, ms: { severity: "low" } }),
    );

    expect(verdict).toEqual(
      expect.objectContaining({ kind: "findings", packages: ["fast-xml-parser (critical)", "undici (high)"] }),
    );
  });

  it("says the audit could not run when the registry refuses the bulk advisory request", () => {
    // What npm 11 prints against a registry mirror without the audit endpoint (seen on this project's CI).
    const stdout = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      error: { summary: "", detail: "" },
    });

    expect(auditVerdict(stdout)).toEqual({
      kind: "unavailable",
      reason: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    });
  });

  it("says the audit could not run when npm printed no JSON at all", () => {
    expect(auditVerdict("npm error network")).toMatchObject({ kind: "unavailable" });
  });
});
