/** The events function's timeout: a batch's passes share one `MAX_DELETES_PER_RUN` (100 at 2/s: 50 s), plus their reads. */
const FUNCTION_TIMEOUT_SECONDS = 120;
/** How long the event source waits to fill a batch: coalesces bursts (a node's teardown is dozens of calls). */
const BATCH_WINDOW_SECONDS = 5;

/**
 * The events queue and its Lambda event source mapping. Plain numbers, no CDK: the stack builds
 * from them, and the local runner and the benchmarks deliver events the same way.
 */
export const EVENTS_QUEUE = {
  functionTimeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
  batchWindowSeconds: BATCH_WINDOW_SECONDS,
  /**
   * Messages per invocation. A batch is reconciled in as few passes as its clusters allow, so a
   * burst of 100 events costs little more than one: 0.2 AWS calls per event against 0.9 at batches
   * of 10 (`bench/event-path.ts`), which matters because EC2's buckets are shared with every controller.
   */
  batchSize: 100,
  /**
   * Concurrent invocations the queue may drive (2 is Lambda's minimum). Keeps Branchkeeper's share of
   * the account's EC2 API buckets small during event storms: the queue absorbs the burst instead.
   */
  concurrency: 2,
  /** Receives before a message goes to the dead-letter queue. */
  maxReceives: 5,
  /**
   * Lambda's guidance for SQS sources: at least six times the function timeout, plus the batching
   * window, so a message is not redelivered while a throttled or retried invocation still holds it.
   */
  visibilityTimeoutSeconds: 6 * FUNCTION_TIMEOUT_SECONDS + BATCH_WINDOW_SECONDS,
} as const;
