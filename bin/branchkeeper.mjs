#!/usr/bin/env node
// The `branchkeeper` command. Branchkeeper runs its TypeScript as is: register tsx, then hand over.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
