/** Exit codes: 0 success, 1 failure, 2 usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line itself is wrong (unknown option, missing value, bad combination): exit 2. */
export class UsageError extends Error {
  /** The command whose help explains the mistake; undefined for the top level. */
  public readonly command: string | undefined;

  public constructor(message: string, command?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
    this.command = command;
  }
}

/** A failure the user can act on, worded for them; the message is printed as is: exit 1. */
export class CliError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CliError";
  }
}
