import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The soak test forces a GC between heap samples, so its memory figure does not depend on load.
    execArgv: ["--expose-gc"],
    coverage: {
      provider: "v8",
      include: ["core/**", "functions/**", "cli/**", "sim/**"],
    },
  },
});
