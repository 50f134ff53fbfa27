import { createAwsClients } from "../../core/aws/aws-clients.ts";
import { type ComposedReconciler, composeReconciler } from "../../core/aws/compose-reconciler.ts";
import { ThrottleCounter } from "../../core/aws/throttle-counter.ts";
import { type Config, loadConfig } from "../../core/config.ts";
import { EventIntake } from "../../core/reconcile/event-intake.ts";
import { passLog } from "./observability.ts";

/** Everything the events and sweep functions use, composed once per Lambda container. */
export interface ReconcilerRuntime extends ComposedReconciler {
  readonly config: Config;
  readonly intake: EventIntake;
  /** Throttled attempts of the EC2, ELBv2 and EKS clients, for the `Throttles` metric. */
  readonly throttles: ThrottleCounter;
}

let runtime: ReconcilerRuntime | undefined;

/** The composed runtime, built from the environment on first use (`TABLE_NAME`, `MODE`, …, `AWS_ENDPOINT_URL`). */
export const reconcilerRuntime = (): ReconcilerRuntime => {
  if (runtime) return runtime;
  const config = loadConfig(process.env);
  const clients = createAwsClients();
  const throttles = new ThrottleCounter();
  throttles.attach(clients.ec2);
  throttles.attach(clients.elbv2);
  throttles.attach(clients.eks);
  const composed = composeReconciler(config, clients, { log: passLog });
  // The identity provider asks STS once per container (and again after a failure).
  const intake = new EventIntake(composed.reconciler, () => composed.identity.callerIdentity(), passLog);
  runtime = { ...composed, config, intake, throttles };
  return runtime;
};

/** Forget the composed runtime, so the next call reads the environment again (local runs and tests). */
export const resetReconcilerRuntime = (): void => {
  runtime = undefined;
};
