import { configDefaults, defineConfig } from "vitest/config";

/** Tests that stage faults (killed processes, stopped servers): `pnpm test:faults`, vitest.faults.config.ts. */
export const FAULT_TESTS = ["tests/faults/**/*.test.ts", "apps/api/src/postgres-outage.test.ts"];

export default defineConfig({
  test: {
    include: [
      "apps/*/src/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "tests/**/*.test.ts",
      "apps/console/e2e/**/*.test.ts",
    ],
    exclude: [...configDefaults.exclude, ...FAULT_TESTS],
    globalSetup: ["./tests/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Polls wait for real Postgres/Redis/HTTP work; on a loaded CI machine 1 s (the default) is too tight.
    expect: { poll: { timeout: 5_000 } },
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
  },
});
