import { describe, expect, it } from "vitest";
import { followUpEvent } from "../../../core/events/follow-up-event.ts";
import { interpretEvent } from "../../../core/events/interpret-event.ts";
import { MalformedEventError } from "../../../core/events/malformed-event-error.ts";
import { MAX_SCOPED_IDS } from "../../../core/events/merge-scopes.ts";
import type { CallerIdentity } from "../../../core/ports/caller-identity.ts";
import { T0 } from "../../support/state-records.ts";

const self: CallerIdentity = {
  accountId: "123456789012",
  arn: "arn:aws:sts::123456789012:assumed-role/branchkeeper-reconciler/branchkeeper-events",
  principalArn: "arn:aws:iam::123456789012:role/branchkeeper-reconciler",
};

const envelope = (
  source: string,
  detailType: string,
  detail: unknown,
  id = "11111111-2222-4333-a444-555555555555",
) => ({
  version: "0",
  id,
  "detail-type": detailType,
  source,
  account: "123456789012",
  time: "2026-11-21T10:00:00Z",
  region: "us-east-1",
  resources: [],
  detail,
});

const cloudTrail = (eventSource: string, eventName: string, extra: Record<string, unknown>, roleName = "operator") =>
  envelope(`aws.${eventSource.split(".")[0]}`, "AWS API Call via CloudTrail", {
    eventVersion: "1.09",
    eventSource,
    eventName,
    eventTime: "2026-11-21T09:59:58Z",
    eventID: "ct-1",
    userIdentity: {
      type: "AssumedRole",
      arn: `arn:aws:sts::123456789012:assumed-role/${roleName}/session`,
      sessionContext: {
        sessionIssuer: { type: "Role", arn: `arn:aws:iam::123456789012:role/${roleName}`, userName: roleName },
      },
    },
    requestParameters: null,
    responseElements: null,
    ...extra,
  });

describe("interpretEvent", () => {
  it("turns Branchkeeper's own follow-up into a pass over the named suspects of its cluster", () => {
    const followUp = { cluster: "alpha", eniIds: ["eni-0aaaaaaaaaaaaaaa1"], dueAt: "2026-11-21T10:10:05.000Z" };
    const event = followUpEvent(followUp, { accountId: "123456789012", region: "us-east-1" }, "f-1", new Date(T0));

    const result = interpretEvent(event, self);

    expect(result).toEqual({
      kind: "trigger",
      trigger: {
        eventId: "f-1",
        eventTime: "2026-11-21T10:00:00.000Z",
        clusters: ["alpha"],
        scopes: [{ kind: "eni", ids: ["eni-0aaaaaaaaaaaaaaa1"] }],
        reason: "follow-up: the grace of eni-0aaaaaaaaaaaaaaa1 in alpha elapses at 2026-11-21T10:10:05.000Z",
        followUp: true,
      },
    });
  });

  it("reads a follow-up naming hundreds of suspects as one scoped view of them all", () => {
    const eniIds = Array.from({ length: 240 }, (_, i) => `eni-0aaaaaaaaaaaaa${String(i).padStart(3, "0")}`);
    const event = followUpEvent(
      { cluster: "alpha", eniIds, dueAt: "2026-11-21T10:10:05.000Z" },
      { accountId: "123456789012", region: "us-east-1" },
      "f-2",
      new Date(T0),
    );

    const result = interpretEvent(event, self);

    expect(result).toMatchObject({
      kind: "trigger",
      trigger: { clusters: ["alpha"], scopes: [{ kind: "eni", ids: eniIds }] },
    });
  });

  it("reads a TerminateInstances naming more nodes than a scoped view holds as a full pass", () => {
    const ids = Array.from({ length: MAX_SCOPED_IDS + 1 }, (_, i) => ({
      instanceId: `i-${String(i).padStart(17, "0")}`,
    }));
    const event = cloudTrail("ec2.amazonaws.com", "TerminateInstances", {
      requestParameters: { instancesSet: { items: ids } },
    });

    const result = interpretEvent(event, self);

    expect(result).toMatchObject({ kind: "trigger", trigger: { scopes: [{ kind: "full" }] } });
  });

  it.each([
    [
      "a cluster name EKS would refuse",
      { cluster: "../alpha", eniIds: ["eni-0aaaaaaaaaaaaaaa1"], dueAt: "2026-11-21T10:10:05Z" },
    ],
    ["no ENI", { cluster: "alpha", eniIds: [], dueAt: "2026-11-21T10:10:05Z" }],
    ["an id that is not an ENI", { cluster: "alpha", eniIds: ["sg-0aaaaaaaaaaaaaaa1"], dueAt: "2026-11-21T10:10:05Z" }],
    ["no due time", { cluster: "alpha", eniIds: ["eni-0aaaaaaaaaaaaaaa1"] }],
  ])("refuses a follow-up with %s as malformed", (_, detail) => {
    const event = envelope("branchkeeper.reconciler", "Branchkeeper Leak Grace Due", detail);

    expect(() => interpretEvent(event, self)).toThrow(MalformedEventError);
  });

  it("asks for the instance's scope when a node terminates", () => {
    const event = envelope("aws.ec2", "EC2 Instance State-change Notification", {
      "instance-id": "i-0abc",
      state: "terminated",
    });

    const result = interpretEvent(event, self);

    expect(result).toEqual({
      kind: "trigger",
      trigger: {
        eventId: event.id,
        eventTime: "2026-11-21T10:00:00Z",
        scopes: [{ kind: "instance", ids: ["i-0abc"] }],
        reason: "instance i-0abc is terminated: its branch ENIs may be left behind",
      },
    });
  });

  it("ignores a node that starts running", () => {
    const result = interpretEvent(
      envelope("aws.ec2", "EC2 Instance State-change Notification", { "instance-id": "i-0abc", state: "running" }),
      self,
    );

    expect(result).toMatchObject({ kind: "ignored", reason: expect.stringContaining("running") });
  });

  it("reads the new ENI id from CreateNetworkInterface's response elements", () => {
    const event = cloudTrail("ec2.amazonaws.com", "CreateNetworkInterface", {
      requestParameters: {
        subnetId: "subnet-1",
        description: "aws-k8s-branch-eni",
        groupSet: { items: [{ groupId: "sg-1" }] },
      },
      responseElements: { networkInterface: { networkInterfaceId: "eni-0new", status: "pending" } },
    });

    const result = interpretEvent(event, self);

    expect(result).toMatchObject({
      kind: "trigger",
      trigger: { scopes: [{ kind: "eni", ids: ["eni-0new"] }], eventTime: "2026-11-21T09:59:58Z" },
    });
  });

  it("splits CreateTags resources into ENI and security-group scopes", () => {
    const event = cloudTrail("ec2.amazonaws.com", "CreateTags", {
      requestParameters: {
        resourcesSet: { items: [{ resourceId: "sg-1" }, { resourceId: "eni-2" }, { resourceId: "i-3" }] },
        tagSet: { items: [{ key: "kubernetes.io/cluster/alpha", value: "shared" }] },
      },
    });

    const result = interpretEvent(event, self);

    expect(result).toMatchObject({
      kind: "trigger",
      trigger: {
        scopes: [
          { kind: "eni", ids: ["eni-2"] },
          { kind: "security-group", ids: ["sg-1"] },
        ],
      },
    });
  });

  it("ignores tag changes whose keys affect no decision", () => {
    const event = cloudTrail("ec2.amazonaws.com", "CreateTags", {
      requestParameters: {
        resourcesSet: { items: [{ resourceId: "sg-1" }] },
        tagSet: { items: [{ key: "team", value: "x" }] },
      },
    });

    expect(interpretEvent(event, self)).toMatchObject({ kind: "ignored", reason: expect.stringContaining("team") });
  });

  it("ignores Branchkeeper's own calls, whichever session of its role made them", () => {
    const event = cloudTrail(
      "ec2.amazonaws.com",
      "AuthorizeSecurityGroupIngress",
      { requestParameters: { groupId: "sg-1" } },
      "branchkeeper-reconciler",
    );

    expect(interpretEvent(event, self)).toMatchObject({
      kind: "ignored",
      reason: expect.stringContaining("Branchkeeper itself"),
    });
  });

  it("looks at the whole load-balancing side when someone else revokes a rule", () => {
    const event = cloudTrail("ec2.amazonaws.com", "RevokeSecurityGroupIngress", {
      requestParameters: { groupId: "sg-9" },
    });

    expect(interpretEvent(event, self)).toMatchObject({
      kind: "trigger",
      trigger: { scopes: [{ kind: "load-balancing" }], reason: expect.stringContaining("sg-9") },
    });
  });

  it("ignores failed calls: nothing changed", () => {
    const event = cloudTrail("ec2.amazonaws.com", "DeleteNetworkInterface", {
      errorCode: "Client.InvalidNetworkInterfaceID.NotFound",
      requestParameters: { networkInterfaceId: "eni-1" },
    });

    expect(interpretEvent(event, self)).toMatchObject({ kind: "ignored", reason: expect.stringContaining("failed") });
  });

  it("turns an EKS DeleteCluster into a full pass over that cluster", () => {
    const event = cloudTrail("eks.amazonaws.com", "DeleteCluster", { requestParameters: { name: "gamma" } });

    expect(interpretEvent(event, self)).toMatchObject({
      kind: "trigger",
      trigger: { clusters: ["gamma"], scopes: [{ kind: "full" }], reason: expect.stringContaining("leftovers") },
    });
  });

  it("looks at the whole load-balancing side on target registration", () => {
    const arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-a/0123456789abcdef";
    const event = cloudTrail("elasticloadbalancing.amazonaws.com", "RegisterTargets", {
      requestParameters: { targetGroupArn: arn },
    });

    expect(interpretEvent(event, self)).toMatchObject({
      kind: "trigger",
      trigger: { scopes: [{ kind: "load-balancing" }], reason: expect.stringContaining("RegisterTargets") },
    });
  });

  it("acknowledges an unknown source as unknown, not as an error", () => {
    const result = interpretEvent(envelope("aws.s3", "Object Created", { bucket: "b" }), self);

    expect(result).toMatchObject({ kind: "unknown", reason: expect.stringContaining("aws.s3") });
  });

  it.each([
    ["a string", "not an event"],
    ["an object without an id", { source: "aws.ec2", "detail-type": "x", detail: {} }],
    [
      "a state change with a bad instance id",
      envelope("aws.ec2", "EC2 Instance State-change Notification", { "instance-id": 7, state: "terminated" }),
    ],
    [
      "a CloudTrail event without an event name",
      envelope("aws.ec2", "AWS API Call via CloudTrail", { eventSource: "ec2.amazonaws.com" }),
    ],
  ])("raises a terminal MalformedEventError for %s", (_, input) => {
    let caught: unknown;

    try {
      interpretEvent(input, self);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(MalformedEventError);
    expect((caught as MalformedEventError).retryable).toBe(false);
  });
});
