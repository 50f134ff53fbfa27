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
 * Per-stage settings. `prod` is the only stage that mutates EC2: every other stage (personal, CI,
 * staging) runs dry so a new deployment can be watched before it is trusted.
 */
export const STAGE_OVERRIDES: Readonly<Record<string, Partial<StageConfig>>> = {
  prod: { mode: "enforce", notifications: true, retainState: true },
};

/** The configuration of one stage: its overrides on top of the defaults. */
export const stageConfigFor = (stage: string): StageConfig => ({
  ...DEFAULT_STAGE_CONFIG,
  ...(Object.hasOwn(STAGE_OVERRIDES, stage) ? STAGE_OVERRIDES[stage] : {}),
});
