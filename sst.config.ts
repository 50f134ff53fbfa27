import type { SSTConfig } from "sst";
import { Branchkeeper } from "./stacks/branchkeeper-stack.ts";

/** One Branchkeeper per AWS account and region: the region comes from the CLI/profile, never from here. */
export default {
  config() {
    return { name: "branchkeeper" };
  },
  stacks(app) {
    app.stack(Branchkeeper);
  },
} satisfies SSTConfig;
