import { BRANCH_ENI_STATES } from "../../core/model/branch-eni-state.ts";
import { DEFAULT_REGION, WELL_KNOWN_ACCESS_KEYS } from "../../sim/index.ts";
import type { ActionCounts, ClusterReport, LocalReport } from "./local-report.ts";

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `a, b and c`, or "none". */
const list = (parts: readonly string[]): string =>
  parts.length === 0
    ? "none"
    : parts.length === 1
      ? (parts[0] ?? "")
      : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;

/** How an action kind reads when done, when it would be done (dry-run), and when it was held or failed. */
const WORDS = {
  "delete-eni": { done: "reclaimed", would: "would be reclaimed" },
  "tag-sg": { done: "tag added", would: "tag would be added" },
  "untag-sg": { done: "tag removed", would: "tag would be removed" },
  "authorize-rule": { done: "authorized", would: "would be authorized" },
  "revoke-rule": { done: "revoked", would: "would be revoked" },
} as const;

type WordedKind = keyof typeof WORDS;

/** One phrase per outcome of the given kinds, e.g. `2 authorized, 1 revoked, 1 failed`. */
const actionPhrases = (actions: ActionCounts, kinds: readonly WordedKind[]): string[] =>
  kinds.flatMap((kind) => {
    const outcomes = actions[kind] ?? {};
    const done = (outcomes.succeeded ?? 0) + (outcomes["already-done"] ?? 0);
    return [
      done > 0 ? `${done} ${WORDS[kind].done}` : "",
      outcomes["dry-run"] ? `${outcomes["dry-run"]} ${WORDS[kind].would} (dry-run)` : "",
      outcomes.suppressed ? `${outcomes.suppressed} ${kind} held back by a safety rule` : "",
      outcomes.failed ? `${outcomes.failed} ${kind} failed` : "",
    ].filter(Boolean);
  });

const clusterLines = (cluster: ClusterReport): string[] => {
  const total = BRANCH_ENI_STATES.reduce((n, state) => n + cluster.enis[state], 0);
  const states = BRANCH_ENI_STATES.filter((state) => cluster.enis[state] > 0).map(
    (state) => `${cluster.enis[state]} ${state}`,
  );
  const leaks = [
    ...actionPhrases(cluster.actions, ["delete-eni"]),
    cluster.enis.suspect > 0 ? `${cluster.enis.suspect} suspect (grace not elapsed)` : "",
    cluster.held > 0
      ? `${cluster.held} leaked but held back by the last sweep (skip tag, per-run cap or partial view)`
      : "",
  ].filter(Boolean);
  const lines = [
    `${cluster.name} (${cluster.status}${cluster.vpcId ? `, ${cluster.vpcId}` : ""}): ` +
      `${plural(total, "branch ENI")}: ${list(states)}`,
    `  leaked ENIs     ${list(leaks)}`,
    `  cluster tags    ${list(actionPhrases(cluster.actions, ["tag-sg", "untag-sg"]))}`,
    `  backend rules   ${list(actionPhrases(cluster.actions, ["authorize-rule", "revoke-rule"]))}`,
    `  findings        ${cluster.findings.length === 0 ? "none" : cluster.findings.length}`,
    ...cluster.findings.flatMap((finding) => [
      `    ${finding.kind} ${finding.resourceId}`,
      `      ${finding.detail}`,
      `      → ${finding.action}`,
    ]),
    ...cluster.errors.map((error) => `  error: ${error}`),
  ];
  return lines;
};

const eventLines = (report: LocalReport): string[] => {
  const { events } = report;
  const byRule = Object.entries(events.byRule).map(([rule, n]) => `${rule} ${n}`);
  return [
    `Events   ${events.read} read from the default bus: ${events.matched} matched Branchkeeper's rules ` +
      `(${list(byRule)}), ${events.unmatched} matched none and were not delivered`,
    ...(events.ownCalls > 0
      ? [
          `         ${events.ownCalls} of the matches were Branchkeeper's own calls, coming back through CloudTrail ` +
            "(the events function recognises and ignores them)",
        ]
      : []),
    `         ${plural(events.deliveries, "record")} delivered to the events function in ` +
      `${plural(events.batches, "batch", "batches")} of at most 10; ` +
      `${plural(events.batchItemFailures, "batch item failure")}, ${events.deadLettered} dead-lettered`,
  ];
};

const apiCallLines = (report: LocalReport): string[] => {
  const { apiCalls } = report;
  const ec2Total = apiCalls.byService.ec2 ?? 0;
  const others = Object.entries(apiCalls.byService)
    .filter(([service]) => service !== "ec2")
    .map(([service, n]) => `${service} ${n}`);
  return [
    `AWS API calls by Branchkeeper: ${apiCalls.total} (${apiCalls.throttled} throttled, ${apiCalls.errors} error answers)`,
    `  EC2 ${ec2Total}: ${list(Object.entries(apiCalls.ec2).map(([action, n]) => `${action} ${n}`))}`,
    `  other services: ${list(others)}`,
  ];
};

const endpointLines = (report: LocalReport): string[] => {
  const endpoint = report.simulator.endpoint;
  return [
    ...(report.statusApi
      ? [
          `Status API   ${report.statusApi}  (e.g. curl ${report.statusApi}/v1/clusters; not IAM-checked locally)`,
          `             node bin/branchkeeper.mjs status --url ${report.statusApi}   (with the variables below)`,
        ]
      : []),
    `Simulator    ${endpoint}  (the AWS CLI and \`branchkeeper plan|explain\` work against it:)`,
    `  export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${DEFAULT_REGION} AWS_DEFAULT_REGION=${DEFAULT_REGION} \\`,
    `         AWS_ACCESS_KEY_ID=${WELL_KNOWN_ACCESS_KEYS.operator} AWS_SECRET_ACCESS_KEY=x`,
    "  aws ec2 describe-network-interfaces --filters Name=description,Values=aws-k8s-branch-eni",
    ...(report.statusApi ? [] : ["  (the simulator stopped with --once; run without it to keep both up)"]),
  ];
};

/** The report as text for a terminal. */
export const reportText = (report: LocalReport): string => {
  const { timings } = report;
  const sweeps = report.sweeps.map((sweep) => seconds(sweep.durationMs));
  const modeLine =
    report.mode === "dry-run"
      ? "MODE dry-run: decides, records and reports everything; changes nothing in EC2"
      : "MODE enforce: deletes leaked ENIs, fixes cluster tags and backend rules in EC2";
  return [
    "",
    "Branchkeeper on the simulated demo account",
    "=".repeat(modeLine.length),
    modeLine,
    "=".repeat(modeLine.length),
    `LEAK_GRACE_SECONDS=${report.leakGraceSeconds}; state table ${report.tableName}`,
    "",
    ...eventLines(report),
    `Sweeps   ${sweeps.length}: ${list(sweeps)}` +
      (timings.graceWaitMs > 0 ? `, ${seconds(timings.graceWaitMs)} of grace waited out in between` : ""),
    "",
    ...report.clusters.flatMap((cluster) => [...clusterLines(cluster), ""]),
    ...apiCallLines(report),
    "",
    ...report.notes.map((note) => `Note: ${note}`),
    "",
    ...endpointLines(report),
    "",
    `Took ${seconds(timings.totalMs)}: simulator ${seconds(timings.simulatorMs)}, events ${seconds(timings.eventsMs)}, ` +
      `sweeps ${seconds(timings.sweepsMs)}${timings.graceWaitMs > 0 ? `, grace ${seconds(timings.graceWaitMs)}` : ""}.`,
  ].join("\n");
};
