import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Catalog } from "./extension-host/host";

/**
 * The app's Admin UI block extensions as the sandbox Admin runs them: each extension's own
 * source (the module its shopify.extension.toml names for its target), bundled for the browser
 * with esbuild at first use (no network), after the sandbox's host
 * (sandbox/admin/extension-host/), and its translations from locales/.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type AdminResource = "Order" | "Product";

export interface AdminBlockExtension {
  handle: string;
  /** The extension's name in shopify.extension.toml. */
  name: string;
  target: string;
  /** Its module, relative to the extension's folder. */
  module: string;
  resource: AdminResource;
}

const TARGET_RESOURCE: Record<string, AdminResource> = {
  "admin.order-details.block.render": "Order",
  "admin.product-details.block.render": "Product",
};

/** The block extensions the sandbox shows, read from their shopify.extension.toml. */
export const ADMIN_BLOCK_HANDLES = [
  "order-automation-timeline",
  "product-upsell-settings",
] as const;

/** Reads the fields the sandbox needs from an extension's TOML (one targeting block). */
export function parseExtensionToml(handle: string, toml: string): AdminBlockExtension {
  const field = (name: string) => {
    const match = new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m").exec(toml);
    if (!match) throw new Error(`extensions/${handle}/shopify.extension.toml has no ${name}`);
    return match[1]!;
  };
  const target = field("target");
  const resource = TARGET_RESOURCE[target];
  if (!resource) throw new Error(`the sandbox does not host ${target}`);
  return { handle, name: field("name"), target, module: field("module"), resource };
}

export function adminBlockExtensions(root = ROOT): AdminBlockExtension[] {
  return ADMIN_BLOCK_HANDLES.map((handle) =>
    parseExtensionToml(
      handle,
      readFileSync(path.join(root, "extensions", handle, "shopify.extension.toml"), "utf8"),
    ),
  );
}

type Messages = Catalog;

/** The extension's translations: the default (en) and `locale`'s, when it has them. */
export function extensionMessages(
  handle: string,
  locale: string,
  root = ROOT,
): { messages: Messages; fallbackMessages: Messages } {
  const dir = path.join(root, "extensions", handle, "locales");
  const read = (file: string) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Messages;
  const fallbackMessages = read("en.default.json");
  const language = locale.split("-")[0]!;
  let messages = fallbackMessages;
  if (language !== "en") {
    try {
      messages = read(`${language}.json`);
    } catch {
      messages = fallbackMessages;
    }
  }
  return { messages, fallbackMessages };
}

/** One browser module: the host starts, then the extension's default export mounts. */
export async function bundleExtension(
  extension: AdminBlockExtension,
  root = ROOT,
): Promise<string> {
  const hostEntry = path.join(root, "sandbox/admin/extension-host/entry.ts");
  const module = path.join(root, "extensions", extension.handle, extension.module);
  const result = await build({
    stdin: {
      contents: [
        `import { startHost } from ${JSON.stringify(hostEntry)};`,
        `import extension from ${JSON.stringify(module)};`,
        `startHost();`,
        `void extension();`,
      ].join("\n"),
      resolveDir: root,
      sourcefile: `sandbox-${extension.handle}.ts`,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    sourcemap: "inline",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
