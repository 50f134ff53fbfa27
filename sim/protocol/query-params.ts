import { invalidParameterValue, missingParameter } from "./sim-error.ts";

/**
 * The flat parameters of an awsQuery / ec2Query request (`Filter.1.Value.2=x`), with readers for
 * the numbered list and structure encodings both protocols use.
 */
export class QueryParams {
  private readonly values: Map<string, string>;

  public constructor(values: Map<string, string>) {
    this.values = values;
  }

  public static parse(body: string): QueryParams {
    return new QueryParams(new Map(new URLSearchParams(body)));
  }

  public get action(): string {
    return this.values.get("Action") ?? "";
  }

  public get version(): string {
    return this.values.get("Version") ?? "";
  }

  public get(name: string): string | undefined {
    return this.values.get(name);
  }

  public required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined || value === "") throw missingParameter(name);
    return value;
  }

  public int(name: string): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value)) throw invalidParameterValue(`Value (${raw}) for parameter ${name} is invalid.`);
    return value;
  }

  public bool(name: string): boolean | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    return raw.toLowerCase() === "true";
  }

  /** Scalar list `Name.1`, `Name.2`, … (EC2 encodes e.g. `NetworkInterfaceId.1`). */
  public list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.values.get(`${name}.${i}`);
      if (value === undefined) return out;
      out.push(value);
    }
  }

  /** awsQuery scalar list `Name.member.1`, … (ELBv2 encodes lists this way). */
  public memberList(name: string): string[] {
    return this.list(`${name}.member`);
  }

  /** Structure list `Name.1.Field`, … as one QueryParams per element, with the prefix removed. */
  public structList(name: string): QueryParams[] {
    const out: QueryParams[] = [];
    for (let i = 1; ; i++) {
      const element = this.struct(`${name}.${i}`);
      if (element.values.size === 0) return out;
      out.push(element);
    }
  }

  /** The nested structure under `Name.`, with the prefix removed. */
  public struct(name: string): QueryParams {
    const prefix = `${name}.`;
    const inner = new Map<string, string>();
    for (const [key, value] of this.values) {
      if (key.startsWith(prefix)) inner.set(key.slice(prefix.length), value);
    }
    return new QueryParams(inner);
  }

  /** All parameters except the protocol envelope, for logs and CloudTrail fallbacks. */
  public entries(): [string, string][] {
    return [...this.values].filter(([key]) => key !== "Action" && key !== "Version");
  }
}
