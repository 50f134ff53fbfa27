/** A stream the CLI writes to: `process.stdout`/`process.stderr`, or a test's collector. */
export interface CliStream {
  write(chunk: string): unknown;
  /** True on a terminal: the progress line and table wrapping depend on it. */
  readonly isTTY?: boolean;
  /** Terminal width, when a terminal. */
  readonly columns?: number;
}

/** Everything the CLI touches of its process, injected so that tests run it in-process. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** The environment (AWS_REGION, AWS_ENDPOINT_URL, credentials, Branchkeeper's settings). */
  readonly env: Readonly<Record<string, string | undefined>>;
}
