import { describe, expect, it } from "vitest";
import { QueryParams } from "../../../sim/protocol/query-params.ts";
import { cloudTrailDate, cloudTrailRequest, cloudTrailResponse } from "../../../sim/services/elbv2/cloudtrail-shape.ts";

describe("ELBv2 CloudTrail shapes", () => {
  it("nests awsQuery members again, camel-cased, with numbers and booleans typed", () => {
    const params = QueryParams.parse(
      new URLSearchParams({
        Action: "CreateTargetGroup",
        Version: "2015-12-01",
        Name: "pods",
        Port: "8080",
        HealthCheckEnabled: "false",
        "Tags.member.1.Key": "a",
        "Tags.member.1.Value": "1",
        "Tags.member.2.Key": "b",
        "Tags.member.2.Value": "2",
        "Matcher.HttpCode": "200-299",
      }).toString(),
    );

    const shaped = cloudTrailRequest(params);

    expect(shaped).toEqual({
      name: "pods",
      port: 8080,
      healthCheckEnabled: false,
      tags: [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ],
      matcher: { httpCode: "200-299" },
    });
  });

  it("writes dates the way ELBv2's CloudTrail examples do", () => {
    expect(cloudTrailDate(new Date("2016-04-11T17:23:50Z"))).toBe("Apr 11, 2016 5:23:50 PM");
    expect(cloudTrailDate(new Date("2026-01-02T00:05:09Z"))).toBe("Jan 2, 2026 12:05:09 AM");
  });

  it("camel-cases answers as CloudTrail does, DNSName included, leaving absent members out", () => {
    const shaped = cloudTrailResponse({ LoadBalancers: [{ DNSName: "x", VpcId: undefined, Port: 80 }] });

    expect(shaped).toEqual({ loadBalancers: [{ dNSName: "x", port: 80 }] });
  });
});
