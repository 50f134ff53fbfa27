import { ApiError, quoted } from "./api-error.ts";

/** Separators, backslashes and control characters: never part of a segment of this API's paths. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it rejects.
const FORBIDDEN_IN_SEGMENT = /[/\\\u0000-\u001f\u007f]/;

/**
 * The decoded segments of a raw (percent-encoded) path: `/v1/enis/eni-0a1` → `["v1", "enis", "eni-0a1"]`.
 *
 * Paths that try to climb (`..`, also encoded as `%2e%2e` or hidden in `%2F`) are refused outright rather
 * than normalized, so no id ever carries a traversal to the store, whatever route it would have matched.
 * @throws ApiError `InvalidPath`
 */
export const pathSegments = (rawPath: string): string[] => {
  if (!rawPath.startsWith("/")) throw new ApiError("InvalidPath", `the path must start with "/": ${quoted(rawPath)}`);
  return rawPath
    .slice(1)
    .split("/")
    .map((segment) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch (error) {
        throw new ApiError("InvalidPath", `the path segment ${quoted(segment)} is not valid percent-encoding`, {
          cause: error,
        });
      }
      if (decoded === "." || decoded === ".." || FORBIDDEN_IN_SEGMENT.test(decoded)) {
        throw new ApiError(
          "InvalidPath",
          `the path segment ${quoted(segment)} is not allowed (no ".", "..", encoded separators or control characters)`,
        );
      }
      return decoded;
    });
};
