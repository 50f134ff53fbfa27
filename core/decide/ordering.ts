/**
 * Code-unit order of two strings: the order Go's `sort.Strings` gives (the LBC sorts ids that
 * way), and independent of the runtime's locale, so every decision comes out in the same order.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The distinct values, in `compareText` order. */
export const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort(compareText);

/** `a, b and c` for a reason a person reads. */
export const listInWords = (values: readonly string[]): string => {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} and ${values.at(-1)}`;
};
