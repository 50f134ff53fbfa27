/**
 * An AWS-shaped error answered by the simulator: the code and HTTP status the real service uses,
 * so SDK clients raise the same typed exceptions (and apply the same retry rules) as against AWS.
 */
export class SimError extends Error {
  public readonly code: string;
  public readonly status: number;
  /** `Sender` (client fault) or `Receiver` (server fault), as awsQuery error bodies carry it. */
  public readonly type: "Sender" | "Receiver";

  public constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = "SimError";
    this.code = code;
    this.status = status;
    this.type = status >= 500 ? "Receiver" : "Sender";
  }
}

/** EC2's and ELBv2's answer to a malformed or missing parameter. */
export const missingParameter = (name: string): SimError =>
  new SimError("MissingParameter", `The request must contain the parameter ${name}`);

export const invalidParameterValue = (message: string): SimError => new SimError("InvalidParameterValue", message);
