/**
 * Readers for CloudTrail's EC2 parameter shapes (`fooSet: { items: [...] }`), tolerant of absent
 * members: CloudTrail omits what the caller did not send.
 */
export type Parameters = Readonly<Record<string, unknown>> | null | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A string member, if present. */
export const stringAt = (parameters: Parameters, key: string): string | undefined => {
  const value = parameters?.[key];
  return typeof value === "string" ? value : undefined;
};

/** A nested object member, if present. */
export const objectAt = (parameters: Parameters, key: string): Record<string, unknown> | undefined => {
  const value = parameters?.[key];
  return isRecord(value) ? value : undefined;
};

/** The entries of `key: { items: [...] }` (or of a plain array), objects only. */
export const itemsAt = (parameters: Parameters, key: string): Record<string, unknown>[] => {
  const value = parameters?.[key];
  const list = isRecord(value) ? value.items : value;
  return Array.isArray(list) ? list.filter(isRecord) : [];
};

/** `key` of every entry of `set`, strings only. */
export const idsAt = (parameters: Parameters, set: string, key: string): string[] =>
  itemsAt(parameters, set)
    .map((item) => item[key])
    .filter((id): id is string => typeof id === "string");
