/**
 * Browser side of the sandbox's Admin UI extension host (bundled with each extension by
 * sandbox/admin/extension-bundles.ts). It plays the part Shopify Admin plays for a block
 * extension from 2025-10 on: the block API is the global `shopify` (data.selected, i18n, query,
 * resourcePicker, auth), and the extension's `fetch` to a relative URL goes to the app with
 * `Authorization: Bearer <session token>` — here through the sandbox Admin's
 * /sandbox/extension-api/ pass-through, since the extension runs on the sandbox's origin.
 */

export type Catalog = { [key: string]: string | Catalog };

export interface HostConfig {
  /** The extension's target, e.g. admin.order-details.block.render. */
  target: string;
  /** The resource the page shows: gid://shopify/Order/… or gid://shopify/Product/…. */
  selectedId: string;
  locale: string;
  /** The shop's IANA time zone: dates show in shop time. */
  timeZone: string;
  currency: string;
  /** The extension's locales: `en` (en.default.json) and the page's locale, if it has one. */
  messages: Catalog;
  fallbackMessages: Catalog;
  /** The app's public URL (relative extension fetches go there). */
  appUrl: string;
  /** Sandbox Admin paths. */
  apiBase: string;
  tokenUrl: string;
  graphqlUrl: string;
  /** Where `app://<path>` links go: the sandbox Admin page of the app. */
  appAdminBase: string;
}

function lookup(catalog: Catalog, key: string): string | Catalog | undefined {
  return key
    .split(".")
    .reduce<string | Catalog | undefined>(
      (node, part) => (typeof node === "object" ? node[part] : undefined),
      catalog,
    );
}

/**
 * Shopify's i18n.translate as an extension sees it: nested keys ("outcome.acted"), `{{name}}`
 * replacements, `count` choosing the plural form under the locale's rules, and the default
 * locale filling keys a locale lacks; an unknown key comes back as itself.
 */
export function translator(locale: string, messages: Catalog, fallback: Catalog) {
  return (key: string, options: Record<string, unknown> = {}): string => {
    let entry = lookup(messages, key) ?? lookup(fallback, key);
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

/**
 * Where an extension's fetch goes: a relative URL or one on the app's origin goes to the app
 * (through the sandbox's pass-through, with the session token); anything else is left alone
 * (null).
 */
export function appRequestPath(url: string, appUrl: string, pageOrigin: string): string | null {
  const app = new URL(appUrl);
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  let parsed: URL;
  try {
    parsed = new URL(url, pageOrigin);
  } catch {
    return null;
  }
  if (parsed.origin === app.origin) return parsed.pathname + parsed.search;
  return null;
}

/** `app://app/activity` → the sandbox Admin page showing that app path; other links unchanged. */
export function linkHref(href: string, appAdminBase: string): string {
  const match = /^app:(?:\/\/)?\/?(.*)$/.exec(href);
  return match ? `${appAdminBase}/${match[1]}` : href;
}

export interface PickerVariant {
  id: string;
  title: string;
  displayName: string;
}

/** The variants whose name contains every word of `search` (case-insensitive), in catalog order. */
export function matchVariants(variants: PickerVariant[], search: string): PickerVariant[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return variants.filter((v) => words.every((w) => v.displayName.toLowerCase().includes(w)));
}

export interface HostDeps {
  /** The browser's own fetch: the host's calls to the sandbox are never routed to the app. */
  nativeFetch: typeof fetch;
  /** The frame's origin (relative URLs resolve against it). */
  pageOrigin: string;
  resourcePicker: (options: { type: string; multiple?: boolean }) => Promise<unknown>;
  /** Opens a URL in the whole window (Admin's navigation). */
  navigate: (url: string) => void;
}

/**
 * The block API an extension gets as `shopify`, and the `fetch` it gets: its requests to the
 * app (relative URLs, or the app's origin) carry the session token and go through the sandbox
 * Admin's pass-through; everything else goes out as it is.
 */
export function createHost(config: HostConfig, deps: HostDeps) {
  const { nativeFetch } = deps;
  const { locale, timeZone } = config;
  let token: { token: string; expiresAt: number } | null = null;
  const idToken = async (): Promise<string> => {
    if (token && token.expiresAt - Date.now() > 10_000) return token.token;
    const response = await nativeFetch(config.tokenUrl, { cache: "no-store" });
    if (!response.ok) throw new Error(`session token: HTTP ${response.status}`);
    token = (await response.json()) as { token: string; expiresAt: number };
    return token.token;
  };
  const api = {
    extension: { target: config.target },
    data: { selected: [{ id: config.selectedId }] },
    i18n: {
      translate: translator(locale, config.messages, config.fallbackMessages),
      formatNumber: (n: number | bigint, o?: Intl.NumberFormatOptions) =>
        new Intl.NumberFormat(locale, o).format(n),
      formatCurrency: (n: number | bigint, o?: Intl.NumberFormatOptions) =>
        new Intl.NumberFormat(locale, {
          style: "currency",
          currency: config.currency,
          ...o,
        }).format(n),
      formatDate: (d: Date, o?: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat(locale, { timeZone, ...o }).format(d),
    },
    auth: { idToken },
    intents: {},
    navigation: { navigate: (to: string) => deps.navigate(linkHref(to, config.appAdminBase)) },
    /** Admin GraphQL as the app, like Admin's `shopify.query`. */
    query: async (query: string, options: { variables?: Record<string, unknown> } = {}) => {
      const response = await nativeFetch(config.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables: options.variables ?? {} }),
      });
      return (await response.json()) as unknown;
    },
    resourcePicker: deps.resourcePicker,
    picker: () => Promise.reject(new Error("The sandbox has no generic picker.")),
  };
  const routedFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const path = appRequestPath(url, config.appUrl, deps.pageOrigin);
    if (path === null) return nativeFetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${await idToken()}`);
    return nativeFetch(`${config.apiBase}${path}`, { ...init, headers });
  };
  return { api, fetch: routedFetch };
}
