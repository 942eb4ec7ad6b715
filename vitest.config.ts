import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "app/**/*.test.{ts,tsx}",
      "db/**/*.test.ts",
      "tests/**/*.test.{ts,tsx}",
      "extensions/*/src/**/*.test.{ts,tsx}",
      "sandbox/**/*.test.ts",
    ],
    exclude: ["node_modules/**"],
    setupFiles: ["tests/setup/setup-test-env.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    // CI only: a test that fails and then passes is reported as flaky, not hidden. Two suites are
    // known to flake under load (low-stock-promo-pause and the 30 % fault test on PostgreSQL:
    // late deliveries from an earlier test reach the shared vendor fakes); see the issue notes.
    retry: process.env.CI ? 2 : 0,
    hookTimeout: 60_000,
    env: { TZ: "UTC" },
  },
});
