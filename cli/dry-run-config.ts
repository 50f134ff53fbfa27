import { type BackendRuleMode, type Config, ConfigError, loadConfig, type RetagMode } from "../core/config.ts";
import { UsageError } from "./cli-errors.ts";

/** What a command line may change of the configuration. */
export interface DryRunSettings {
  /** Only this cluster: replaces `CLUSTERS`, so any cluster can be planned from a laptop. */
  readonly cluster?: string;
  readonly retag?: RetagMode;
  readonly backendRules?: BackendRuleMode;
}

/**
 * The configuration of a CLI pass: the environment's (as a Lambda would read it) with the command
 * line's choices on top, and `MODE` forced to `dry-run` whatever the environment says.
 */
export const dryRunConfig = (
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  settings: DryRunSettings,
): Config => {
  try {
    return loadConfig({
      ...env,
      MODE: "dry-run",
      ...(settings.cluster !== undefined ? { CLUSTERS: settings.cluster } : {}),
      ...(settings.retag !== undefined ? { RETAG: settings.retag } : {}),
      ...(settings.backendRules !== undefined ? { BACKEND_RULES: settings.backendRules } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`environment: ${error.message}`, command, { cause: error });
    throw error;
  }
};
