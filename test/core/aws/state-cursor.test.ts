import { describe, expect, it } from "vitest";
import { type CursorBinding, decodeCursor, encodeCursor } from "../../../core/aws/state-cursor.ts";
import { InvalidCursorError } from "../../../core/ports/state-store.ts";

const leakedInAlpha: CursorBinding = {
  scope: ["enis", "alpha", "leaked"],
  attributes: ["pk", "sk", "gsi1pk", "gsi1sk"],
  equals: { gsi1pk: "ENIS#alpha" },
  prefix: { attribute: "gsi1sk", value: "leaked#" },
};
const key = { pk: "ENI#eni-1", sk: "ENI", gsi1pk: "ENIS#alpha", gsi1sk: "leaked#eni-1" };

const refusal = (binding: CursorBinding, cursor: string): unknown => {
  try {
    decodeCursor("listEnis", binding, cursor);
    return undefined;
  } catch (error) {
    return error;
  }
};

describe("state cursors", () => {
  it("give back the start key they were issued with, for the same query", () => {
    // Act
    const cursor = encodeCursor(leakedInAlpha, key);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(decodeCursor("listEnis", leakedInAlpha, cursor)).toEqual(key);
  });

  it("are refused for a query with any other route or filter", () => {
    // Prepare
    const cursor = encodeCursor(leakedInAlpha, key);

    // Act
    const errors = [
      refusal({ ...leakedInAlpha, scope: ["enis", "beta", "leaked"] }, cursor),
      refusal({ ...leakedInAlpha, scope: ["enis", "alpha", null] }, cursor),
      refusal({ ...leakedInAlpha, scope: ["history", "alpha", "leaked"] }, cursor),
    ];

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidCursorError);
      expect(error).toMatchObject({ retryable: false, operation: "listEnis" });
    }
  });

  it("are refused when forged with a valid digest but a key outside the query's range", () => {
    // Prepare: someone who knows the scheme signs a key of another partition, and one of another state.
    const otherPartition = encodeCursor(leakedInAlpha, { ...key, gsi1pk: "ENIS#beta" });
    const otherState = encodeCursor(leakedInAlpha, { ...key, gsi1sk: "associated#eni-1" });
    const missingAttribute = encodeCursor({ ...leakedInAlpha, attributes: ["pk", "sk"] }, key);

    // Act
    const errors = [otherPartition, otherState, missingAttribute].map((cursor) => refusal(leakedInAlpha, cursor));

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(InvalidCursorError);
  });

  it("are refused when altered, truncated, empty, oversized or not cursors at all", () => {
    // Prepare
    const cursor = encodeCursor(leakedInAlpha, key);
    const [payload = "", digest = ""] = cursor.split(".");
    const altered = Buffer.from(Buffer.from(payload, "base64url").toString("utf8").replace("eni-1", "eni-2"));

    // Act
    const errors = [
      `${altered.toString("base64url")}.${digest}`,
      cursor.slice(0, -3),
      payload,
      "",
      `${"A".repeat(9000)}.${digest}`,
      "not a cursor",
      `${Buffer.from("{not json").toString("base64url")}.${digest}`,
    ].map((bad) => refusal(leakedInAlpha, bad));

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(InvalidCursorError);
  });
});
