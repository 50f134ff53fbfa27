import { parseArgs } from "node:util";
import { AwsAccountObserver } from "../core/aws/aws-account-observer.ts";
import { COMMON_OPTIONS, nonEmpty, parseCommandLine } from "./arguments.ts";
import { awsAccess } from "./aws-access.ts";
import { EXIT, type ExitCode, UsageError } from "./cli-errors.ts";
import type { CliIo } from "./cli-io.ts";
import { CliPassLog } from "./cli-pass-log.ts";
import { dryRunConfig } from "./dry-run-config.ts";
import { explainEni } from "./explain-eni.ts";
import { eniText, securityGroupText } from "./explain-report.ts";
import { explainSecurityGroup } from "./explain-security-group.ts";
import { HELP } from "./help-text.ts";
import { progressText } from "./progress-text.ts";
import type { Redactor } from "./redactor.ts";
import { Terminal } from "./terminal.ts";

const COMMAND = "explain";

/**
 * `branchkeeper explain <eni-id|sg-id>`: why an ENI or a security group is in the state it is, and
 * what Branchkeeper would do about it, from a dry-run observation. Exit 1 when incomplete.
 */
export const explainCommand = async (args: readonly string[], io: CliIo, redactor: Redactor): Promise<ExitCode> => {
  const { values, positionals } = parseCommandLine(COMMAND, () =>
    parseArgs({
      args: [...args],
      options: {
        ...COMMON_OPTIONS,
        cluster: { type: "string" },
        region: { type: "string" },
        json: { type: "boolean", default: false },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  const terminal = new Terminal(io, redactor, { progress: !values.json });
  if (values.help) {
    terminal.out(HELP.explain);
    return EXIT.ok;
  }
  const [id, ...extra] = positionals;
  if (id === undefined) throw new UsageError("give the id of an ENI (eni-…) or a security group (sg-…)", COMMAND);
  if (extra.length > 0) throw new UsageError(`explain takes one id, got ${positionals.join(" ")}`, COMMAND);
  if (!/^(eni|sg)-[0-9a-z]+$/.test(id)) {
    throw new UsageError(`${JSON.stringify(id)} is neither an ENI id (eni-…) nor a security group id (sg-…)`, COMMAND);
  }
  const cluster = nonEmpty(COMMAND, "cluster", values.cluster);
  const config = dryRunConfig(COMMAND, io.env, cluster !== undefined ? { cluster } : {});

  const access = awsAccess(io.env, values.region !== undefined ? { region: values.region } : {}, redactor);
  const log = new CliPassLog(terminal, values.debug);
  const options = {
    log,
    ...(cluster !== undefined ? { cluster } : {}),
    onProgress: (progress: Parameters<typeof progressText>[0]) => terminal.progress(progressText(progress)),
  };
  try {
    const observer = new AwsAccountObserver(access.clients);
    const explanation = id.startsWith("eni-")
      ? await explainEni(id, config, observer, options)
      : await explainSecurityGroup(id, config, observer, options);
    terminal.endProgress();
    if (values.json) terminal.out(JSON.stringify(explanation, null, 2));
    else if (explanation.kind === "eni") terminal.out(...eniText(explanation, terminal.width));
    else terminal.out(...securityGroupText(explanation, terminal.width));
    return explanation.complete && log.problems === 0 ? EXIT.ok : EXIT.failure;
  } finally {
    terminal.endProgress();
    access.close();
  }
};
