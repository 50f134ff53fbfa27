import { describe, expect, it } from "vitest";
import { mergeRestricted } from "../../../core/decide/lbc-restricted-merge.ts";

describe("mergeRestricted (the LBC's restricted mode)", () => {
  it("merges every port per endpoint group, protocol and source into min..max", () => {
    const permissions = [
      { groupId: "sg-pod", sourceGroupId: "sg-backend", protocol: "tcp", port: 8080 },
      { groupId: "sg-pod", sourceGroupId: "sg-backend", protocol: "tcp", port: 9090 },
      { groupId: "sg-pod", sourceGroupId: "sg-backend", protocol: "tcp", port: 8443 },
    ];

    const rules = mergeRestricted(permissions);

    expect(rules).toEqual([
      { groupId: "sg-pod", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 8080, toPort: 9090 },
    ]);
  });

  it("keeps protocols, sources and endpoint groups apart", () => {
    const permissions = [
      { groupId: "sg-b", sourceGroupId: "sg-backend", protocol: "tcp", port: 80 },
      { groupId: "sg-a", sourceGroupId: "sg-backend", protocol: "udp", port: 53 },
      { groupId: "sg-a", sourceGroupId: "sg-backend", protocol: "tcp", port: 53 },
      { groupId: "sg-a", sourceGroupId: "sg-lb", protocol: "tcp", port: 443 },
    ];

    const rules = mergeRestricted(permissions);

    expect(rules).toEqual([
      { groupId: "sg-a", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 53, toPort: 53 },
      { groupId: "sg-a", protocol: "tcp", sourceGroupId: "sg-lb", fromPort: 443, toPort: 443 },
      { groupId: "sg-a", protocol: "udp", sourceGroupId: "sg-backend", fromPort: 53, toPort: 53 },
      { groupId: "sg-b", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 80, toPort: 80 },
    ]);
  });

  it("opens every port when a permission has port 0, as the LBC does", () => {
    const permissions = [
      { groupId: "sg-a", sourceGroupId: "sg-backend", protocol: "tcp", port: 8080 },
      { groupId: "sg-a", sourceGroupId: "sg-backend", protocol: "tcp", port: 0 },
    ];

    const rules = mergeRestricted(permissions);

    expect(rules).toEqual([
      { groupId: "sg-a", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 0, toPort: 65535 },
    ]);
  });
});
