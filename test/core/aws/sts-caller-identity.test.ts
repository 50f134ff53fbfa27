import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { principalArnOf, StsCallerIdentityProvider } from "../../../core/aws/sts-caller-identity.ts";
import { isOwnCall } from "../../../core/ports/caller-identity.ts";

const stsMock = mockClient(STSClient);

describe("StsCallerIdentityProvider", () => {
  beforeEach(() => stsMock.reset());

  it("derives the role ARN from an assumed-role caller and asks STS only once", async () => {
    // Prepare
    stsMock.on(GetCallerIdentityCommand).resolves({
      Account: "123456789012",
      Arn: "arn:aws:sts::123456789012:assumed-role/branchkeeper-sweep/branchkeeper-sweep",
    });
    const provider = new StsCallerIdentityProvider(new STSClient({ region: "us-east-1" }));

    // Act
    const [first, second] = await Promise.all([provider.callerIdentity(), provider.callerIdentity()]);

    // Assess
    expect(first).toEqual({
      accountId: "123456789012",
      arn: "arn:aws:sts::123456789012:assumed-role/branchkeeper-sweep/branchkeeper-sweep",
      principalArn: "arn:aws:iam::123456789012:role/branchkeeper-sweep",
      region: "us-east-1",
    });
    expect(second).toBe(first);
    expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it("asks again after a failure instead of remembering it", async () => {
    // Prepare
    stsMock
      .on(GetCallerIdentityCommand)
      .rejectsOnce(new Error("network down"))
      .resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/alice" });
    const provider = new StsCallerIdentityProvider(new STSClient({ region: "us-east-1" }));

    // Act
    const failure = await provider.callerIdentity().catch((e: unknown) => e);
    const identity = await provider.callerIdentity();

    // Assess
    expect(failure).toMatchObject({ name: "AwsCallError", operation: "GetCallerIdentity" });
    expect(identity.principalArn).toBe("arn:aws:iam::123456789012:user/alice");
  });
});

describe("isOwnCall", () => {
  const identity = {
    accountId: "123456789012",
    arn: "arn:aws:sts::123456789012:assumed-role/branchkeeper/branchkeeper-sweep",
    principalArn: principalArnOf("arn:aws:sts::123456789012:assumed-role/branchkeeper/branchkeeper-sweep"),
  };

  it("recognises its own role in another session, even when CloudTrail shows the role's path", () => {
    // Act / Assess
    expect(
      isOwnCall(identity, {
        arn: "arn:aws:sts::123456789012:assumed-role/branchkeeper/branchkeeper-events",
        sessionContext: { sessionIssuer: { arn: "arn:aws:iam::123456789012:role/service/branchkeeper" } },
      }),
    ).toBe(true);
  });

  it("does not claim other principals' calls", () => {
    // Act / Assess
    expect(
      isOwnCall(identity, {
        arn: "arn:aws:sts::123456789012:assumed-role/aws-load-balancer-controller/x",
        sessionContext: { sessionIssuer: { arn: "arn:aws:iam::123456789012:role/aws-load-balancer-controller" } },
      }),
    ).toBe(false);
    expect(
      isOwnCall(identity, {
        sessionContext: { sessionIssuer: { arn: "arn:aws:iam::999999999999:role/branchkeeper" } },
      }),
    ).toBe(false);
    expect(isOwnCall(identity, undefined)).toBe(false);
  });
});
