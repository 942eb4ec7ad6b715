import { toLocale, type Locale } from "./locale";

/**
 * The admin's language for this request. Shopify Admin opens the app with `?locale=` (the staff
 * member's admin language) and the app keeps that parameter on every in-app link and form
 * (app/components/useAppPath.ts); a request without it (the login page, a direct visit) reads the
 * browser's Accept-Language, then English.
 */
export function requestLocale(request: Request): Locale {
  const fromAdmin = new URL(request.url).searchParams.get("locale");
  if (fromAdmin) return toLocale(fromAdmin);
  const accepted = request.headers.get("accept-language")?.split(",")[0];
  return toLocale(accepted);
}
