import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import dynalite from "dynalite";

/**
 * DynamoDB, served by an embedded dynalite (JSON 1.0). Requests are handed to dynalite's own
 * request listener unread, so no port of its own is opened. `reset` starts a fresh, empty store.
 */
export class DynamoDbProxy {
  private listener: RequestListener;

  public constructor() {
    this.listener = DynamoDbProxy.createListener();
  }

  /** The DynamoDB operation of a request (`GetItem`, …), or undefined when it is not DynamoDB's. */
  public static operationOf(request: IncomingMessage): string | undefined {
    const target = request.headers["x-amz-target"];
    if (typeof target !== "string" || !target.startsWith("DynamoDB_")) return undefined;
    return target.slice(target.indexOf(".") + 1);
  }

  public forward(request: IncomingMessage, response: ServerResponse): void {
    this.listener(request, response);
  }

  public reset(): void {
    this.listener = DynamoDbProxy.createListener();
  }

  private static createListener(): RequestListener {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const [listener] = server.listeners("request") as RequestListener[];
    if (!listener) throw new Error("dynalite exposed no request listener");
    return listener;
  }
}

/** A JSON 1.0 DynamoDB error body, for faults injected before dynalite sees the request. */
export const dynamoDbError = (code: string, message: string): string =>
  JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message });
