import { vendorName } from "../utils/vendor-names";

/**
 * What the screens say about work held for an integration that is not connected
 * (held-work.server.ts). Pure: no server code, so screens and loaders share it.
 */

/**
 * Held work older than this is dropped, not delivered: a review request, a delay apology or a
 * VIP tag a week late does more harm than good, and the customer may have been contacted since.
 */
export const HELD_MAX_AGE_DAYS = 7;

/** "A", "A and B", "A, B and C". */
export function listOf(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** What disconnecting `vendor` stops, for the confirmation the Integrations card asks. */
export function disconnectWarning(
  vendor: string,
  enabled: readonly { title: string; requires: readonly string[] }[],
): string {
  const name = vendorName(vendor);
  const stopping = enabled.filter((r) => r.requires.includes(vendor)).map((r) => r.title);
  const key = `Switchboard deletes the key; you can connect ${name} again at any time.`;
  if (stopping.length === 0) return `No switched-on recipe needs ${name}. ${key}`;
  return `${listOf(stopping)} will stop sending to ${name}. What ${stopping.length === 1 ? "it decides" : "they decide"} meanwhile waits and is sent when you reconnect ${name}; anything that waits more than ${HELD_MAX_AGE_DAYS} days is dropped instead of sent late. ${key}`;
}

/** After connecting: what became of the work that waited (empty when nothing waited). */
export function releasedSentence(
  vendor: string,
  released: { delivered: number; dropped: number },
): string {
  const name = vendorName(vendor);
  const parts = [
    released.delivered > 0
      ? `${released.delivered} action${released.delivered === 1 ? " that waited is" : "s that waited are"} being sent to ${name} now`
      : null,
    released.dropped > 0
      ? `${released.dropped} that waited more than ${HELD_MAX_AGE_DAYS} days ${released.dropped === 1 ? "was" : "were"} dropped`
      : null,
  ].filter(Boolean);
  return parts.length ? ` ${parts.join("; ")}.` : "";
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
): string {
  const missing = vendors.filter((v) => !connected.has(v));
  if (missing.length === 0) return "";
  const names = listOf(missing.map(vendorName));
  const needing = recipes.filter((r) => r.requires.some((v) => missing.includes(v))).length;
  const verb = missing.length === 1 ? "is" : "are";
  const pronoun = missing.length === 1 ? "it" : "one of them";
  if (needing === 0) return `${names} ${verb} not connected; no recipe needs ${pronoun}.`;
  return `${names} ${verb} not connected; ${needing} of the ${recipes.length} recipes need ${pronoun}.`;
}
