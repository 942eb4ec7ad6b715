import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "data/**",
      "node_modules/**",
      "extensions/*/dist/**",
      "bench/results/**",
      "**/*.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "off",
    },
  },
  {
    // Time is an input: app code reads "now" from the runtime's clock (app/utils/clock.ts),
    // so tests and a server whose clock is off by seconds see one consistent time.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.test.{ts,tsx}", "app/utils/clock.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "Read now from the injected Clock (app/utils/clock.ts), not new Date().",
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message:
            "Read now from the injected Clock (app/utils/clock.ts); for durations use performance.now().",
        },
      ],
    },
  },
  {
    // One composition root (docs/decisions/013): only entry points, routes and the two HTTP
    // adapters reach the process runtime; everything else is handed what it needs. And a task is
    // enqueued by its contract (app/jobs/contracts.ts), never by importing its executor.
    files: ["app/**/*.{ts,tsx}"],
    ignores: [
      "app/**/*.test.{ts,tsx}",
      "app/routes/**",
      "app/entry.server.tsx",
      "app/boot.server.ts",
      "app/runtime.server.ts",
      "app/webhooks/handle-webhook.server.ts",
      "app/post-purchase/http.server.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)runtime\\.server$",
              message:
                "Only entry points, routes and the HTTP adapters use the runtime (docs/decisions/013); take what you need as a parameter.",
            },
            {
              regex: "jobs/tasks/(?!define-delivery-task)[^/]+\\.server$",
              message:
                "Enqueue by contract (app/jobs/contracts.ts), not by importing a task's executor.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly" },
    },
  },
);
