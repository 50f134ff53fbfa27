/** The value of an answer field the API documents as always present; a clear error if it is not. */
export const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`missing in the answer: ${what}`);
  return value;
};
