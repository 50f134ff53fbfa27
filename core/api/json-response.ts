import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** An HTTP API (payload 2.0) result with a JSON body. */
export type JsonResponse = APIGatewayProxyStructuredResultV2 & {
  readonly statusCode: number;
  readonly body: string;
};

/**
 * A JSON answer. Status data changes with every pass, so no cache may keep it (`no-store`); IAM-signed
 * requests make shared caching moot anyway.
 */
export const jsonResponse = (
  statusCode: number,
  body: object,
  headers: Readonly<Record<string, string>> = {},
): JsonResponse => ({
  statusCode,
  headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  body: JSON.stringify(body),
});
