import type { Locale } from "../i18n/locale";
import { defineMessages } from "../i18n/messages";
import type { ReplaySourceId } from "./engine/replay.server";

/**
 * The dry run's sentences (app/recipes/dry-run.server.ts) in English and French. What a
 * recipe's own reasons say (why it skipped, what a guard held back) is written by the recipe and
 * reads as written.
 */
export const dryRunMessages = defineMessages({
  en: {
    wroteTo: "Would have written to {customers} {because}, e.g. {example}.",
    updated: "Would have updated {customers}{tools} {because}, e.g. {example}.",
    actedFor: "Would have acted for {customers} {because}, e.g. {example}.",
    actedOn: "Would have acted on {subjects} {because}, e.g. {example}.",
    customers_one: "{count} customer",
    customers_other: "{count} customers",
    inVendors: " in {vendors}",
    and: " and ",
    about: "{who} about {order}",
    heldBack_one: "Would have held back {count} message: {reason}.",
    heldBack_other: "Would have held back {count} messages: {reason}.",
    aGuard: "a guard",
    checkLater_one: "Would check {count} more time later, the first on {at}.",
    checkLater_other: "Would check {count} more times later, the first on {at}.",
    failed_one: "{count} run would have failed: {reason}.",
    failed_other: "{count} runs would have failed: {reason}.",
    nothing_one: "{count} run would have done nothing: {reasons}.",
    nothing_other: "{count} runs would have done nothing: {reasons}.",
    nothingToDo: "nothing to do",
    dailyScan: "Replayed today's daily scan.",
    noneInDays: "No {many} in the last {days} days.",
    noneYet: "No {many} yet.",
    ofLastDays: " of the last {days} days",
    mostRecent: "Replayed the {shown} most recent of {total} {many}{when}.",
    mostRecentOfMore: "Replayed the {shown} most recent of more than {total} {many}{when}.",
    replayedOne: "Replayed the 1 {one}{when}.",
    replayedAll: "Replayed all {shown} {many}{when}.",
    notConnected: "{vendor} is not connected yet: shown as if it were.",
    notReplayed: "Not replayed (nothing stored to replay them from): {topics}.",
    rowsCut: "{count} runs would have done something; the first {shown} are shown.",
  },
  fr: {
    wroteTo: "Aurait écrit à {customers} {because}, par exemple {example}.",
    updated: "Aurait mis à jour {customers}{tools} {because}, par exemple {example}.",
    actedFor: "Aurait agi pour {customers} {because}, par exemple {example}.",
    actedOn: "Aurait agi sur {subjects} {because}, par exemple {example}.",
    customers_one: "{count} client",
    customers_other: "{count} clients",
    inVendors: " dans {vendors}",
    and: " et ",
    about: "{who} au sujet de {order}",
    heldBack_one: "Aurait retenu {count} message : {reason}.",
    heldBack_other: "Aurait retenu {count} messages : {reason}.",
    aGuard: "une règle de protection",
    checkLater_one: "Revérifierait {count} fois plus tard, la première le {at}.",
    checkLater_other: "Revérifierait {count} fois plus tard, la première le {at}.",
    failed_one: "{count} exécution aurait échoué : {reason}.",
    failed_other: "{count} exécutions auraient échoué : {reason}.",
    nothing_one: "{count} exécution n’aurait rien fait : {reasons}.",
    nothing_other: "{count} exécutions n’auraient rien fait : {reasons}.",
    nothingToDo: "rien à faire",
    dailyScan: "Rejoué : l’analyse quotidienne d’aujourd’hui.",
    noneInDays: "{none} au cours des {days} derniers jours.",
    noneYet: "{none} pour l’instant.",
    ofLastDays: " des {days} derniers jours",
    mostRecent: "Rejoué : les {shown} plus {recent} sur {total} {many}{when}.",
    mostRecentOfMore: "Rejoué : les {shown} plus {recent} sur plus de {total} {many}{when}.",
    replayedOne: "Rejoué : 1 {one}{when}.",
    replayedAll: "Rejoué : les {shown} {many}{when}.",
    notConnected: "{vendor} n’est pas encore connecté : affiché comme s’il l’était.",
    notReplayed: "Non rejoués (rien d’enregistré pour les rejouer) : {topics}.",
    rowsCut:
      "{count} exécutions auraient fait quelque chose ; les {shown} premières sont affichées.",
  },
});

interface SourceWords {
  /** What is replayed: one, many, "none of it" (French agrees in gender), "most recent". */
  one: string;
  many: string;
  none: string;
  recent: string;
  /** Whom the runs are about when no customer is named: one, many. */
  subject: readonly [string, string];
  /** The trigger, when the recipe does not say whom it acts for. */
  actsFor: string;
}

/** French words for each replayed source (English ones come from the replay and the engine). */
export const FRENCH_SOURCES: Record<ReplaySourceId, SourceWords> = {
  orders: {
    one: "commande",
    many: "commandes",
    none: "Aucune commande",
    recent: "récentes",
    subject: ["commande", "commandes"],
    actsFor: "après leur commande",
  },
  "parcel-scans": {
    one: "scan de colis",
    many: "scans de colis",
    none: "Aucun scan de colis",
    recent: "récents",
    subject: ["colis", "colis"],
    actsFor: "après un scan de colis",
  },
  "shipment-updates": {
    one: "mise à jour d’expédition",
    many: "mises à jour d’expédition",
    none: "Aucune mise à jour d’expédition",
    recent: "récentes",
    subject: ["expédition", "expéditions"],
    actsFor: "après une mise à jour d’expédition",
  },
  "stock-changes": {
    one: "changement de stock",
    many: "changements de stock",
    none: "Aucun changement de stock",
    recent: "récents",
    subject: ["article", "articles"],
    actsFor: "après un changement de stock",
  },
  checkouts: {
    one: "paiement",
    many: "paiements",
    none: "Aucun paiement",
    recent: "récents",
    subject: ["paiement", "paiements"],
    actsFor: "après un paiement",
  },
  "tickets-opened": {
    one: "ticket ouvert",
    many: "tickets ouverts",
    none: "Aucun ticket ouvert",
    recent: "récents",
    subject: ["ticket", "tickets"],
    actsFor: "dont le ticket d’assistance a été ouvert",
  },
  "tickets-closed": {
    one: "ticket fermé",
    many: "tickets fermés",
    none: "Aucun ticket fermé",
    recent: "récents",
    subject: ["ticket", "tickets"],
    actsFor: "dont le ticket d’assistance a été fermé",
  },
  "daily-scan": {
    one: "analyse quotidienne",
    many: "analyses quotidiennes",
    none: "Aucune analyse quotidienne",
    recent: "récentes",
    subject: ["client", "clients"],
    actsFor: "dans l’analyse d’aujourd’hui",
  },
};

/**
 * Whom a recipe's runs act for ("whose parcels were late"), in French, by the recipe's English
 * words (RecipeTrigger's `actsFor`). A test checks every recipe's words are here.
 */
export const FRENCH_ACTS_FOR: Readonly<Record<string, string>> = {
  "who left a checkout without ordering": "qui ont quitté un paiement sans commander",
  "whose stock ran low or came back": "dont le stock a baissé ou est revenu",
  "whose support ticket opened, so your flows hold back":
    "dont un ticket d’assistance a été ouvert, pour que vos flows attendent",
  "whose last open ticket closed, so your flows carry on":
    "dont le dernier ticket ouvert a été fermé, pour que vos flows reprennent",
  "whose parcels were late": "dont le colis était en retard",
  "whose paid orders had not shipped": "dont la commande payée n’était pas expédiée",
};

/** A recipe's `actsFor` words in the admin's language (English when no French is known). */
export function actsForIn(english: string, locale: Locale): string {
  return locale === "fr" ? (FRENCH_ACTS_FOR[english] ?? english) : english;
}
