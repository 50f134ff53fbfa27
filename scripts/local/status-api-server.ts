import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { apiGatewayEvent } from "./api-gateway-event.ts";
import { localLambdaContext } from "./lambda-context.ts";
import { listenWithFallback } from "./listen-with-fallback.ts";

/** The status API function's handler, as `functions/api.ts` exports it. */
export type StatusApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** The status API served locally. */
export interface RunningStatusApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Set when the asked port was busy and a free one was taken instead. */
  readonly busyPort?: number;
  stop(): Promise<void>;
}

const FUNCTION_NAME = "branchkeeper-api";

/** Only a crash of the adapter itself ends here: the handler answers its own errors as JSON. */
const internalError = (response: ServerResponse, error: unknown): void => {
  response.writeHead(500, { "content-type": "application/json" });
  response.end(
    JSON.stringify({ error: { code: "InternalError", message: `local adapter: ${(error as Error).message}` } }),
  );
};

const answer = async (handler: StatusApiHandler, request: IncomingMessage, response: ServerResponse) => {
  try {
    const event = apiGatewayEvent({
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: request.headers,
      sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
    });
    const result = await handler(event, localLambdaContext(FUNCTION_NAME));
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    response.writeHead(result.statusCode ?? 200, headers);
    response.end(result.body ?? "");
  } catch (error) {
    internalError(response, error);
  }
};

const listen = (server: Server, port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once("error", failed);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", failed);
      resolve(server);
    });
  });

/**
 * Serve `functions/api.ts` over plain HTTP on loopback, the way API Gateway's `$default` route would
 * invoke it (minus IAM authorization: only local processes can reach it). A busy port falls back to a
 * free one.
 */
export const serveStatusApi = async (handler: StatusApiHandler, port: number): Promise<RunningStatusApi> => {
  const server: Server = createServer((request, response) => {
    // The API is GET only; a body is neither needed nor read.
    request.resume();
    void answer(handler, request, response);
  });
  const { busyPort } = await listenWithFallback((candidate) => listen(server, candidate), port);
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    ...(busyPort === undefined ? {} : { busyPort }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
