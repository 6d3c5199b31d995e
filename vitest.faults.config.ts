import { defineConfig } from "vitest/config";
import base, { FAULT_TESTS } from "./vitest.config.ts";

/**
 * The fault suite (`pnpm test:faults`, run by CI after `pnpm test`): processes killed, Redis and Postgres stopped,
 * Meta failing for a period — each test bounded, on loopback, counting end to end afterwards. Two files at a time
 * (the base config's maxWorkers): each runs a stack of several processes.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: FAULT_TESTS,
    exclude: ["**/node_modules/**"],
    testTimeout: 200_000,
    hookTimeout: 240_000,
  },
});
