import { type BackendRuleMode, loadConfig, type Mode, type RetagMode } from "../core/config.ts";

/** What one deployment stage may set. Everything not set falls back to {@link DEFAULT_STAGE_CONFIG}. */
export interface StageConfig {
  /** `MODE`: `dry-run` decides and records everything and mutates nothing in EC2. */
  readonly mode: Mode;
  /** `CLUSTERS`: cluster names to reconcile, or `"*"` to discover them. */
  readonly clusters: readonly string[] | "*";
  /** `LEAK_GRACE_SECONDS`. */
  readonly leakGraceSeconds: number;
  /** `MAX_DELETES_PER_RUN`. */
  readonly maxDeletesPerRun: number;
  /** `EC2_MUTATIONS_PER_SECOND`. */
  readonly ec2MutationsPerSecond: number;
  /** `RETAG`. */
  readonly retag: RetagMode;
  /** `BACKEND_RULES`. */
  readonly backendRules: BackendRuleMode;
  /** Create a notification bus and set `NOTIFY_BUS_NAME` to it. */
  readonly notifications: boolean;
  /** EventBridge schedule expression of the sweep, e.g. `rate(10 minutes)`. */
  readonly sweepSchedule: string;
  /** Keep the state table when the stack is removed (audit log and leak evidence outlive the stack). */
  readonly retainState: boolean;
}

/** Defaults read from core/config.ts itself, so the stack and the Lambda code cannot disagree. */
const contractDefaults = loadConfig({});

/** The configuration of every stage that {@link STAGE_OVERRIDES} does not mention. */
export const DEFAULT_STAGE_CONFIG: StageConfig = {
  mode: contractDefaults.mode,
  clusters: contractDefaults.clusters,
  leakGraceSeconds: contractDefaults.leakGraceSeconds,
  maxDeletesPerRun: contractDefaults.maxDeletesPerRun,
  ec2MutationsPerSecond: contractDefaults.ec2MutationsPerSecond,
  retag: contractDefaults.retag,
  backendRules: contractDefaults.backendRules,
  notifications: false,
  sweepSchedule: "rate(10 minutes)",
  retainState: false,
};

/**
 * Per-stage settings. Every stage starts in dry-run, prod included: a new deployment is watched
 * (status API, audit log) before it is trusted. Enforce with a deploy-time override:
 * `BRANCHKEEPER_MODE=enforce npx sst deploy --stage prod`.
 */
export const STAGE_OVERRIDES: Readonly<Record<string, Partial<StageConfig>>> = {
  prod: { notifications: true, retainState: true },
};

/**
 * Deploy-time overrides, one per contract variable (`BRANCHKEEPER_MODE`, `BRANCHKEEPER_CLUSTERS`,
 * `BRANCHKEEPER_LEAK_GRACE_SECONDS`, `BRANCHKEEPER_MAX_DELETES_PER_RUN`,
 * `BRANCHKEEPER_EC2_MUTATIONS_PER_SECOND`, `BRANCHKEEPER_RETAG`, `BRANCHKEEPER_BACKEND_RULES`) plus
 * `BRANCHKEEPER_SWEEP_SCHEDULE`, validated by the same code the functions use.
 */
const withDeployOverrides = (base: StageConfig, env: Readonly<Record<string, string | undefined>>): StageConfig => {
  const pick = (name: string, fallback: string) => env[`BRANCHKEEPER_${name}`] ?? fallback;
  const parsed = loadConfig({
    MODE: pick("MODE", base.mode),
    CLUSTERS: pick("CLUSTERS", base.clusters === "*" ? "*" : base.clusters.join(",")),
    LEAK_GRACE_SECONDS: pick("LEAK_GRACE_SECONDS", String(base.leakGraceSeconds)),
    MAX_DELETES_PER_RUN: pick("MAX_DELETES_PER_RUN", String(base.maxDeletesPerRun)),
    EC2_MUTATIONS_PER_SECOND: pick("EC2_MUTATIONS_PER_SECOND", String(base.ec2MutationsPerSecond)),
    RETAG: pick("RETAG", base.retag),
    BACKEND_RULES: pick("BACKEND_RULES", base.backendRules),
  });
  return {
    ...base,
    mode: parsed.mode,
    clusters: parsed.clusters,
    leakGraceSeconds: parsed.leakGraceSeconds,
    maxDeletesPerRun: parsed.maxDeletesPerRun,
    ec2MutationsPerSecond: parsed.ec2MutationsPerSecond,
    retag: parsed.retag,
    backendRules: parsed.backendRules,
    sweepSchedule: pick("SWEEP_SCHEDULE", base.sweepSchedule),
  };
};

/** The configuration of one stage: its overrides on top of the defaults, then the deploy-time ones. */
export const stageConfigFor = (
  stage: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): StageConfig =>
  withDeployOverrides(
    { ...DEFAULT_STAGE_CONFIG, ...(Object.hasOwn(STAGE_OVERRIDES, stage) ? STAGE_OVERRIDES[stage] : {}) },
    env,
  );
