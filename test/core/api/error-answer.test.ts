import { describe, expect, it } from "vitest";
import { ApiError } from "../../../core/api/api-error.ts";
import { errorAnswer } from "../../../core/api/error-answer.ts";
import { InvalidCursorError, InvalidLimitError, StateStoreError } from "../../../core/ports/state-store.ts";

const bodyOf = (error: unknown) => JSON.parse(errorAnswer(error).response.body);

describe("errorAnswer", () => {
  it("answers a refused request with its status, code and message, as JSON", () => {
    // Prepare
    const error = new ApiError("MethodNotAllowed", "GET only", { headers: { allow: "GET" } });

    // Act
    const answer = errorAnswer(error);

    // Assess
    expect(answer).toMatchObject({ code: "MethodNotAllowed", severity: "info" });
    expect(answer.response).toEqual({
      statusCode: 405,
      headers: { "content-type": "application/json", "cache-control": "no-store", allow: "GET" },
      body: JSON.stringify({ error: { code: "MethodNotAllowed", message: "GET only" } }),
    });
  });

  it("answers a cursor the store did not issue with 400 InvalidCursor", () => {
    // Prepare
    const error = new InvalidCursorError("listEnis", "it was not issued for this query");

    // Act / Assess
    expect(errorAnswer(error).response.statusCode).toBe(400);
    expect(bodyOf(error)).toEqual({
      error: { code: "InvalidCursor", message: "invalid cursor: it was not issued for this query" },
    });
  });

  it("answers a page size the store refuses with 400 InvalidParameter", () => {
    // Prepare / Act / Assess
    expect(errorAnswer(new InvalidLimitError("listEnis", 0)).response.statusCode).toBe(400);
    expect(bodyOf(new InvalidLimitError("listEnis", 0)).error.code).toBe("InvalidParameter");
  });

  it("answers a store failure that may pass with 503 ServiceUnavailable and retry-after", () => {
    // Prepare
    const error = new StateStoreError("listEnis failed: ProvisionedThroughputExceededException: slow down", {
      operation: "listEnis",
      retryable: true,
    });

    // Act
    const answer = errorAnswer(error);

    // Assess
    expect(answer).toMatchObject({ code: "ServiceUnavailable", severity: "warn" });
    expect(answer.response).toMatchObject({ statusCode: 503, headers: { "retry-after": "1" } });
    expect(answer.response.body).not.toContain("ProvisionedThroughput");
  });

  it.each([
    [
      "a terminal store failure",
      new StateStoreError("getEni: malformed eni item ENI#x", { operation: "getEni", retryable: false }),
    ],
    ["a bug", new TypeError("Cannot read properties of undefined (reading 'items')")],
    ["a thrown string", "table arn:aws:dynamodb:us-east-1:123456789012:table/state"],
    ["nothing", undefined],
  ])("answers %s with 500 InternalError and a message revealing nothing", (_what, error) => {
    // Prepare / Act
    const answer = errorAnswer(error);

    // Assess
    expect(answer).toMatchObject({ code: "InternalError", severity: "error" });
    expect(answer.response.statusCode).toBe(500);
    expect(bodyOf(error)).toEqual({
      error: { code: "InternalError", message: "internal error; the details are in the service's logs" },
    });
  });
});
