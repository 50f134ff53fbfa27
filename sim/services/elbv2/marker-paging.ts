import type { QueryParams } from "../../protocol/query-params.ts";
import { validationError } from "./elbv2-errors.ts";

/** ELBv2's largest page (`PageSize`), also its default. */
export const MAX_PAGE_SIZE = 400;

/**
 * One page of a Describe answer by `Marker` and `PageSize`, as ELBv2 pages: the `NextMarker` is
 * opaque (here the offset of the next item) and absent on the last page.
 */
export const pageByMarker = <T>(items: readonly T[], params: QueryParams): { page: T[]; nextMarker?: string } => {
  const pageSize = params.int("PageSize") ?? MAX_PAGE_SIZE;
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw validationError(
      `1 validation error detected: Value '${pageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE_SIZE}`,
    );
  }
  const marker = params.get("Marker");
  const start = marker === undefined ? 0 : decode(marker);
  const end = start + pageSize;
  return { page: items.slice(start, end), ...(end < items.length ? { nextMarker: encode(end) } : {}) };
};

const encode = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString("base64");

const decode = (marker: string): number => {
  try {
    const { offset } = JSON.parse(Buffer.from(marker, "base64").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to ELBv2's answer to a marker it did not issue.
  }
  throw validationError("Invalid Marker");
};
