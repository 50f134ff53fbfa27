import type { QueryParams } from "../../protocol/query-params.ts";
import type { XmlValue } from "../../protocol/xml.ts";

/** awsQuery members CloudTrail records as numbers or booleans rather than strings. */
const NUMBERS = new Set([
  "Port",
  "Weight",
  "Order",
  "PageSize",
  "HealthCheckIntervalSeconds",
  "HealthCheckTimeoutSeconds",
  "HealthyThresholdCount",
  "UnhealthyThresholdCount",
  "DurationSeconds",
]);
const BOOLEANS = new Set(["HealthCheckEnabled", "Enabled"]);

const camel = (key: string): string => key.charAt(0).toLowerCase() + key.slice(1);

type Json = { [key: string]: Json } | Json[] | string | number | boolean;

/**
 * An ELBv2 request as CloudTrail's `requestParameters`: the awsQuery members nested again and
 * camel-cased (`Targets.member.1.Id` → `targets[0].id`), ports and counts as numbers.
 */
export const cloudTrailRequest = (params: QueryParams): Record<string, Json> => {
  const root: Record<string, Json> = {};
  for (const [key, raw] of params.entries()) {
    const path = key.split(".");
    let node: Record<string, Json> | Json[] = root;
    for (let i = 0; i < path.length; i++) {
      const part = path[i] ?? "";
      const last = i === path.length - 1;
      if (part === "member") continue;
      const isIndex = path[i - 1] === "member";
      const slot: string | number = isIndex ? Number(part) - 1 : camel(part);
      if (last) {
        const value = NUMBERS.has(part) && raw !== "" ? Number(raw) : BOOLEANS.has(part) ? raw === "true" : raw;
        (node as Record<string | number, Json>)[slot] = value;
        continue;
      }
      const container = node as Record<string | number, Json>;
      if (container[slot] === undefined) container[slot] = path[i + 1] === "member" ? [] : {};
      node = container[slot] as Record<string, Json> | Json[];
    }
  }
  return root;
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** ELBv2's CloudTrail dates, e.g. `Apr 11, 2016 5:23:50 PM` (UTC), as its documented examples show. */
export const cloudTrailDate = (date: Date): string => {
  const hours = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
};

/**
 * An ELBv2 answer as CloudTrail's `responseElements`: the same members camel-cased (`DNSName` →
 * `dNSName`, as CloudTrail writes it), absent members left out.
 */
export const cloudTrailResponse = (value: XmlValue): unknown => {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return cloudTrailDate(value);
  if (Array.isArray(value)) return value.map(cloudTrailResponse);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const converted = cloudTrailResponse(child);
      if (converted !== undefined) out[camel(key)] = converted;
    }
    return out;
  }
  return value;
};
