import type { Locale } from "../i18n/locale";
import { translator } from "../i18n/messages";
import { vendorName } from "../utils/vendor-names";
import { messages } from "./integration-copy.messages";

/**
 * What the screens say about work held for an integration that is not connected
 * (held-work.server.ts). Pure: no server code, so screens and loaders share it.
 */

/**
 * Held work older than this is dropped, not delivered: a review request, a delay apology or a
 * VIP tag a week late does more harm than good, and the customer may have been contacted since.
 */
export const HELD_MAX_AGE_DAYS = 7;

/** "A", "A and B", "A, B and C" ("A, B et C" in French). */
export function listOf(items: readonly string[], locale: Locale = "en"): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")}${translator(messages, locale)("and")}${items[items.length - 1]}`;
}

/** What disconnecting `vendor` stops, for the confirmation the Integrations card asks. */
export function disconnectWarning(
  vendor: string,
  enabled: readonly { title: string; requires: readonly string[] }[],
  locale: Locale = "en",
): string {
  const t = translator(messages, locale);
  const name = vendorName(vendor);
  const stopping = enabled.filter((r) => r.requires.includes(vendor)).map((r) => r.title);
  const key = t("key", { name });
  if (stopping.length === 0) return t("noneNeeds", { name, key });
  return t("stopping", {
    count: stopping.length,
    recipes: listOf(stopping, locale),
    name,
    days: HELD_MAX_AGE_DAYS,
    key,
  });
}

/** After connecting: what became of the work that waited (empty when nothing waited). */
export function releasedSentence(
  vendor: string,
  released: { delivered: number; dropped: number },
  locale: Locale = "en",
): string {
  const t = translator(messages, locale);
  const name = vendorName(vendor);
  const parts = [
    released.delivered > 0 ? t("delivered", { count: released.delivered, name }) : null,
    released.dropped > 0
      ? t("dropped", { count: released.dropped, days: HELD_MAX_AGE_DAYS })
      : null,
  ].filter(Boolean);
  return parts.length ? ` ${parts.join(locale === "fr" ? " ; " : "; ")}.` : "";
}

/**
 * Home's "Connect your tools" sentence, counted from the recipes that need each integration
 * that is not connected ("Klaviyo is not connected; 7 of the 10 recipes need it."); empty when
 * everything is connected.
 */
export function connectToolsSentence(
  recipes: readonly { requires: readonly string[] }[],
  connected: ReadonlySet<string>,
  vendors: readonly string[] = ["klaviyo", "gorgias"],
  locale: Locale = "en",
): string {
  const t = translator(messages, locale);
  const missing = vendors.filter((v) => !connected.has(v));
  if (missing.length === 0) return "";
  const names = listOf(missing.map(vendorName), locale);
  const needing = recipes.filter((r) => r.requires.some((v) => missing.includes(v))).length;
  const one = missing.length === 1;
  const head = t(one ? "notConnectedOne" : "notConnectedMany", { names });
  if (needing === 0) return head + t(one ? "noRecipeOne" : "noRecipeMany");
  return head + t(one ? "needingOne" : "needingMany", { count: needing, total: recipes.length });
}

type HeldReason = "heldWaiting" | "heldDropped";

/**
 * The reasons held work is stored with, in English as every stored reason is ("Waiting for
 * Klaviyo to be connected", "Dropped: waited more than 7 days for Klaviyo to be connected").
 */
export function storedHeldReason(kind: HeldReason, vendor: string): string {
  return translator(messages, "en")(kind, { name: vendorName(vendor), days: HELD_MAX_AGE_DAYS });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const storedPatterns = (["heldWaiting", "heldDropped"] as const).map((kind) => ({
  kind,
  pattern: new RegExp(
    `^${escapeRegExp(messages.en[kind])
      .replace("\\{name\\}", "(?<name>.+?)")
      .replace("\\{days\\}", "(?<days>\\d+)")}$`,
  ),
}));

/**
 * A stored held-work reason in the admin's language, for display (the row keeps its English
 * reason); null when `reason` is not one of them.
 */
export function heldReasonText(reason: string, locale: Locale): string | null {
  for (const { kind, pattern } of storedPatterns) {
    const match = pattern.exec(reason);
    if (!match) continue;
    const { name = "", days } = match.groups ?? {};
    return translator(messages, locale)(kind, {
      name,
      days: days === undefined ? HELD_MAX_AGE_DAYS : Number(days),
    });
  }
  return null;
}
