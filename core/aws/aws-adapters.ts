import type { Config } from "../config.ts";
import type { AccountObserver } from "../ports/account-observer.ts";
import type { ActionExecutor } from "../ports/action-executor.ts";
import type { CallerIdentityProvider } from "../ports/caller-identity.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { Notifier } from "../ports/notifier.ts";
import { AwsAccountObserver } from "./aws-account-observer.ts";
import type { AwsClients } from "./aws-clients.ts";
import { Ec2ActionExecutor } from "./ec2-action-executor.ts";
import { notifierFor } from "./eventbridge-notifier.ts";
import { MutationPacer } from "./mutation-pacer.ts";
import { StsCallerIdentityProvider } from "./sts-caller-identity.ts";

/** The AWS side of Branchkeeper's ports, wired once at the composition root. */
export interface AwsAdapters {
  readonly observer: AccountObserver;
  readonly executor: ActionExecutor;
  readonly notifier: Notifier;
  readonly identity: CallerIdentityProvider;
}

/**
 * Build the adapters from the configuration and the SDK clients. One `MutationPacer` serves the
 * executor, so every EC2 mutation of the process shares `EC2_MUTATIONS_PER_SECOND`.
 */
export const createAwsAdapters = (
  config: Pick<Config, "ec2MutationsPerSecond" | "notifyBusName">,
  clients: Pick<AwsClients, "ec2" | "elbv2" | "eks" | "events" | "sts">,
  clock: Clock = systemClock,
): AwsAdapters => ({
  observer: new AwsAccountObserver(clients, { clock }),
  executor: new Ec2ActionExecutor(clients.ec2, new MutationPacer(config.ec2MutationsPerSecond, clock), { clock }),
  notifier: notifierFor(config, clients.events, { clock }),
  identity: new StsCallerIdentityProvider(clients.sts),
});
