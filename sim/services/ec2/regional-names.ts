import { invalidParameterValue } from "../../protocol/sim-error.ts";

const ZONE_LETTERS = ["a", "b", "c", "d", "e", "f"];

/** Short region codes as AWS uses them in zone ids (`us-east-1` → `use1`, `ap-southeast-1` → `apse1`). */
const DIRECTION_CODES: Readonly<Record<string, string>> = {
  east: "e",
  west: "w",
  north: "n",
  south: "s",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/** The zones the simulated region offers (`<region>a` to `<region>f`). */
export const availabilityZonesOf = (region: string): string[] => ZONE_LETTERS.map((letter) => `${region}${letter}`);

/** The zone id of a zone name (`us-east-1a` → `use1-az1`); AWS shuffles these per account, we do not. */
export const availabilityZoneId = (region: string, zone: string): string => {
  const [area = "", direction = "", number = ""] = region.split("-");
  const index = ZONE_LETTERS.indexOf(zone.slice(region.length)) + 1;
  return `${area}${DIRECTION_CODES[direction] ?? direction.charAt(0)}${number}-az${index}`;
};

/** Check a requested zone belongs to the region, with EC2's wording when it does not. */
export const requireZone = (region: string, zone: string): string => {
  const zones = availabilityZonesOf(region);
  if (!zones.includes(zone)) {
    throw invalidParameterValue(
      `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(", ")}.`,
    );
  }
  return zone;
};

/** EC2's private DNS name of an address (`ip-10-0-1-5.ec2.internal` in us-east-1, `….<region>.compute.internal` elsewhere). */
export const privateDnsName = (region: string, ip: string): string =>
  `ip-${ip.replaceAll(".", "-")}.${region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`}`;
