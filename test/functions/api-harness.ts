import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { vi } from "vitest";
import { DEFAULT_REGION } from "../../sim/index.ts";

/**
 * Runs `functions/api.ts` as Lambda would: configured only through the environment, imported after the
 * environment is set, invoked with an event and a context. Powertools writes logs and EMF metrics to
 * stdout and stderr; the harness keeps them (parsed) instead of printing them.
 */

export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "branchkeeper-api",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:branchkeeper-api",
  memoryLimitInMB: "256",
  awsRequestId: "11111111-2222-4333-8444-555555555555",
  logGroupName: "/aws/lambda/branchkeeper-api",
  logStreamName: "2026/11/21/[$LATEST]0123456789abcdef",
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** An answer with its body parsed, typed as the test expects it (the test then checks it). */
export interface Answer<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | boolean>>;
  readonly body: T;
}

/** The body of every refusal and failure. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

export interface ApiHarness {
  /** Invoke the handler with any event (the handler must cope with whatever arrives). */
  invoke<T = ErrorBody>(event: unknown): Promise<Answer<T>>;
  /** Structured lines written to stdout and stderr since the harness started: log entries and EMF documents. */
  output(): Record<string, unknown>[];
  /** Whether this module instance's Powertools tracer is on. */
  tracingEnabled(): boolean;
}

/** Set the Lambda environment, then import the handler (a fresh module instance). */
export const importApiHandler = async (environment: Record<string, string | undefined>): Promise<ApiHarness> => {
  // Powertools writes info and below to stdout, warnings and errors to stderr.
  const lines: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(keep);
  vi.spyOn(process.stderr, "write").mockImplementation(keep);
  const base = {
    AWS_REGION: DEFAULT_REGION,
    AWS_ACCESS_KEY_ID: "AKIDSTATUSAPI",
    AWS_SECRET_ACCESS_KEY: "secret",
    // Outside Lambda unless a test says otherwise: the tracer must then switch itself off.
    AWS_EXECUTION_ENV: undefined,
    _X_AMZN_TRACE_ID: undefined,
  };
  for (const [name, value] of Object.entries({ ...base, ...environment })) vi.stubEnv(name, value);
  vi.resetModules();
  const { handler } = await import("../../functions/api.ts");
  const { apiObservability } = await import("../../functions/runtime/api-runtime.ts");
  return {
    async invoke<T>(event: unknown) {
      const result = await handler(event as APIGatewayProxyEventV2, lambdaContext);
      const body: T = JSON.parse(result.body);
      return { status: result.statusCode, headers: result.headers ?? {}, body };
    },
    tracingEnabled: () => apiObservability.tracer.isTracingEnabled(),
    output: () =>
      lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
  };
};

/** Undo the environment and the stdout capture. */
export const restoreEnvironment = () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
};
