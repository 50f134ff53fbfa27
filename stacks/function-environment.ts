import { ConfigError, loadConfig } from "../core/config.ts";
import type { StageConfig } from "./stage-config.ts";

/** Names of the resources the functions reach (CDK tokens at synth time). */
export interface EnvironmentResources {
  readonly tableName: string;
  readonly notifyBusName?: string;
}

/**
 * The environment contract of DESIGN.md for one stage, identical for every function.
 * @throws ConfigError when the stage configuration would not load in Lambda: a bad stage fails the
 * deployment, not the first invocation.
 */
export const functionEnvironment = (config: StageConfig, resources: EnvironmentResources): Record<string, string> => {
  if (config.clusters !== "*" && (config.clusters.length === 0 || config.clusters.some((c) => !/^[^,\s]+$/.test(c)))) {
    // An empty CLUSTERS reads as unset, i.e. "*": a stage meant to watch nothing would watch everything.
    throw new ConfigError(`invalid stage configuration: clusters must be "*" or non-empty names without commas`);
  }
  const environment: Record<string, string> = {
    TABLE_NAME: resources.tableName,
    MODE: config.mode,
    CLUSTERS: config.clusters === "*" ? "*" : config.clusters.join(","),
    LEAK_GRACE_SECONDS: String(config.leakGraceSeconds),
    MAX_DELETES_PER_RUN: String(config.maxDeletesPerRun),
    EC2_MUTATIONS_PER_SECOND: String(config.ec2MutationsPerSecond),
    RETAG: config.retag,
    BACKEND_RULES: config.backendRules,
    ...(resources.notifyBusName === undefined ? {} : { NOTIFY_BUS_NAME: resources.notifyBusName }),
  };
  loadConfig(environment);
  return environment;
};
