import { useLocation } from "@remix-run/react";
import { useCallback } from "react";

/** Query parameters Shopify Admin puts on the app's URL; they carry the session without App Bridge. */
export const APP_PARAMS = [
  "embedded",
  "shop",
  "host",
  "id_token",
  "locale",
  "session",
  "timestamp",
  "hmac",
];

/** `to` with the current page's Shopify parameters kept (its own parameters win). */
export function withAppParams(to: string, currentSearch: string): string {
  const [path, query = ""] = to.split("?");
  const next = new URLSearchParams(query);
  const current = new URLSearchParams(currentSearch);
  for (const name of APP_PARAMS) {
    const value = current.get(name);
    if (value !== null && !next.has(name)) next.set(name, value);
  }
  const search = next.toString();
  return search ? `${path}?${search}` : path!;
}

/**
 * Links inside the embedded app. In Admin, App Bridge authenticates every request; when it
 * cannot load, the session travels in the URL, so in-app links must keep those parameters.
 */
export function useAppPath(): (to: string) => string {
  const { search } = useLocation();
  return useCallback((to: string) => withAppParams(to, search), [search]);
}
