import type { SimIdentity } from "../control/identities.ts";
import { QueryParams } from "../protocol/query-params.ts";
import { SimError } from "../protocol/sim-error.ts";
import { toXml, type XmlValue } from "../protocol/xml.ts";
import type { SimWorld } from "../world.ts";
import type { RoutedCall, SimRequest, SimResponse, SimService } from "./sim-service.ts";

export interface QueryActionContext {
  readonly params: QueryParams;
  readonly caller: SimIdentity;
  readonly world: SimWorld;
  readonly requestId: string;
}

export interface QueryActionOutput {
  /** The answer's members, serialized in order under the response (EC2) or `<ActionResult>` (awsQuery). */
  readonly result: Record<string, XmlValue>;
  /** CloudTrail `responseElements` of a mutation (null when omitted, as for many EC2 calls). */
  readonly responseElements?: unknown;
}

/** One action of a query-protocol service. */
export interface QueryAction {
  /** Mutations are recorded on the trail (EventBridge never receives read-only calls). */
  readonly mutating: boolean;
  /** CloudTrail `requestParameters` of this call, in CloudTrail's own shape. */
  requestParameters?(params: QueryParams): unknown;
  run(context: QueryActionContext): QueryActionOutput;
}

export interface QueryServiceOptions {
  readonly name: string;
  readonly protocol: "ec2Query" | "awsQuery";
  readonly xmlns: string;
  /** CloudTrail `eventSource`, e.g. `ec2.amazonaws.com`. */
  readonly eventSource: string;
  /** EventBridge `source` of its CloudTrail events, e.g. `aws.ec2`. */
  readonly eventBridgeSource: string;
  readonly actions: Readonly<Record<string, QueryAction>>;
  readonly throttleCode: string;
  readonly throttleStatus: number;
  readonly internalErrorCode: string;
  readonly denyCode: string;
}

/**
 * A service on the ec2Query (EC2) or awsQuery (ELBv2, STS) protocol: form-encoded `Action=…`
 * requests, XML answers, and the protocol's own error envelope.
 */
export class QueryService implements SimService {
  public readonly name: string;

  public constructor(private readonly options: QueryServiceOptions) {
    this.name = options.name;
  }

  public route(request: SimRequest): RoutedCall {
    const params = QueryParams.parse(request.body);
    const filteredOrPaged = params
      .entries()
      .some(([key]) => key.startsWith("Filter.") || key === "MaxResults" || /Id\.\d+$/.test(key));
    return { action: params.action, filteredOrPaged };
  }

  public handle(request: SimRequest, call: RoutedCall, world: SimWorld): SimResponse {
    const { actions, protocol } = this.options;
    const action = Object.hasOwn(actions, call.action) ? actions[call.action] : undefined;
    if (!action) {
      throw new SimError("InvalidAction", `The action ${call.action || "(none)"} is not valid for this web service.`);
    }
    const params = QueryParams.parse(request.body);
    if (protocol === "ec2Query" && params.bool("DryRun")) {
      throw new SimError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
    }
    const context = { params, caller: request.caller, world, requestId: request.requestId };
    let output: QueryActionOutput;
    try {
      output = action.run(context);
    } catch (error) {
      if (action.mutating && error instanceof SimError)
        this.recordTrail(context, call.action, action, undefined, error);
      throw error;
    }
    if (action.mutating) this.recordTrail(context, call.action, action, output.responseElements, undefined);
    return this.renderResult(call.action, output.result, request.requestId);
  }

  public renderError(error: SimError, requestId: string): SimResponse {
    const { code, message, status, type } = error;
    const body =
      this.options.protocol === "ec2Query"
        ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${toXml(message, "item")}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
        : `<ErrorResponse xmlns="${this.options.xmlns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${toXml(message, "member")}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status, headers: { "content-type": "text/xml;charset=UTF-8" }, body };
  }

  public throttleError(): SimError {
    return new SimError(this.options.throttleCode, "Request limit exceeded.", this.options.throttleStatus);
  }

  public internalError(code?: string, status?: number): SimError {
    return new SimError(code ?? this.options.internalErrorCode, "An internal error has occurred.", status ?? 500);
  }

  public denyError(action: string, caller: SimIdentity): SimError {
    return new SimError(
      this.options.denyCode,
      `You are not authorized to perform this operation. User: ${caller.arn} is not authorized to perform: ${this.name}:${action}`,
      403,
    );
  }

  private renderResult(action: string, result: Record<string, XmlValue>, requestId: string): SimResponse {
    const { protocol, xmlns } = this.options;
    const inner =
      protocol === "ec2Query"
        ? `<requestId>${requestId}</requestId>${toXml(result, "item")}`
        : `<${action}Result>${toXml(result, "member")}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
    return {
      status: 200,
      headers: { "content-type": "text/xml;charset=UTF-8" },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">${inner}</${action}Response>`,
    };
  }

  private recordTrail(
    context: QueryActionContext,
    eventName: string,
    action: QueryAction,
    responseElements: unknown,
    error: SimError | undefined,
  ): void {
    const isEc2 = this.options.protocol === "ec2Query";
    context.world.trail(this.options.eventBridgeSource, {
      eventSource: this.options.eventSource,
      eventName,
      caller: context.caller,
      requestParameters: action.requestParameters?.(context.params) ?? null,
      responseElements: error ? null : (responseElements ?? null),
      requestId: context.requestId,
      ...(error ? { errorCode: isEc2 ? `Client.${error.code}` : error.code, errorMessage: error.message } : {}),
    });
  }
}
