import { BRANCH_ENI_STATES } from "../core/model/branch-eni-state.ts";
import type { Collected } from "./status-api.ts";
import type { ActionItem, EniBody, EniItem, FindingItem } from "./status-responses.ts";
import { renderTable } from "./text-table.ts";

/** What `status` shows without a selector: health and every cluster. */
export interface OverviewView {
  readonly health: { readonly ok: boolean; readonly mode: string; readonly lastSweepAt?: string | null | undefined };
  readonly clusters: readonly {
    readonly name: string;
    readonly status: string;
    readonly vpcId?: string | null | undefined;
    readonly counts: Readonly<Record<string, number>>;
    readonly lastSweepAt?: string | null | undefined;
  }[];
}

/** What `status --cluster` shows. */
export interface ClusterView {
  readonly cluster: string;
  readonly state?: string;
  readonly enis: Collected<EniItem>;
  readonly findings: Collected<FindingItem>;
}

const moreNote = (collected: Collected<unknown>, what: string): string[] =>
  collected.cursor === undefined
    ? []
    : [`(first ${collected.items.length} ${what} shown; the API holds more: raise --limit)`];

const orDash = (value: string | number | null | undefined): string =>
  value === undefined || value === null || value === "" ? "-" : String(value);

export const overviewText = (view: OverviewView, width?: number): string[] => [
  `Branchkeeper: ${view.health.ok ? "ok" : "NOT OK"}, mode ${view.health.mode}, last sweep ${orDash(view.health.lastSweepAt)}`,
  "",
  ...(view.clusters.length === 0
    ? ["No cluster has been swept yet."]
    : renderTable(
        ["cluster", "status", "vpc", ...BRANCH_ENI_STATES, "last sweep"],
        view.clusters.map((c) => [
          c.name,
          c.status,
          orDash(c.vpcId),
          ...BRANCH_ENI_STATES.map((state) => String(c.counts[state] ?? 0)),
          orDash(c.lastSweepAt),
        ]),
        width,
      )),
];

export const clusterText = (view: ClusterView, width?: number): string[] => [
  `Cluster ${view.cluster}: ${view.enis.items.length} branch ENIs${view.state ? ` in state ${view.state}` : ""}`,
  ...(view.enis.items.length === 0
    ? []
    : renderTable(
        ["eni", "state", "trunk", "vlan", "instance", "groups", "last seen", "reason"],
        view.enis.items.map((e) => [
          e.eniId,
          e.state,
          orDash(e.trunkEniId),
          orDash(e.vlanId),
          orDash(e.instanceId),
          (e.securityGroupIds ?? []).join(",") || "-",
          orDash(e.lastSeenAt),
          orDash(e.reason),
        ]),
        width,
      )),
  ...moreNote(view.enis, "ENIs"),
  "",
  `Findings (${view.findings.items.length})`,
  ...(view.findings.items.length === 0
    ? []
    : renderTable(
        ["kind", "resource", "action", "detail"],
        view.findings.items.map((f) => [f.kind, f.resourceId, orDash(f.action), f.detail]),
        width,
      )),
  ...moreNote(view.findings, "findings"),
];

export const eniDetailText = (body: EniBody, width?: number): string[] => {
  const { eni } = body;
  return [
    `${eni.eniId}: ${eni.state} in cluster ${eni.cluster}`,
    `  reason:     ${orDash(eni.reason)}`,
    `  trunk:      ${orDash(eni.trunkEniId)} (VLAN ${orDash(eni.vlanId)}), instance ${orDash(eni.instanceId)}`,
    `  groups:     ${(eni.securityGroupIds ?? []).join(", ") || "-"}`,
    `  first seen: ${orDash(eni.firstSeenAt)}, last seen: ${orDash(eni.lastSeenAt)}`,
    "",
    `History (${body.history.length}, newest first)`,
    ...(body.history.length === 0
      ? []
      : renderTable(
          ["at", "from", "to", "cause", "reason"],
          body.history.map((h) => [h.at, orDash(h.from), h.to, orDash(h.cause), h.reason]),
          width,
        )),
  ];
};

export const actionsText = (actions: Collected<ActionItem>, width?: number): string[] => [
  `Actions (${actions.items.length}, newest first)`,
  ...(actions.items.length === 0
    ? []
    : renderTable(
        ["at", "kind", "cluster", "target", "mode", "outcome", "reason"],
        actions.items.map((a) => [
          a.at,
          a.kind,
          a.cluster,
          a.target,
          a.mode,
          a.outcome,
          a.detail ? `${a.reason} (${a.detail})` : a.reason,
        ]),
        width,
      )),
  ...moreNote(actions, "actions"),
];
