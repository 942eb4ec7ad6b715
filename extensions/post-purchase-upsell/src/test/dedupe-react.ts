import { createRequire, registerHooks } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * Every `import "react"` in this test process resolves to this extension's own React 17 — the
 * same thing the Shopify CLI's esbuild plugin ("shopify:deduplicate-react") does when it bundles
 * the extension. Without it, @remote-ui/react (hoisted to the root node_modules) would load its
 * own React copy and every hook would fail with "Invalid hook call".
 *
 * `react/jsx-runtime` is mapped too: React 17 has no package exports, so Node's ESM loader
 * cannot find the file the post-purchase package's ESM build imports without the extension
 * (bundlers can).
 *
 * Import this first, before anything that loads React.
 */
const require = createRequire(import.meta.url);
const ownReact: Record<string, string> = Object.fromEntries(
  ["react", "react/jsx-runtime", "react/jsx-dev-runtime"].map((specifier) => [
    specifier,
    pathToFileURL(require.resolve(specifier)).href,
  ]),
);

registerHooks({
  resolve(specifier, context, nextResolve) {
    const url = ownReact[specifier];
    if (url) return { url, format: "commonjs", shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
