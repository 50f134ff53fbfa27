import type { MiddlewareStack } from "@smithy/types";
import { classifyError } from "./sdk-errors.ts";

/**
 * Counts throttled attempts of every call its clients make, retried ones included: it sits in the
 * `deserialize` step, inside the SDK's retry loop, so each attempt passes through it. EC2's buckets
 * are shared with every controller of the account, so throttles are worth a metric of their own.
 */
export class ThrottleCounter {
  private count = 0;

  /** Count throttled attempts of this client from now on. */
  public attach<I extends object, O extends object>(client: { readonly middlewareStack: MiddlewareStack<I, O> }): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (classifyError(error).kind === "throttling") this.count += 1;
          throw error;
        }
      },
      { step: "deserialize", priority: "high", name: "branchkeeperThrottleCounter" },
    );
  }

  /** Throttled attempts since the last call, and start counting afresh. */
  public take(): number {
    const count = this.count;
    this.count = 0;
    return count;
  }
}
