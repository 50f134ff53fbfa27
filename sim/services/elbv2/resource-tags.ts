import { SimError } from "../../protocol/sim-error.ts";

/** ELBv2's quota of tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** The tags of every ELBv2 resource (load balancers, target groups, listeners), by ARN. */
export class ResourceTags {
  private readonly byArn = new Map<string, Map<string, string>>();

  /** Tags in the order they were first added, as ELBv2 lists them. */
  public of(arn: string): { Key: string; Value: string }[] {
    return [...(this.byArn.get(arn) ?? new Map<string, string>())].map(([Key, Value]) => ({ Key, Value }));
  }

  /** Add or overwrite tags; refused as a whole when the resource would exceed its quota. */
  public add(arn: string, tags: ReadonlyMap<string, string>): void {
    const current = this.byArn.get(arn) ?? new Map<string, string>();
    const added = [...tags.keys()].filter((key) => !current.has(key)).length;
    if (current.size + added > MAX_TAGS_PER_RESOURCE) {
      throw new SimError(
        "TooManyTags",
        `The quota for the number of tags that can be assigned to '${arn}' has been reached`,
      );
    }
    for (const [key, value] of tags) current.set(key, value);
    this.byArn.set(arn, current);
  }

  public remove(arn: string, keys: readonly string[]): void {
    const current = this.byArn.get(arn);
    for (const key of keys) current?.delete(key);
  }

  /** Forget a deleted resource's tags. */
  public drop(arn: string): void {
    this.byArn.delete(arn);
  }
}

/**
 * Tags from `Tags.member.N.{Key,Value}` pairs, refusing a key given twice (`DuplicateTagKeys`),
 * as ELBv2 does.
 */
export const tagMap = (tags: readonly { Key?: string; Value?: string }[]): Map<string, string> => {
  const out = new Map<string, string>();
  for (const { Key, Value } of tags) {
    if (Key === undefined || Key === "") throw new SimError("ValidationError", "A tag key must be specified");
    if (out.has(Key)) throw new SimError("DuplicateTagKeys", `Tag key '${Key}' specified more than once`);
    out.set(Key, Value ?? "");
  }
  return out;
};
