import { parseArgs } from "node:util";
import { AwsAccountObserver } from "../core/aws/aws-account-observer.ts";
import { BACKEND_RULE_MODES, RETAG_MODES } from "../core/config.ts";
import { COMMON_OPTIONS, choiceOf, nonEmpty, parseCommandLine } from "./arguments.ts";
import { awsAccess } from "./aws-access.ts";
import { EXIT, type ExitCode } from "./cli-errors.ts";
import type { CliIo } from "./cli-io.ts";
import { CliPassLog } from "./cli-pass-log.ts";
import { dryRunConfig } from "./dry-run-config.ts";
import { runDryRunPass } from "./dry-run-pass.ts";
import { HELP } from "./help-text.ts";
import { planDocument, planText } from "./plan-report.ts";
import { progressText } from "./progress-text.ts";
import type { Redactor } from "./redactor.ts";
import { Terminal } from "./terminal.ts";

const COMMAND = "plan";

/**
 * `branchkeeper plan`: one dry-run pass over the account with the caller's credentials and an
 * in-memory store; a readable report, or `--json`. Exit 1 when the plan is partial.
 */
export const planCommand = async (args: readonly string[], io: CliIo, redactor: Redactor): Promise<ExitCode> => {
  const { values } = parseCommandLine(COMMAND, () =>
    parseArgs({
      args: [...args],
      options: {
        ...COMMON_OPTIONS,
        cluster: { type: "string" },
        region: { type: "string" },
        json: { type: "boolean", default: false },
        retag: { type: "string" },
        "backend-rules": { type: "string" },
      },
      allowPositionals: false,
      strict: true,
    }),
  );
  const terminal = new Terminal(io, redactor, { progress: !values.json });
  if (values.help) {
    terminal.out(HELP.plan);
    return EXIT.ok;
  }
  const cluster = nonEmpty(COMMAND, "cluster", values.cluster);
  const retag = choiceOf(COMMAND, "retag", values.retag, RETAG_MODES);
  const backendRules = choiceOf(COMMAND, "backend-rules", values["backend-rules"], BACKEND_RULE_MODES);
  const config = dryRunConfig(COMMAND, io.env, {
    ...(cluster !== undefined ? { cluster } : {}),
    ...(retag !== undefined ? { retag } : {}),
    ...(backendRules !== undefined ? { backendRules } : {}),
  });

  const access = awsAccess(io.env, { ...(values.region !== undefined ? { region: values.region } : {}) }, redactor);
  const log = new CliPassLog(terminal, values.debug);
  try {
    const pass = await runDryRunPass(config, new AwsAccountObserver(access.clients), {
      log,
      ...(cluster !== undefined ? { cluster } : {}),
      onProgress: (progress) => terminal.progress(progressText(progress)),
    });
    terminal.endProgress();
    const document = planDocument(pass, log.problems);
    if (values.json) terminal.out(JSON.stringify(document, null, 2));
    else terminal.out(...planText(document, terminal.width));
    if (document.complete) return EXIT.ok;
    terminal.err("branchkeeper: the plan is incomplete (see the errors in the report); exit status 1");
    return EXIT.failure;
  } finally {
    terminal.endProgress();
    access.close();
  }
};
