import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EventPattern } from "../../../core/events/event-pattern.ts";
import {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
} from "../../../core/events/event-pattern-matcher.ts";
import {
  EC2_API_CALL_PATTERN,
  EC2_INSTANCE_STATE_CHANGE_PATTERN,
  EKS_API_CALL_PATTERN,
  ELBV2_API_CALL_PATTERN,
  RULE_PATTERNS,
  type RuleName,
} from "../../../stacks/event-patterns.ts";

type SampleEvent = { detail: Record<string, unknown> } & Record<string, unknown>;

const sampleEvent = (name: string): SampleEvent =>
  JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), "utf8"));

/** The rules a real bus would deliver the event to. */
const rulesMatching = (event: unknown): RuleName[] =>
  Object.entries(RULE_PATTERNS)
    .filter(([, pattern]) => matchesEventPattern(pattern, event))
    .map(([name]) => name as RuleName);

const withDetail = (event: SampleEvent, detail: Record<string, unknown>): SampleEvent => ({
  ...event,
  detail: { ...event.detail, ...detail },
});

describe("Branchkeeper's rule patterns against realistic events", () => {
  it.each<[string, RuleName[]]>([
    ["ec2-instance-state-change-terminated", ["ec2-instance-state-change"]],
    ["ec2-instance-state-change-pending", []],
    ["cloudtrail-ec2-create-network-interface", ["ec2-api-call"]],
    ["cloudtrail-ec2-delete-network-interface", ["ec2-api-call"]],
    ["cloudtrail-ec2-delete-network-interface-failed", []],
    ["cloudtrail-ec2-create-tags", ["ec2-api-call"]],
    ["cloudtrail-ec2-authorize-security-group-ingress", ["ec2-api-call"]],
    ["cloudtrail-ec2-revoke-security-group-ingress", ["ec2-api-call"]],
    ["cloudtrail-ec2-terminate-instances", ["ec2-api-call"]],
    ["cloudtrail-ec2-create-security-group", []],
    ["cloudtrail-eks-delete-cluster", ["eks-api-call"]],
    ["cloudtrail-elbv2-register-targets", ["elbv2-api-call"]],
  ])("routes %s to %j", (fixture, expected) => {
    const event = sampleEvent(fixture);

    const matched = rulesMatching(event);

    expect(matched).toEqual(expected);
  });

  it.each(["shutting-down", "terminated", "stopping", "stopped", "running"])(
    "wakes the reconciler when an instance is %s",
    (state) => {
      const event = withDetail(sampleEvent("ec2-instance-state-change-terminated"), { state });

      const matched = matchesEventPattern(EC2_INSTANCE_STATE_CHANGE_PATTERN, event);

      expect(matched).toBe(true);
    },
  );

  it("drops every failed call, whatever the service, because it changed nothing", () => {
    const failure = { errorCode: "Client.UnauthorizedOperation", errorMessage: "You are not authorized" };
    const events = [
      withDetail(sampleEvent("cloudtrail-ec2-create-tags"), failure),
      withDetail(sampleEvent("cloudtrail-eks-delete-cluster"), { ...failure, errorCode: "ResourceInUseException" }),
      withDetail(sampleEvent("cloudtrail-elbv2-register-targets"), { ...failure, errorCode: "TargetGroupNotFound" }),
    ];

    const matched = events.map(rulesMatching);

    expect(matched).toEqual([[], [], []]);
  });

  it("accepts each API call of each rule and nothing named alike from another service", () => {
    const ec2Call = sampleEvent("cloudtrail-ec2-create-tags");
    const eksCall = sampleEvent("cloudtrail-eks-delete-cluster");
    const elbCall = sampleEvent("cloudtrail-elbv2-register-targets");

    const accepted = [
      ...EC2_API_CALL_PATTERN.detail.eventName.map((eventName) =>
        matchesEventPattern(EC2_API_CALL_PATTERN, withDetail(ec2Call, { eventName })),
      ),
      ...EKS_API_CALL_PATTERN.detail.eventName.map((eventName) =>
        matchesEventPattern(EKS_API_CALL_PATTERN, withDetail(eksCall, { eventName })),
      ),
      ...ELBV2_API_CALL_PATTERN.detail.eventName.map((eventName) =>
        matchesEventPattern(ELBV2_API_CALL_PATTERN, withDetail(elbCall, { eventName })),
      ),
    ];
    const eksNameFromEc2 = matchesEventPattern(
      EKS_API_CALL_PATTERN,
      withDetail(ec2Call, { eventName: "DeleteCluster" }),
    );

    expect(accepted.every(Boolean)).toBe(true);
    expect(accepted).toHaveLength(24);
    expect(eksNameFromEc2).toBe(false);
  });

  it("uses only patterns EventBridge accepts", () => {
    const compile = () => Object.values(RULE_PATTERNS).map(compileEventPattern);

    expect(compile).not.toThrow();
  });
});

describe("EventBridge content filtering", () => {
  const event = {
    source: "aws.ec2",
    detail: {
      state: "running",
      count: 5,
      ratio: 301.8,
      flag: true,
      nothing: null,
      empty: "",
      nested: { c1: 100 },
      tags: ["blue", "green"],
      none: [],
      sets: [
        { name: "a", value: 1 },
        { name: "b", value: 2 },
      ],
      file: "photos/cat.PNG",
      path: "usr/lib/node*js",
    },
  };
  const matches = (detail: EventPattern) => matchesEventPattern({ detail }, event);

  it("matches exact values by type and value, case-sensitively", () => {
    expect(matches({ state: ["running"] })).toBe(true);
    expect(matches({ state: ["Running"] })).toBe(false);
    expect(matches({ count: [5] })).toBe(true);
    expect(matches({ count: ["5"] })).toBe(false);
    expect(matches({ flag: [true] })).toBe(true);
    expect(matches({ nothing: [null] })).toBe(true);
    expect(matches({ empty: [""] })).toBe(true);
    expect(matches({ empty: [null] })).toBe(false);
  });

  it("treats a pattern array as OR and pattern fields as AND", () => {
    expect(matches({ state: ["stopped", "running"] })).toBe(true);
    expect(matches({ state: ["running"], count: [5] })).toBe(true);
    expect(matches({ state: ["running"], count: [6] })).toBe(false);
  });

  it("requires every named field, at the same nesting", () => {
    expect(matchesEventPattern({ source: ["aws.ec2"], detail: { state: ["running"] } }, event)).toBe(true);
    expect(matches({ missing: ["running"] })).toBe(false);
    expect(matchesEventPattern({ state: ["running"] }, event)).toBe(false);
    expect(matches({ nested: { c1: [100] } })).toBe(true);
  });

  it("matches an event array when any element matches", () => {
    expect(matches({ tags: ["green"] })).toBe(true);
    expect(matches({ tags: ["red", "blue"] })).toBe(true);
    expect(matches({ tags: ["red"] })).toBe(false);
  });

  it("matches arrays of objects element by element, never mixing two elements", () => {
    expect(matches({ sets: { name: ["b"], value: [2] } })).toBe(true);
    expect(matches({ sets: { name: ["a"], value: [2] } })).toBe(false);
  });

  it("matches prefixes and suffixes of strings only, optionally ignoring case", () => {
    expect(matches({ state: [{ prefix: "run" }] })).toBe(true);
    expect(matches({ state: [{ prefix: "RUN" }] })).toBe(false);
    expect(matches({ state: [{ prefix: { "equals-ignore-case": "RUN" } }] })).toBe(true);
    expect(matches({ file: [{ suffix: ".png" }] })).toBe(false);
    expect(matches({ file: [{ suffix: { "equals-ignore-case": ".png" } }] })).toBe(true);
    expect(matches({ count: [{ prefix: "5" }] })).toBe(false);
  });

  it("matches equals-ignore-case on strings", () => {
    expect(matches({ state: [{ "equals-ignore-case": "RUNNING" }] })).toBe(true);
    expect(matches({ state: [{ "equals-ignore-case": "RUN" }] })).toBe(false);
  });

  it("matches anything but the excluded values, only when the field is present", () => {
    expect(matches({ state: [{ "anything-but": "stopped" }] })).toBe(true);
    expect(matches({ state: [{ "anything-but": "running" }] })).toBe(false);
    expect(matches({ state: [{ "anything-but": ["stopped", "running"] }] })).toBe(false);
    expect(matches({ count: [{ "anything-but": [1, 2, 3] }] })).toBe(true);
    expect(matches({ count: [{ "anything-but": 5 }] })).toBe(false);
    expect(matches({ state: [{ "anything-but": { prefix: "run" } }] })).toBe(false);
    expect(matches({ state: [{ "anything-but": { prefix: "stop" } }] })).toBe(true);
    expect(matches({ file: [{ "anything-but": { suffix: ".PNG" } }] })).toBe(false);
    expect(matches({ state: [{ "anything-but": { "equals-ignore-case": ["RUNNING", "STOPPED"] } }] })).toBe(false);
    expect(matches({ file: [{ "anything-but": { wildcard: "photos/*" } }] })).toBe(false);
    expect(matches({ missing: [{ "anything-but": "running" }] })).toBe(false);
  });

  it("matches exists on leaves only: objects and empty arrays count as absent, null as present", () => {
    expect(matches({ state: [{ exists: true }] })).toBe(true);
    expect(matches({ missing: [{ exists: false }] })).toBe(true);
    expect(matches({ state: [{ exists: false }] })).toBe(false);
    expect(matches({ nothing: [{ exists: true }] })).toBe(true);
    expect(matches({ nested: [{ exists: false }] })).toBe(true);
    expect(matches({ none: [{ exists: false }] })).toBe(true);
    expect(matches({ tags: [{ exists: true }] })).toBe(true);
  });

  it("matches numeric comparisons and ranges on numbers only", () => {
    expect(matches({ count: [{ numeric: [">", 0, "<=", 5] }] })).toBe(true);
    expect(matches({ count: [{ numeric: [">", 5] }] })).toBe(false);
    expect(matches({ ratio: [{ numeric: ["=", 3.018e2] }] })).toBe(true);
    expect(matches({ ratio: [{ numeric: [">=", 300, "<", 301] }] })).toBe(false);
    expect(matches({ state: [{ numeric: [">", 0] }] })).toBe(false);
  });

  it("matches wildcards, with backslash escapes for literal stars", () => {
    expect(matches({ file: [{ wildcard: "photos/*.PNG" }] })).toBe(true);
    expect(matches({ file: [{ wildcard: "*/dog*" }] })).toBe(false);
    expect(matches({ path: [{ wildcard: "usr/*/node\\*js" }] })).toBe(true);
    expect(matches({ path: [{ wildcard: "usr/lib/node\\*" }] })).toBe(false);
    expect(matches({ state: [{ wildcard: "r.n*" }] })).toBe(false);
  });

  it("matches $or when any alternative matches", () => {
    expect(matches({ $or: [{ state: ["stopped"] }, { count: [5] }] })).toBe(true);
    expect(matches({ $or: [{ state: ["stopped"] }, { count: [6] }] })).toBe(false);
  });

  it.each<[string, unknown]>([
    ["an empty matcher list", { detail: { state: [] } }],
    ["an empty pattern", {}],
    ["an unknown operator", { detail: { state: [{ contains: "run" }] } }],
    ["cidr, which this matcher does not implement", { detail: { ip: [{ cidr: "10.0.0.0/8" }] } }],
    ["two operators in one filter", { detail: { state: [{ prefix: "r", suffix: "g" }] } }],
    ["a numeric range given upper bound first", { detail: { count: [{ numeric: ["<", 10, ">", 0] }] } }],
    ["a numeric bound beyond ±5e9", { detail: { count: [{ numeric: [">", 6e9] }] } }],
    ["consecutive wildcard characters", { detail: { path: [{ wildcard: "usr/**" }] } }],
    ["a mixed anything-but list", { detail: { state: [{ "anything-but": ["a", 1] }] } }],
    ["$or with a single alternative", { detail: { $or: [{ state: ["running"] }] } }],
  ])("rejects %s as EventBridge would", (_, pattern) => {
    const compile = () => compileEventPattern(pattern as EventPattern);

    expect(compile).toThrow(InvalidEventPatternError);
  });
});
