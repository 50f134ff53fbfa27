import { main } from "../../cli/main.ts";
import { DEFAULT_REGION } from "../../sim/index.ts";

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Pretend stderr is a terminal (progress line). */
  readonly stderrIsTTY?: boolean;
  /** Pretend stdout is a terminal this wide (table wrapping). */
  readonly stdoutColumns?: number;
}

/** Run `branchkeeper <argv>` in-process with its own environment, collecting stdout and stderr. */
export const runCli = async (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: RunOptions = {},
): Promise<CliRun> => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, {
    stdout: {
      write: (chunk: string) => stdout.push(chunk),
      isTTY: options.stdoutColumns !== undefined,
      ...(options.stdoutColumns !== undefined ? { columns: options.stdoutColumns } : {}),
    },
    stderr: { write: (chunk: string) => stderr.push(chunk), isTTY: options.stderrIsTTY === true },
    env,
  });
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
};

/** Fake credentials of a laptop user: never to be printed. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIDLAPTOPUSER00042",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLAPTOPKEY42",
  AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjELAPTOP//////////wEaCXVzLWVhc3QtMSJHMEUCIQDtoken42",
} as const;

/** The environment of a laptop pointed at a simulator. */
export const simEnv = (endpoint: string, extra: Record<string, string> = {}): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: DEFAULT_REGION,
  ...FAKE_CREDENTIALS,
  ...extra,
});

/** The lines of a report between a heading that starts with `title` and the next blank line. */
export const section = (report: string, title: string): string => {
  const lines = report.split("\n");
  const start = lines.findIndex((line) => line.startsWith(title));
  if (start === -1) return "";
  const end = lines.findIndex((line, i) => i > start && line.trim() === "");
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
};
