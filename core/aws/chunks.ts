/** EC2 accepts at most 200 values per Describe filter. */
export const EC2_FILTER_VALUES_MAX = 200;

/** Split `items` into consecutive runs of at most `size`. */
export const chunks = <T>(items: readonly T[], size: number): T[][] => {
  if (size < 1) throw new RangeError(`chunk size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};
