import { z } from "zod";

export const MODES = ["dry-run", "enforce"] as const;
export type Mode = (typeof MODES)[number];
export const RETAG_MODES = ["off", "add-missing", "enforce"] as const;
export type RetagMode = (typeof RETAG_MODES)[number];
export const BACKEND_RULE_MODES = ["report", "repair"] as const;
export type BackendRuleMode = (typeof BACKEND_RULE_MODES)[number];

const positiveInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** The environment contract of DESIGN.md, with its defaults. */
const environmentSchema = z.object({
  TABLE_NAME: z.string().min(1).default("branchkeeper"),
  MODE: z.enum(MODES).default("dry-run"),
  CLUSTERS: z.string().default("*"),
  LEAK_GRACE_SECONDS: positiveInt(600),
  MAX_DELETES_PER_RUN: positiveInt(100),
  EC2_MUTATIONS_PER_SECOND: z.coerce.number().positive().default(2),
  RETAG: z.enum(RETAG_MODES).default("add-missing"),
  BACKEND_RULES: z.enum(BACKEND_RULE_MODES).default("repair"),
  NOTIFY_BUS_NAME: z.string().optional(),
  FOLLOW_UP_QUEUE_URL: z.url().optional(),
});

/** Branchkeeper's configuration, the same for Lambda and local runs. */
export interface Config {
  readonly tableName: string;
  readonly mode: Mode;
  /** Cluster names to reconcile, or `"*"` to discover them (EKS ListClusters plus EC2 tags). */
  readonly clusters: readonly string[] | "*";
  readonly leakGraceSeconds: number;
  readonly maxDeletesPerRun: number;
  readonly ec2MutationsPerSecond: number;
  readonly retag: RetagMode;
  readonly backendRules: BackendRuleMode;
  readonly notifyBusName?: string;
  /** The events queue: follow-ups for suspects are sent there, delayed until their grace elapses. */
  readonly followUpQueueUrl?: string;
}

/** A configuration value that cannot be used; terminal (fix the environment). */
export class ConfigError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** Read and validate the configuration from environment variables (empty strings count as unset). */
export const loadConfig = (env: Readonly<Record<string, string | undefined>> = process.env): Config => {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`, { cause: parsed.error });
  }
  const e = parsed.data;
  const clusters =
    e.CLUSTERS.trim() === "*"
      ? "*"
      : e.CLUSTERS.split(",")
          .map((c) => c.trim())
          .filter(Boolean);
  if (clusters !== "*" && clusters.length === 0) throw new ConfigError("invalid configuration: CLUSTERS is empty");
  return {
    tableName: e.TABLE_NAME,
    mode: e.MODE,
    clusters,
    leakGraceSeconds: e.LEAK_GRACE_SECONDS,
    maxDeletesPerRun: e.MAX_DELETES_PER_RUN,
    ec2MutationsPerSecond: e.EC2_MUTATIONS_PER_SECOND,
    retag: e.RETAG,
    backendRules: e.BACKEND_RULES,
    ...(e.NOTIFY_BUS_NAME ? { notifyBusName: e.NOTIFY_BUS_NAME } : {}),
    ...(e.FOLLOW_UP_QUEUE_URL ? { followUpQueueUrl: e.FOLLOW_UP_QUEUE_URL } : {}),
  };
};
