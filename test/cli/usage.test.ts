import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-run.ts";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

describe("branchkeeper command line", () => {
  it.each([
    [["--help"], "Usage:\n  branchkeeper <command> [options]"],
    [["plan", "--help"], "Usage: branchkeeper plan"],
    [["status", "-h"], "Usage: branchkeeper status --url URL"],
    [["explain", "--help"], "Usage: branchkeeper explain <eni-id|sg-id>"],
  ])("prints help for %j on stdout and exits 0", async (argv, expected) => {
    // Act
    const run = await runCli(argv, {});

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(expected);
    expect(run.stderr).toBe("");
  });

  it("prints the package version", async () => {
    // Act
    const run = await runCli(["--version"], {});

    // Assess
    expect(run).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it.each([
    [[], "no command given", "--help"],
    [["deploy"], 'unknown command "deploy"', "--help"],
    [["plan", "--bogus"], "Unknown option '--bogus'", "plan --help"],
    [["plan", "--retag", "sometimes"], "--retag must be one of off, add-missing, enforce", "plan --help"],
    [["plan", "--backend-rules", "fix"], "--backend-rules must be one of report, repair", "plan --help"],
    [["plan", "extra"], "Unexpected argument 'extra'", "plan --help"],
    [["plan", "--cluster"], "Option '--cluster <value>' argument missing", "plan --help"],
    [["explain"], "give the id of an ENI (eni-…) or a security group (sg-…)", "explain --help"],
    [["explain", "i-0123"], '"i-0123" is neither an ENI id', "explain --help"],
    [["explain", "eni-1", "eni-2"], "explain takes one id", "explain --help"],
    [["status"], "--url is required", "status --help"],
    [["status", "--url", "ftp://x"], "--url must be http(s)", "status --help"],
    [["status", "--url", "http://user:pw@api.example"], "--url must not carry credentials", "status --help"],
    [["status", "--url", "https://api.example", "--state", "leaked"], "--state needs --cluster", "status --help"],
    [
      ["status", "--url", "https://api.example", "--eni", "eni-1", "--actions"],
      "--eni cannot be combined",
      "status --help",
    ],
    [["status", "--url", "https://api.example", "--kind", "tag-sg"], "--kind needs --actions", "status --help"],
    [
      ["status", "--url", "https://api.example", "--limit", "0"],
      "--limit must be a whole number from 1 to 100000",
      "status --help",
    ],
    [["status", "--url", "https://api.example"], "cannot tell the signing region", "status --help"],
  ])("refuses %j with exit 2 and a pointer to the help", async (argv, message, help) => {
    // Act
    const run = await runCli(argv, {});

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const [first, second] = run.stderr.trimEnd().split("\n");
    expect(first).toContain(message);
    expect(second).toBe(`Run 'branchkeeper ${help}' for usage.`);
  });

  it("refuses an invalid Branchkeeper setting in the environment as a usage error", async () => {
    // Act
    const run = await runCli(["plan"], { LEAK_GRACE_SECONDS: "ten minutes" });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^branchkeeper: environment: invalid configuration: LEAK_GRACE_SECONDS/);
  });

  it("runs as the package's bin: node bin/branchkeeper.mjs --help", async () => {
    // Act
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [new URL("../../bin/branchkeeper.mjs", import.meta.url).pathname, "--help"],
      { timeout: 20_000 },
    );

    // Assess
    expect(stdout).toContain("Usage:\n  branchkeeper <command> [options]");
    expect(stdout).toContain("plan");
    expect(stderr).not.toContain("Error");
  });
});
