import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "app/**/*.test.{ts,tsx}",
      "tests/**/*.test.{ts,tsx}",
      "extensions/*/src/**/*.test.{ts,tsx}",
      "sandbox/**/*.test.ts",
    ],
    // `*.postgres.test.ts` files test PostgreSQL alone (a server's faults): they run where one
    // is configured, as every PostgreSQL suite does.
    exclude: [
      "node_modules/**",
      ...(process.env.TEST_DATABASE_URL ? [] : ["**/*.postgres.test.ts"]),
    ],
    setupFiles: ["tests/setup/setup-test-env.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: "UTC" },
  },
});
