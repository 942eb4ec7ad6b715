import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:e2e`: only the browser tests (they also run inside `npm test`).
export default mergeConfig(base, defineConfig({ test: { include: ["tests/e2e/**/*.test.ts"] } }));
