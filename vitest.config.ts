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
    hookTimeout: 60_000,
    env: { TZ: "UTC" },
  },
});
