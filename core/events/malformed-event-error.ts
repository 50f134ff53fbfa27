/**
 * An event that cannot be read (not JSON, not an EventBridge event, or a known event type with the
 * wrong shape). Terminal: retrying cannot fix it, so the record goes to the DLQ with this message.
 */
export class MalformedEventError extends Error {
  public readonly retryable = false;

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MalformedEventError";
  }
}
