import type { Locale } from "../i18n/locale";
import type { TimelineTrigger } from "../shared/extension-contracts";

/**
 * What told the app to act, as a merchant says it in English and French: a Shopify webhook topic
 * ("orders/create" → "New order"), a helpdesk event ("gorgias/ticket-opened") or the app's own
 * schedule ("daily-scan", "follow-up:…"). One list for Activity's Webhooks tab
 * (app/routes/app.activity/lines.ts) and for the order-details block's triggers
 * (order-timeline.server.ts sends `trigger`, the block's locales word it the same way; a test
 * holds the two together). Pure: screens and loaders share it.
 */
export interface EventWords {
  en: string;
  fr: string;
  /** The key the order-details block words this by, when a recipe run can start from it. */
  trigger?: TimelineTrigger;
}

const WORDS = {
  "orders/create": { en: "New order", fr: "Nouvelle commande", trigger: "order-created" },
  "orders/updated": { en: "Order updated", fr: "Commande mise à jour", trigger: "order-updated" },
  "orders/edited": { en: "Order edited", fr: "Commande modifiée", trigger: "order-edited" },
  "orders/paid": { en: "Order paid", fr: "Commande payée", trigger: "order-paid" },
  "orders/fulfilled": { en: "Order fulfilled", fr: "Commande traitée", trigger: "order-fulfilled" },
  "fulfillments/create": {
    en: "Shipment created",
    fr: "Traitement créé",
    trigger: "fulfillment-created",
  },
  "fulfillments/update": {
    en: "Shipment updated",
    fr: "Traitement mis à jour",
    trigger: "fulfillment-updated",
  },
  "fulfillment_events/create": { en: "Parcel scan", fr: "Scan du colis", trigger: "parcel-scan" },
  "checkouts/create": {
    en: "Checkout started",
    fr: "Paiement commencé",
    trigger: "checkout-started",
  },
  "checkouts/update": {
    en: "Checkout updated",
    fr: "Paiement mis à jour",
    trigger: "checkout-updated",
  },
  "customers/update": {
    en: "Customer updated",
    fr: "Client mis à jour",
    trigger: "customer-updated",
  },
  "inventory_levels/update": {
    en: "Stock level changed",
    fr: "Niveau de stock modifié",
    trigger: "stock-changed",
  },
  "gorgias/ticket-opened": {
    en: "Gorgias ticket opened",
    fr: "Ticket Gorgias ouvert",
    trigger: "ticket-opened",
  },
  "gorgias/ticket-closed": {
    en: "Gorgias ticket closed",
    fr: "Ticket Gorgias fermé",
    trigger: "ticket-closed",
  },
  "daily-scan": { en: "Daily check", fr: "Vérification quotidienne", trigger: "daily-check" },
  "customers/data_request": { en: "Customer data request", fr: "Demande de données client" },
  "customers/redact": { en: "Customer erasure request", fr: "Demande d’effacement d’un client" },
  "shop/redact": {
    en: "Store data erasure request",
    fr: "Demande d’effacement des données de la boutique",
  },
  "app/uninstalled": { en: "App uninstalled", fr: "Application désinstallée" },
  "app/scopes_update": {
    en: "App permissions changed",
    fr: "Autorisations de l’application modifiées",
  },
  "app_subscriptions/update": { en: "Plan changed", fr: "Forfait modifié" },
  "bulk_operations/finish": { en: "History import finished", fr: "Import de l’historique terminé" },
} as const satisfies Record<string, EventWords>;

export const EVENT_WORDS: Readonly<Record<string, EventWords>> = WORDS;

// Every trigger but the two below comes from an event in the list: this stops compiling if one
// is added to the contract without its event.
type Listed = {
  [K in keyof typeof WORDS]: (typeof WORDS)[K] extends { trigger: infer T } ? T : never;
}[keyof typeof WORDS];
type OwnTrigger = "follow-up" | "shopify-update";
const everyTriggerListed: [Exclude<TimelineTrigger, Listed | OwnTrigger>] extends [never]
  ? true
  : false = true;
void everyTriggerListed;

/** Trigger labels that are not events of their own: a recipe's scheduled follow-up. */
const FOLLOW_UP_PREFIX = "follow-up:";

/** The words for each trigger the order-details block shows, as its locales must say them. */
export const TRIGGER_WORDS: Readonly<Record<TimelineTrigger, { en: string; fr: string }>> = {
  ...(Object.fromEntries(
    Object.values(EVENT_WORDS)
      .filter((w) => w.trigger)
      .map((w) => [w.trigger, { en: w.en, fr: w.fr }]),
  ) as Record<Listed, { en: string; fr: string }>),
  "follow-up": { en: "Scheduled follow-up", fr: "Suivi planifié" },
  "shopify-update": { en: "Update from Shopify", fr: "Mise à jour de Shopify" },
};

/** "New order" for "orders/create"; null for a label the list does not know. */
export function eventWords(label: string, locale: Locale = "en"): string | null {
  return Object.hasOwn(EVENT_WORDS, label) ? EVENT_WORDS[label]![locale] : null;
}

/** The block's key for what started a run, from the run's stored trigger label. */
export function timelineTrigger(label: string): TimelineTrigger {
  if (label.startsWith(FOLLOW_UP_PREFIX)) return "follow-up";
  return (
    (Object.hasOwn(EVENT_WORDS, label) ? EVENT_WORDS[label]!.trigger : undefined) ??
    "shopify-update"
  );
}
