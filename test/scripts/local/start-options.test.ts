import { describe, expect, it } from "vitest";
import { parseStartCommand, StartUsageError } from "../../../scripts/local/start-options.ts";

describe("npm start's options", () => {
  it("keeps the contract's defaults: dry-run, a 600 s grace, the usual ports", () => {
    const { options, json } = parseStartCommand([], {});

    expect(json).toBe(false);
    expect(options).toMatchObject({
      once: false,
      mode: "dry-run",
      graceSeconds: 600,
      sweepEverySeconds: 60,
      port: 4566,
      apiPort: 8787,
    });
  });

  it("takes flags over variables, and passes the other Lambda variables through", () => {
    const { options } = parseStartCommand(["--once", "--json", "--mode", "enforce", "--grace", "5"], {
      MODE: "dry-run",
      LEAK_GRACE_SECONDS: "900",
      SIM_PORT: "0",
      API_PORT: "9999",
      RETAG: "enforce",
      HOME: "/root",
    });

    expect(options).toMatchObject({ once: true, mode: "enforce", graceSeconds: 5, port: 0, apiPort: 9999 });
    expect(options.environment).toEqual({ RETAG: "enforce" });
  });

  it("refuses what it cannot use, naming the argument", () => {
    expect(() => parseStartCommand(["--mode", "yolo"], {})).toThrow(/--mode must be dry-run or enforce/);
    expect(() => parseStartCommand([], { MODE: "on" })).toThrow(/MODE must be/);
    expect(() => parseStartCommand(["--grace", "soon"], {})).toThrow(/--grace must be a whole number/);
    expect(() => parseStartCommand([], { SIM_PORT: "70000" })).toThrow(/SIM_PORT/);
    expect(() => parseStartCommand(["--wat"], {})).toThrow(StartUsageError);
  });
});
