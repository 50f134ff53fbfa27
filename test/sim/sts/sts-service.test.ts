import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_ACCOUNT_ID,
  type RunningSimulator,
  startSimulator,
  WELL_KNOWN_ACCESS_KEYS,
} from "../../../sim/index.ts";
import { setFaults, simClients } from "../../support/sim-clients.ts";

describe("STS", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.stop());

  it("answers GetCallerIdentity with the assumed role the access key stands for", async () => {
    const { sts } = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.loadBalancerController);

    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(identity.Account).toBe(DEFAULT_ACCOUNT_ID);
    expect(identity.Arn).toBe(
      `arn:aws:sts::${DEFAULT_ACCOUNT_ID}:assumed-role/aws-load-balancer-controller/aws-load-balancer-controller-session`,
    );
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]+:aws-load-balancer-controller-session$/);
  });

  it("gives an unknown access key a stable identity of its own", async () => {
    const { sts } = simClients(sim.endpoint, "AKIDSOMEONE");

    const first = await sts.send(new GetCallerIdentityCommand({}));
    const second = await sts.send(new GetCallerIdentityCommand({}));

    expect(first.Arn).toBe(`arn:aws:sts::${DEFAULT_ACCOUNT_ID}:assumed-role/AKIDSOMEONE/AKIDSOMEONE-session`);
    expect(second).toMatchObject({ Arn: first.Arn, UserId: first.UserId, Account: first.Account });
  });

  it("answers an action it does not serve with InvalidAction", async () => {
    const { sts } = simClients(sim.endpoint);

    const error = await sts
      .send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/x", RoleSessionName: "s" }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "InvalidAction", $metadata: { httpStatusCode: 400 } });
  });

  it("answers AccessDenied when the fault layer denies the caller", async () => {
    const { sts } = simClients(sim.endpoint, "AKIDDENIED");
    await setFaults(sim.endpoint, { deny: [{ action: "sts:GetCallerIdentity", accessKeyId: "AKIDDENIED" }] });

    const error = await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    await setFaults(sim.endpoint, {});
  });
});
