import { readFileSync } from "node:fs";
import path from "node:path";
import { vi } from "vitest";
import { createDocument, type ElementNode } from "./admin-dom";

type Catalog = { [key: string]: string | Catalog };

function loadCatalog(localesDir: string, locale: string): Catalog {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(path.join(localesDir, file), "utf8")) as Catalog;
}

/**
 * Shopify's i18n.translate as an extension sees it: nested keys ("outcome.acted"), `{{name}}`
 * replacements, and `count` choosing the plural form (one / other) under the locale's rules;
 * the default locale (en) fills keys a locale lacks.
 */
export function translator(localesDir: string, locale: string) {
  const catalog = loadCatalog(localesDir, locale.split("-")[0]!);
  const fallback = loadCatalog(localesDir, "en");
  const lookup = (c: Catalog, key: string) =>
    key
      .split(".")
      .reduce<string | Catalog | undefined>(
        (node, part) => (typeof node === "object" ? node[part] : undefined),
        c,
      );
  return (key: string, options: Record<string, unknown> = {}): string => {
    let entry = lookup(catalog, key) ?? lookup(fallback, key);
    if (entry && typeof entry === "object" && typeof options.count === "number") {
      const form = new Intl.PluralRules(locale).select(options.count);
      entry = entry[form] ?? entry.other;
    }
    if (typeof entry !== "string") return key;
    return entry.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
      name in options ? String(options[name]) : whole,
    );
  };
}

export interface BlockApiOptions {
  /** The extension's locales/ folder (en.default.json, fr.json…). */
  localesDir: string;
  target: string;
  selectedId: string;
  locale?: string;
}

/** The block API (data, i18n, auth, query, pickers, navigation), every call recorded. */
export function blockApi(options: BlockApiOptions) {
  const locale = options.locale ?? "en";
  return {
    extension: { target: options.target },
    data: { selected: [{ id: options.selectedId }] },
    i18n: {
      translate: translator(options.localesDir, locale),
      formatNumber: (n: number | bigint, o?: Intl.NumberFormatOptions) =>
        new Intl.NumberFormat(locale, o).format(n),
      formatCurrency: (n: number | bigint, o?: Intl.NumberFormatOptions) =>
        new Intl.NumberFormat(locale, { style: "currency", currency: "USD", ...o }).format(n),
      formatDate: (d: Date, o?: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...o }).format(d),
    },
    auth: { idToken: vi.fn(async () => "id-token") },
    intents: {},
    query: vi.fn(async () => ({ data: undefined })),
    resourcePicker: vi.fn(async (_options: unknown): Promise<unknown> => undefined),
    picker: vi.fn(),
    navigation: { navigate: vi.fn() },
  };
}

/**
 * Runs an extension's entry as the admin does from 2025-10 on: the block API is the global
 * `shopify`, and the module's default export renders into `document.body`. Returns that body.
 */
export async function mountBlock(
  entry: () => Promise<{ default: () => unknown }>,
  api: unknown,
): Promise<ElementNode> {
  const document = createDocument();
  vi.stubGlobal("document", document);
  vi.stubGlobal("shopify", api);
  await (await entry()).default();
  return document.body;
}
