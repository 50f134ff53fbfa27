import type { EventPattern } from "./event-pattern.ts";

/**
 * Pure EventBridge content filtering, so tests and the local runner route events exactly as a rule on the
 * bus would. Semantics follow the EventBridge user guide ("Content filtering in Amazon EventBridge event
 * patterns", "Arrays in Amazon EventBridge event patterns") and aws/event-ruler, the library behind it:
 * - fields are ANDed, the matchers of one field are ORed, `$or` ORs whole sub-patterns;
 * - an event array matches when any of its elements matches; an array of objects matches a nested pattern
 *   when one element satisfies all of it (array-consistent matching);
 * - a leaf is a string, number, boolean or null; a field holding an object (or nothing but objects) counts
 *   as absent for leaf matchers, which is why `exists` works on leaves only;
 * - string operators never match non-strings, `numeric` only matches numbers, exact values match by JSON
 *   type and value.
 * Not supported (rejected as invalid, never silently ignored): `cidr`.
 */

/** A pattern that EventBridge would refuse; the message names the offending path. */
export class InvalidEventPatternError extends Error {
  public constructor(path: string, problem: string) {
    super(`invalid event pattern at ${path}: ${problem}`);
    this.name = "InvalidEventPatternError";
  }
}

/** Decides whether one event matches a compiled pattern. */
export type EventPredicate = (event: unknown) => boolean;

type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;
type NodeTest = (node: unknown) => boolean;

interface LeafMatchers {
  /** Tests for values that are present. */
  readonly tests: readonly LeafTest[];
  /** `exists: true` seen: any present value matches. */
  readonly matchesAnyPresent: boolean;
  /** `exists: false` seen: an absent field matches. */
  readonly matchesAbsent: boolean;
}

const NUMERIC_OPERATORS = new Set(["<", "<=", "=", ">", ">="]);
/** EventBridge's documented numeric range; values outside it are rejected. */
const NUMERIC_LIMIT = 5e9;

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isLeaf = (value: unknown): value is Leaf =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** The leaf values of an event field: arrays flattened, objects dropped (they are not leaves). */
const leafValues = (value: unknown): Leaf[] => {
  if (isLeaf(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return [];
};

/** The objects a nested pattern is tried against: an object itself, or each object inside an array. */
const candidateObjects = (value: unknown): unknown[] => {
  if (isRecord(value)) return [value];
  if (Array.isArray(value)) {
    const objects = value.flatMap(candidateObjects);
    // No object at all behaves like a missing field, so `exists: false` below it can still match.
    return objects.length > 0 ? objects : [undefined];
  }
  return [undefined];
};

const fieldOf = (node: unknown, field: string): unknown =>
  isRecord(node) && Object.hasOwn(node, field) ? node[field] : undefined;

const lower = (value: string): string => value.toLowerCase();

const requireString = (value: unknown, path: string, what: string): string => {
  if (typeof value !== "string") throw new InvalidEventPatternError(path, `${what} must be a string`);
  return value;
};

/** The single operator of a filter object; EventBridge allows exactly one per object. */
const singleEntry = (filter: Readonly<Record<string, unknown>>, path: string): [string, unknown] => {
  const entries = Object.entries(filter);
  const [entry] = entries;
  if (entry === undefined || entries.length !== 1) {
    throw new InvalidEventPatternError(path, "a content filter object must hold exactly one operator");
  }
  return entry;
};

/** `prefix`/`suffix` operand: a string, or `{ "equals-ignore-case": string }`. */
const compileAffix = (operand: unknown, path: string, test: (value: string, affix: string) => boolean): LeafTest => {
  if (typeof operand === "string") return (value) => typeof value === "string" && test(value, operand);
  if (isRecord(operand)) {
    const [operator, inner] = singleEntry(operand, path);
    if (operator === "equals-ignore-case") {
      const affix = lower(requireString(inner, path, operator));
      return (value) => typeof value === "string" && test(lower(value), affix);
    }
  }
  throw new InvalidEventPatternError(path, 'expected a string or { "equals-ignore-case": string }');
};

/** `wildcard`: `*` matches any run of characters; `\*` and `\\` are the literal characters. */
const compileWildcard = (operand: unknown, path: string): LeafTest => {
  const source = requireString(operand, path, "wildcard");
  let regex = "";
  let previousWasStar = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source.charAt(index);
    if (character === "*") {
      if (previousWasStar) throw new InvalidEventPatternError(path, "consecutive wildcard characters are not allowed");
      regex += "[\\s\\S]*";
      previousWasStar = true;
      continue;
    }
    previousWasStar = false;
    let literal = character;
    if (character === "\\") {
      const escaped = source.charAt(index + 1);
      if (escaped !== "*" && escaped !== "\\") {
        throw new InvalidEventPatternError(path, "a backslash may only escape '*' or '\\'");
      }
      literal = escaped;
      index += 1;
    }
    regex += literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  const compiled = new RegExp(`^${regex}$`, "u");
  return (value) => typeof value === "string" && compiled.test(value);
};

/** `numeric`: one `=` or up to one lower and one upper bound, e.g. `[">", 0, "<=", 5]`. */
const compileNumeric = (operand: unknown, path: string): LeafTest => {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidEventPatternError(path, "numeric takes one or two [operator, number] pairs");
  }
  const conditions: { operator: string; bound: number }[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const bound: unknown = operand[index + 1];
    if (typeof operator !== "string" || !NUMERIC_OPERATORS.has(operator)) {
      throw new InvalidEventPatternError(path, `unknown numeric operator ${JSON.stringify(operator)}`);
    }
    if (typeof bound !== "number" || !Number.isFinite(bound) || Math.abs(bound) > NUMERIC_LIMIT) {
      throw new InvalidEventPatternError(path, `numeric bound must be a number within ±${NUMERIC_LIMIT}`);
    }
    conditions.push({ operator, bound });
  }
  const [first, second] = conditions;
  if (second !== undefined && first !== undefined) {
    const isLower = (operator: string) => operator === ">" || operator === ">=";
    const isUpper = (operator: string) => operator === "<" || operator === "<=";
    if (!(isLower(first.operator) && isUpper(second.operator))) {
      throw new InvalidEventPatternError(path, "a numeric range is a lower bound followed by an upper bound");
    }
  }
  const holds = (value: number, { operator, bound }: { operator: string; bound: number }): boolean => {
    switch (operator) {
      case "<":
        return value < bound;
      case "<=":
        return value <= bound;
      case "=":
        return value === bound;
      case ">":
        return value > bound;
      default:
        return value >= bound;
    }
  };
  return (value) => typeof value === "number" && conditions.every((condition) => holds(value, condition));
};

/** A string, or a non-empty list of strings, as `equals-ignore-case` and `wildcard` take inside `anything-but`. */
const stringList = (operand: unknown, path: string, what: string): string[] => {
  if (typeof operand === "string") return [operand];
  if (Array.isArray(operand) && operand.length > 0 && operand.every((item) => typeof item === "string")) {
    return operand;
  }
  throw new InvalidEventPatternError(path, `${what} takes a string or a non-empty list of strings`);
};

/** `anything-but`: matches every present value that the operand does not match. */
const compileAnythingBut = (operand: unknown, path: string): LeafTest => {
  if (typeof operand === "string" || typeof operand === "number") return (value) => value !== operand;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === "string");
    const allNumbers = operand.every((item) => typeof item === "number");
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new InvalidEventPatternError(path, "anything-but lists hold only strings or only numbers");
    }
    const excluded = new Set<unknown>(operand);
    return (value) => !excluded.has(value);
  }
  if (isRecord(operand)) {
    const [operator, inner] = singleEntry(operand, path);
    const excluded = ((): LeafTest => {
      switch (operator) {
        case "prefix":
          return compileAffix(requireString(inner, path, operator), path, (value, affix) => value.startsWith(affix));
        case "suffix":
          return compileAffix(requireString(inner, path, operator), path, (value, affix) => value.endsWith(affix));
        case "equals-ignore-case": {
          const set = new Set(stringList(inner, path, operator).map(lower));
          return (value) => typeof value === "string" && set.has(lower(value));
        }
        case "wildcard": {
          const tests = stringList(inner, path, operator).map((pattern) => compileWildcard(pattern, path));
          return (value) => tests.some((test) => test(value));
        }
        default:
          throw new InvalidEventPatternError(path, `anything-but does not take ${JSON.stringify(operator)}`);
      }
    })();
    return (value) => !excluded(value);
  }
  throw new InvalidEventPatternError(path, "anything-but takes a value, a list, or a string filter");
};

/** The matchers of one leaf field: exact values and content filters. */
const compileLeafMatchers = (matchers: readonly unknown[], path: string): LeafMatchers => {
  if (matchers.length === 0) throw new InvalidEventPatternError(path, "a field's matcher list must not be empty");
  const tests: LeafTest[] = [];
  let matchesAnyPresent = false;
  let matchesAbsent = false;
  for (const matcher of matchers) {
    if (isLeaf(matcher)) {
      tests.push((value) => value === matcher);
      continue;
    }
    if (!isRecord(matcher)) throw new InvalidEventPatternError(path, "matchers are values or content filter objects");
    const [operator, operand] = singleEntry(matcher, path);
    switch (operator) {
      case "exists":
        if (typeof operand !== "boolean") throw new InvalidEventPatternError(path, "exists takes true or false");
        if (operand) matchesAnyPresent = true;
        else matchesAbsent = true;
        break;
      case "prefix":
        tests.push(compileAffix(operand, path, (value, affix) => value.startsWith(affix)));
        break;
      case "suffix":
        tests.push(compileAffix(operand, path, (value, affix) => value.endsWith(affix)));
        break;
      case "equals-ignore-case": {
        const expected = lower(requireString(operand, path, operator));
        tests.push((value) => typeof value === "string" && lower(value) === expected);
        break;
      }
      case "wildcard":
        tests.push(compileWildcard(operand, path));
        break;
      case "anything-but":
        tests.push(compileAnythingBut(operand, path));
        break;
      case "numeric":
        tests.push(compileNumeric(operand, path));
        break;
      default:
        throw new InvalidEventPatternError(path, `unsupported operator ${JSON.stringify(operator)}`);
    }
  }
  return { tests, matchesAnyPresent, matchesAbsent };
};

const compileLeafField = (field: string, matchers: readonly unknown[], path: string): NodeTest => {
  const { tests, matchesAnyPresent, matchesAbsent } = compileLeafMatchers(matchers, path);
  return (node) => {
    const values = leafValues(fieldOf(node, field));
    if (values.length === 0) return matchesAbsent;
    return matchesAnyPresent || values.some((value) => tests.some((test) => test(value)));
  };
};

/** A pattern object: all its fields must match the same node. */
const compileObject = (pattern: unknown, path: string): NodeTest => {
  if (!isRecord(pattern)) throw new InvalidEventPatternError(path, "a pattern must be a JSON object");
  const fields = Object.entries(pattern);
  if (fields.length === 0) throw new InvalidEventPatternError(path, "a pattern must not be empty");
  const tests = fields.map(([field, value]): NodeTest => {
    const fieldPath = `${path}.${field}`;
    if (field === "$or") {
      if (!Array.isArray(value) || value.length < 2) {
        throw new InvalidEventPatternError(fieldPath, "$or takes a list of at least two patterns");
      }
      const alternatives = value.map((alternative, index) => compileObject(alternative, `${fieldPath}[${index}]`));
      return (node) => alternatives.some((alternative) => alternative(node));
    }
    if (Array.isArray(value)) return compileLeafField(field, value, fieldPath);
    const nested = compileObject(value, fieldPath);
    return (node) => candidateObjects(fieldOf(node, field)).some(nested);
  });
  return (node) => tests.every((test) => test(node));
};

/**
 * Validate a pattern once and return a predicate for events.
 * @throws InvalidEventPatternError when EventBridge would reject the pattern (or uses an unsupported operator).
 */
export const compileEventPattern = (pattern: EventPattern): EventPredicate => compileObject(pattern, "$");

/** Whether `event` matches `pattern`, exactly as a rule with that pattern would decide. */
export const matchesEventPattern = (pattern: EventPattern, event: unknown): boolean =>
  compileEventPattern(pattern)(event);
