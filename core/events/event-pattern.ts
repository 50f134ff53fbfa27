/**
 * The EventBridge event-pattern language, as JSON types.
 *
 * A pattern mirrors the event's structure: every field is either an array of matchers (OR) or a nested
 * pattern; fields at one level are ANDed. `$or` takes alternative patterns for the same level.
 * Reference: AWS EventBridge user guide, "Content filtering in Amazon EventBridge event patterns".
 */

/** A value matched exactly (strings case-sensitively, numbers numerically, `null` only by `null`). */
export type ExactValue = string | number | boolean | null;

/** A string operand that may be compared ignoring case, as `prefix` and `suffix` allow. */
export type StringOperand = string | { readonly "equals-ignore-case": string };

/** What `anything-but` may exclude: one value, a list of strings or numbers, or a string-shaped filter. */
export type AnythingButOperand =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly "equals-ignore-case": string | readonly string[] }
  | { readonly wildcard: string | readonly string[] };

/** A content filter: one operator per object. */
export type ContentFilter =
  | { readonly prefix: StringOperand }
  | { readonly suffix: StringOperand }
  | { readonly "equals-ignore-case": string }
  | { readonly wildcard: string }
  | { readonly "anything-but": AnythingButOperand }
  | { readonly exists: boolean }
  | { readonly numeric: readonly (string | number)[] };

/** One alternative for a leaf field. */
export type FieldMatcher = ExactValue | ContentFilter;

/** An EventBridge event pattern (or a nested part of one). */
export interface EventPattern {
  readonly [field: string]: readonly FieldMatcher[] | EventPattern | readonly EventPattern[];
}
