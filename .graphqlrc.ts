import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";

/**
 * Admin API types from the app's `#graphql` documents (ADR 017). The schema is the SDL in
 * reference/shopify (the same file the sandbox's Shopify fake validates against); the preset
 * would otherwise download one from shopify.dev, and there is no network in CI.
 */
const SCHEMA = "./reference/shopify/admin-2025-04.schema.graphql";
const DOCUMENTS = ["./app/**/*.{ts,tsx}", "!./app/**/*.test.{ts,tsx}", "!./app/types/**"];

const project = shopifyApiProject({
  apiType: ApiType.Admin,
  apiVersion: "2025-04",
  documents: DOCUMENTS,
  outputDir: "./app/types",
});

const generates = Object.fromEntries(
  Object.entries(project.extensions.codegen.generates)
    // The preset adds a download step (introspection to a JSON file) when its own copy is missing.
    .filter(([, output]) => !("plugins" in output && output.plugins?.includes("introspection")))
    .map(([file, output]) => [file, { ...output, schema: SCHEMA }]),
);

export default {
  schema: SCHEMA,
  documents: DOCUMENTS,
  projects: {
    default: {
      ...project,
      schema: SCHEMA,
      extensions: { codegen: { ...project.extensions.codegen, generates } },
    },
  },
};
