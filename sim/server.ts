import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { identityFor, parseAuthorization } from "./control/identities.ts";
import { CallStats } from "./control/stats.ts";
import { SimError } from "./protocol/sim-error.ts";
import { DynamoDbProxy, dynamoDbError } from "./services/dynamodb-proxy.ts";
import { ec2Service } from "./services/ec2/ec2-service.ts";
import { eksService } from "./services/eks/eks-service.ts";
import { elbv2Service } from "./services/elbv2/elbv2-service.ts";
import { eventBridgeService } from "./services/eventbridge/eventbridge-service.ts";
import type { SimRequest, SimResponse, SimService } from "./services/sim-service.ts";
import { stsService } from "./services/sts/sts-service.ts";
import { SimWorld } from "./world.ts";

/** Services by SigV4 signing name; query-protocol services also by their `Version`. */
const BY_SIGNING_NAME: Record<string, SimService> = {
  ec2: ec2Service,
  elasticloadbalancing: elbv2Service,
  eks: eksService,
  events: eventBridgeService,
  sts: stsService,
};
const BY_QUERY_VERSION: Record<string, SimService> = {
  "2016-11-15": ec2Service,
  "2015-12-01": elbv2Service,
  "2011-06-15": stsService,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The simulator's HTTP front: control routes under `/_sim/`, DynamoDB handed to dynalite, every
 * other request routed to a service by signature scope (or query `Version`), through the fault layer.
 */
export class Simulator {
  public world = new SimWorld();
  public readonly stats = new CallStats();
  private readonly dynamodb = new DynamoDbProxy();
  public readonly server: Server;

  public constructor() {
    this.server = createServer((request, response) => {
      this.dispatch(request, response).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!response.headersSent) this.json(response, 500, { error: { code: "InternalError", message } });
      });
    });
    this.server.keepAliveTimeout = 60_000;
  }

  /** Forget every resource, event, table, counter and fault. */
  public reset(): void {
    this.world = new SimWorld();
    this.stats.reset();
    this.dynamodb.reset();
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://sim");
    if (url.pathname.startsWith("/_sim/")) return this.control(request, response, url);

    const auth = parseAuthorization(request.headers.authorization);
    const caller = identityFor(auth?.accessKeyId ?? "anonymous", this.world.accountId);
    const dynamoOperation = DynamoDbProxy.operationOf(request);
    if (dynamoOperation) return this.forwardDynamoDb(request, response, dynamoOperation, caller.accessKeyId);

    const body = await readBody(request);
    const requestId = this.world.ids.uuid();
    const simRequest: SimRequest = {
      method: request.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body,
      caller,
      requestId,
    };
    const service = this.serviceFor(simRequest, auth?.service);
    if (!service) {
      return this.json(response, 400, {
        __type: "UnknownOperationException",
        message: "The request does not name a service this simulator serves.",
      });
    }
    this.send(response, await this.call(service, simRequest, request));
  }

  private async call(service: SimService, request: SimRequest, raw: IncomingMessage): Promise<SimResponse> {
    let call: ReturnType<SimService["route"]>;
    try {
      call = service.route(request);
    } catch (error) {
      return this.errorResponse(service, error, request.requestId);
    }
    const key = `${service.name}:${call.action}`;
    this.stats.recordCall(key);
    const verdict = this.world.faults.judge(key, request.caller.accessKeyId, call.filteredOrPaged);
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
    switch (verdict.kind) {
      case "timeout":
        raw.socket.destroy();
        return { status: 0, headers: {}, body: "" };
      case "throttle":
        this.stats.recordThrottle(key);
        return service.renderError(service.throttleError(), request.requestId);
      case "deny":
        this.stats.recordError(key);
        return service.renderError(service.denyError(call.action, request.caller), request.requestId);
      case "error":
        this.stats.recordError(key);
        return service.renderError(service.internalError(verdict.code, verdict.status), request.requestId);
      case "pass":
        break;
    }
    try {
      return service.handle(request, call, this.world);
    } catch (error) {
      this.stats.recordError(key);
      return this.errorResponse(service, error, request.requestId);
    }
  }

  private errorResponse(service: SimService, error: unknown, requestId: string): SimResponse {
    if (error instanceof SimError) return service.renderError(error, requestId);
    // A bug in the simulator itself: answer as the service's internal error, with the cause.
    const internal = service.internalError();
    const message = error instanceof Error ? error.message : String(error);
    return service.renderError(new SimError(internal.code, `${internal.message} (${message})`, 500), requestId);
  }

  private async forwardDynamoDb(
    request: IncomingMessage,
    response: ServerResponse,
    operation: string,
    accessKeyId: string,
  ): Promise<void> {
    const key = `dynamodb:${operation}`;
    this.stats.recordCall(key);
    const verdict = this.world.faults.judge(key, accessKeyId, true);
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
    if (verdict.kind === "timeout") {
      request.socket.destroy();
      return;
    }
    if (verdict.kind === "error" || verdict.kind === "deny") {
      this.stats.recordError(key);
      const [code, status] =
        verdict.kind === "deny"
          ? ["AccessDeniedException", 400]
          : [verdict.code ?? "InternalServerError", verdict.status ?? 500];
      response.writeHead(status, { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": code });
      response.end(dynamoDbError(code, "Injected by the simulator's fault layer."));
      return;
    }
    this.dynamodb.forward(request, response);
  }

  private serviceFor(request: SimRequest, signingName: string | undefined): SimService | undefined {
    const target = request.headers["x-amz-target"];
    if (typeof target === "string" && target.startsWith("AWSEvents.")) return eventBridgeService;
    const bySignature = signingName ? BY_SIGNING_NAME[signingName] : undefined;
    if (bySignature) return bySignature;
    const version = new URLSearchParams(request.body).get("Version");
    if (version && BY_QUERY_VERSION[version]) return BY_QUERY_VERSION[version];
    if (request.path.startsWith("/clusters")) return eksService;
    return undefined;
  }

  private async control(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const route = `${request.method} ${url.pathname}`;
    const body = request.method === "POST" ? await readBody(request) : "";
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    switch (route) {
      case "GET /_sim/health":
        return this.json(response, 200, { ok: true, accountId: this.world.accountId, region: this.world.region });
      case "GET /_sim/events": {
        const after = Number(url.searchParams.get("after") ?? "0");
        const limit = Math.min(Number(url.searchParams.get("limit") ?? "10000"), 10000);
        if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1) {
          return this.json(response, 400, {
            error: { code: "BadRequest", message: "after and limit must be integers" },
          });
        }
        const page = this.world.events.read(after, url.searchParams.get("bus") ?? "default", limit);
        return this.json(response, 200, { events: page.events, cursor: String(page.cursor) });
      }
      case "GET /_sim/stats":
        return this.json(response, 200, this.stats.snapshot());
      case "DELETE /_sim/stats":
        this.stats.reset();
        return this.json(response, 200, this.stats.snapshot());
      case "GET /_sim/faults":
        return this.json(response, 200, this.world.faults.current);
      case "POST /_sim/faults":
        try {
          return this.json(response, 200, this.world.faults.configure(input));
        } catch (error) {
          return this.json(response, 400, { error: { code: "BadRequest", message: String(error) } });
        }
      case "POST /_sim/reset":
        this.reset();
        return this.json(response, 200, { ok: true });
      case "POST /_sim/clock": {
        const now =
          typeof input.advanceSeconds === "number"
            ? this.world.clock.advance(input.advanceSeconds)
            : typeof input.set === "string"
              ? this.world.clock.set(new Date(input.set))
              : this.world.clock.now();
        return this.json(response, 200, { now: now.toISOString() });
      }
      default:
        return this.json(response, 404, { error: { code: "NotFound", message: `no simulator route ${route}` } });
    }
  }

  private send(response: ServerResponse, answer: SimResponse): void {
    if (answer.status === 0 || response.destroyed) return;
    response.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
    response.end(answer.body);
  }

  private json(response: ServerResponse, status: number, value: unknown): void {
    const body = JSON.stringify(value);
    response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  }
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};
