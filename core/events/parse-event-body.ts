import { MalformedEventError } from "./malformed-event-error.ts";

/** Parse an SQS message body into the EventBridge event it carries. @throws MalformedEventError */
export const parseEventBody = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new MalformedEventError(`message body is not JSON: ${(error as Error).message}`, { cause: error });
  }
};
