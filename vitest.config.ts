import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "apps/*/src/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "tests/**/*.test.ts",
      "apps/console/e2e/**/*.test.ts",
    ],
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
