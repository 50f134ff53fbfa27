import type { z } from "zod";
import { ApiError, quoted } from "./api-error.ts";

/** Where parameters come from, as messages name them. */
export type ParameterSource = "path" | "query";

const describeIssue = (
  issue: z.core.$ZodIssue,
  input: Readonly<Record<string, string>>,
  source: ParameterSource,
  accepted: readonly string[],
): string => {
  if (issue.code === "unrecognized_keys") {
    const names = issue.keys.map((key) => quoted(key)).join(", ");
    const known = accepted.length === 0 ? "none" : accepted.join(", ");
    return `unknown ${source} parameter ${names} (this route accepts: ${known})`;
  }
  const name = String(issue.path[0] ?? "");
  const value = Object.hasOwn(input, name) ? input[name] : undefined;
  return value === undefined
    ? `${source} parameter ${quoted(name)} is required`
    : `${source} parameter ${quoted(name)} ${issue.message}, got ${quoted(value)}`;
};

/**
 * Parameters checked against a route's schema.
 * @throws ApiError `InvalidParameter`, naming each parameter at fault, its rule and what was sent.
 */
export const validated = <T extends z.ZodObject>(
  schema: T,
  input: Readonly<Record<string, string>>,
  source: ParameterSource,
): z.output<T> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const accepted = Object.keys(schema.shape);
  const message = parsed.error.issues.map((issue) => describeIssue(issue, input, source, accepted)).join("; ");
  throw new ApiError("InvalidParameter", message, { cause: parsed.error });
};
