import type { Locale } from "../../i18n/locale";
import { defineMessages, translator } from "../../i18n/messages";
import { deliveryLine, type LineDelivery } from "../../models/activity-lines";
import { eventWords } from "../../models/event-words";
import { vendorName } from "../../utils/vendor-names";
import { plainFailure } from "../../models/vendor-failure";

/**
 * The Webhooks tab's and the failed-jobs panel's sentences (runs and deliveries have theirs in
 * app/models/activity-lines.ts; what each webhook topic is, app/models/event-words.ts). Topics and
 * task names stay in the technical details.
 */

const messages = defineMessages({
  en: {
    shopifyUpdate: "Update from Shopify ({topic})",
    backgroundJob: "A background job did not finish",
    taskDidNotFinish: "{task} did not finish",
    refusedBy: "{who} refused it: {error}",
    cannotBeDone: "It cannot be done as it is: {error}",
    keptFailingBy: "{who} kept failing, so it stopped after {count} tries: {error}",
    keptFailing: "It kept failing, so it stopped after {count} tries: {error}",
  },
  fr: {
    shopifyUpdate: "Mise à jour de Shopify ({topic})",
    backgroundJob: "Une tâche en arrière-plan n’a pas abouti",
    taskDidNotFinish: "{task} : n’a pas abouti",
    refusedBy: "{who} l’a refusé : {error}",
    cannotBeDone: "Impossible de le faire tel quel : {error}",
    keptFailingBy: "{who} a échoué à chaque fois, arrêt après {count} essais : {error}",
    keptFailing: "Échec à chaque fois, arrêt après {count} essais : {error}",
  },
});

/** "New order #1042", "Parcel scan": what Shopify told the app, without its ids. */
export function webhookLine(
  event: { topic: string; resourceName: string | null },
  locale: Locale = "en",
): string {
  const what =
    eventWords(event.topic, locale) ??
    translator(messages, locale)("shopifyUpdate", { topic: event.topic });
  return event.resourceName ? `${what} ${event.resourceName}` : what;
}

const TASKS: Record<string, { en: string; fr: string }> = {
  "process-webhook": {
    en: "Reading an update from Shopify",
    fr: "Lecture d’une mise à jour de Shopify",
  },
  "run-recipes": {
    en: "Running recipes on an event",
    fr: "Exécution des recettes sur un événement",
  },
  "sync-inventory-item": {
    en: "Checking a product's stock",
    fr: "Vérification du stock d’un produit",
  },
  "confirm-upsell-charge": {
    en: "Confirming a post-purchase offer's charge",
    fr: "Confirmation du paiement d’une offre après achat",
  },
  "import-gorgias-tickets": { en: "Importing Gorgias tickets", fr: "Import des tickets Gorgias" },
  "import-shopify-history": {
    en: "Importing your order history",
    fr: "Import de votre historique de commandes",
  },
  "sync-shop-details": {
    en: "Reading your store's details",
    fr: "Lecture des informations de votre boutique",
  },
  "reconcile-segments": { en: "Syncing Klaviyo lists", fr: "Synchronisation des listes Klaviyo" },
  "bill-upsell-fee": {
    en: "Billing the upsell fee",
    fr: "Facturation des frais de vente incitative",
  },
  "compute-gap-report": { en: "Computing the gap report", fr: "Calcul du rapport des lacunes" },
};

interface DeadLetterRow {
  task: string;
  error: string;
  errorKind: "terminal" | "exhausted";
  attempts: number;
  delivery: {
    vendor: string | null;
    operation: string | null;
    recipe: string | null;
    lastError: string | null;
    list: string | null;
    metric: string | null;
    tags: string[] | null;
    resource: string | null;
    customerName: string | null;
  } | null;
}

/** What failed ("Couldn't add Lena Park to the Klaviyo list VIP") and why, in plain words. */
export function deadLetterLine(
  letter: DeadLetterRow,
  locale: Locale = "en",
): { what: string; why: string } {
  const t = translator(messages, locale);
  const d = letter.delivery;
  const what =
    d?.operation && d.recipe && d.vendor
      ? deliveryLine(
          d.recipe,
          d.operation,
          {
            ...d,
            vendor: d.vendor,
            status: "dead",
            lastError: d.lastError,
          } satisfies LineDelivery,
          {},
          locale,
        )
      : TASKS[letter.task]
        ? t("taskDidNotFinish", { task: TASKS[letter.task]![locale] })
        : t("backgroundJob");
  const who = d?.vendor ? vendorName(d.vendor) : null;
  const error = plainFailure(letter.error, locale);
  const count = letter.attempts;
  const why =
    letter.errorKind === "terminal"
      ? who
        ? t("refusedBy", { who, error })
        : t("cannotBeDone", { error })
      : who
        ? t("keptFailingBy", { who, count, error })
        : t("keptFailing", { count, error });
  return { what, why };
}
