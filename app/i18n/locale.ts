/**
 * The languages the admin speaks. Shopify opens an embedded app with `?locale=` set to the staff
 * member's admin language (e.g. "fr", "fr-CA", "en-US"); anything we do not translate reads in
 * English.
 */
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** "fr-CA" → "fr"; unknown, empty or missing → "en". */
export function toLocale(value: string | null | undefined): Locale {
  const language = (value ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(language) ? (language as Locale) : DEFAULT_LOCALE;
}

/** The BCP 47 tag for Intl formatters (numbers, money, dates) in this locale. */
export function intlLocale(locale: Locale): string {
  return locale === "fr" ? "fr-FR" : "en-US";
}
