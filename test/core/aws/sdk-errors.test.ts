import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { AwsCallError, classifyError, errorCode, isNotFound } from "../../../core/aws/sdk-errors.ts";

const ec2Error = (name: string, status: number, fault: "client" | "server" = status >= 500 ? "server" : "client") =>
  new EC2ServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name} happened` });

describe("classifyError", () => {
  it.each([
    ["RequestLimitExceeded", 503, "throttling"],
    ["Throttling", 400, "throttling"],
    ["InternalError", 500, "server"],
    ["ServiceUnavailable", 503, "server"],
  ])("treats %s (%i) as retryable %s", (code, status, kind) => {
    // Act
    const classified = classifyError(ec2Error(code, status));

    // Assess
    expect(classified).toMatchObject({ code, kind, retryable: true, httpStatus: status });
  });

  it.each([
    ["InvalidNetworkInterfaceID.NotFound", "not-found"],
    ["InvalidGroup.NotFound", "not-found"],
    ["ResourceNotFoundException", "not-found"],
    ["TargetGroupNotFoundException", "not-found"],
    ["InvalidPermission.Duplicate", "duplicate"],
    ["UnauthorizedOperation", "auth"],
    ["AccessDenied", "auth"],
    ["DependencyViolation", "dependency"],
    ["InvalidNetworkInterface.InUse", "dependency"],
    ["InvalidParameterValue", "validation"],
  ])("treats %s as terminal %s", (code, kind) => {
    // Act
    const classified = classifyError(ec2Error(code, 400));

    // Assess
    expect(classified).toMatchObject({ code, kind, retryable: false });
  });

  it("treats a dropped connection as a retryable network error", () => {
    // Prepare
    const error = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

    // Act
    const classified = classifyError(error);

    // Assess
    expect(classified).toMatchObject({ code: "ECONNRESET", kind: "network", retryable: true });
  });

  it("never throws on values that are not errors", () => {
    // Act
    const classified = classifyError("boom");

    // Assess
    expect(classified).toMatchObject({ code: "UnknownError", message: "boom", retryable: false });
    expect(errorCode(undefined)).toBe("UnknownError");
  });
});

describe("AwsCallError", () => {
  it("keeps the SDK error as cause and says whether to retry", () => {
    // Prepare
    const cause = ec2Error("RequestLimitExceeded", 503);

    // Act
    const error = new AwsCallError("DescribeNetworkInterfaces", cause);

    // Assess
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({
      operation: "DescribeNetworkInterfaces",
      code: "RequestLimitExceeded",
      retryable: true,
    });
    expect(error.summary).toBe(
      "DescribeNetworkInterfaces failed: RequestLimitExceeded: RequestLimitExceeded happened (retryable)",
    );
    expect(isNotFound(ec2Error("InvalidNetworkInterfaceID.NotFound", 400))).toBe(true);
  });
});
