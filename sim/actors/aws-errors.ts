/** The AWS error code of an SDK v3 exception (its `name`), or undefined for anything else. */
export const errorCode = (error: unknown): string | undefined =>
  error instanceof Error && typeof error.name === "string" ? error.name : undefined;

/** `InvalidNetworkInterfaceID.NotFound`, `InvalidAssociationID.NotFound`, …: the thing is already gone. */
export const isNotFound = (error: unknown): boolean => /NotFound$/.test(errorCode(error) ?? "");
