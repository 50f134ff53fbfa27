import { createServer, type Server } from "node:net";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStatusApi, serveStatusApi } from "../../../scripts/local/status-api-server.ts";

describe("the local status API server", () => {
  let squatter: Server;
  let busyPort: number;
  let api: RunningStatusApi;
  const seen: APIGatewayProxyEventV2[] = [];

  beforeAll(async () => {
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const address = squatter.address();
    busyPort = typeof address === "object" && address ? address.port : 0;
    api = await serveStatusApi(async (event) => {
      seen.push(event);
      return {
        statusCode: 404,
        headers: { "content-type": "application/json" },
        body: '{"error":{"code":"NotFound"}}',
      };
    }, busyPort);
  });
  afterAll(async () => {
    await api.stop();
    await new Promise((resolve) => squatter.close(resolve));
  });

  it("takes a free port when the asked one is busy, and says which was busy", () => {
    expect(api.busyPort).toBe(busyPort);
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.url).not.toBe(`http://127.0.0.1:${busyPort}`);
  });

  it("answers with the handler's status, headers and body for the request as sent", async () => {
    const response = await fetch(`${api.url}/v1/clusters/alpha/enis?state=leaked`);

    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ error: { code: "NotFound" } });
    expect(seen.at(-1)).toMatchObject({
      rawPath: "/v1/clusters/alpha/enis",
      rawQueryString: "state=leaked",
      requestContext: { http: { method: "GET" } },
    });
  });
});
