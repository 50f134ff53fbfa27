import type { QueryCommand, QueryCommandOutput } from "@aws-sdk/lib-dynamodb";

/** What the SDK's logger is given for a Query: the size of the page and where it stopped, never its items. */
export interface QueryLogSummary {
  readonly Count?: number;
  readonly ScannedCount?: number;
  readonly LastEvaluatedKey?: QueryCommandOutput["LastEvaluatedKey"];
}

const summarize = (output: Partial<QueryCommandOutput>): QueryLogSummary => ({
  Count: output.Count,
  ScannedCount: output.ScannedCount,
  LastEvaluatedKey: output.LastEvaluatedKey,
});

/**
 * Have the SDK log a Query by its page size instead of its items.
 *
 * The SDK's logger middleware builds its log entry before handing it to the logger, even the default
 * no-op one: it copies the whole output through the operation schema's sensitive-data filter. For a
 * page of 500 ENI records that copy was a third of the status API handler's CPU, spent on a log line
 * nobody writes. A middleware inside the logger's (it runs after the response, before the logger reads
 * the filter from the context) swaps in a summary, so a configured logger still sees every Query, and
 * item contents never reach logs.
 */
export const logQueryAsSummary = <C extends QueryCommand>(command: C): C => {
  command.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      context.outputFilterSensitiveLog = summarize;
      return result;
    },
    // Initialize is the outermost step; "low" runs inside the logger's "normal", so it answers first.
    { step: "initialize", priority: "low", name: "branchkeeperQueryLogSummary", override: true },
  );
  return command;
};
