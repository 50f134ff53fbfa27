/** Escape text for an XML element body or attribute. */
export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);

/** An XML value: scalars become text, arrays become repeated `item`/`member` children, objects nest. */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlValue[] | { [key: string]: XmlValue };

/**
 * Serialize a value as XML children. `listItem` is the element name of list entries:
 * `item` for EC2's ec2Query protocol, `member` for awsQuery services (ELBv2, STS).
 * Undefined and null are omitted, exactly as AWS omits absent members.
 */
export const toXml = (value: XmlValue, listItem: "item" | "member"): string => {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value.map((entry) => `<${listItem}>${toXml(entry, listItem)}</${listItem}>`).join("");
  }
  if (typeof value === "object") {
    let out = "";
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out += `<${key}>${toXml(child, listItem)}</${key}>`;
    }
    return out;
  }
  return escapeXml(String(value));
};
