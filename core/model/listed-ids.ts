/**
 * A few ids, then how many more (`eni-1, eni-2 and 38 more`): reasons are logged and stored, and one
 * event or pass may name a thousand ids.
 */
export const listedIds = (ids: readonly string[], most = 5): string =>
  ids.length <= most ? ids.join(", ") : `${ids.slice(0, most).join(", ")} and ${ids.length - most} more`;
