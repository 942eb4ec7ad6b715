import { intlLocale, type Locale } from "../i18n/locale";
import { formatMoney } from "../recipes/shared";
import { defineMessages, translator } from "../i18n/messages";
import { vendorName } from "../utils/vendor-names";
import { heldReasonText } from "../recipes/integration-copy";
import { WITHHELD_EMAIL_REASON, WITHHELD_EMAIL_REASON_FR } from "../recipes/protected-data";
import { reasonText } from "../recipes/reason-copy";
import { plainFailure } from "./vendor-failure";

/**
 * Activity's sentences: what a recipe run did, as a merchant says it ("Sent Lena Park a review
 * request for #1042", "Held back: open support ticket #500006"). Pure: built from a run's
 * outcome, its actions with their deliveries, and the names read with it
 * (app/models/recipe-activity.server.ts). Ids, vendor calls and timings are never part of a
 * sentence; the screen keeps them behind "Details for support".
 *
 * In English or French (`locale`, English by default). Names, lists, tags, events and product
 * titles are the shop's own and stay as they are; a recipe's own reason (why it skipped) is
 * stored in English and reads in the admin's language (app/recipes/reason-copy.ts), its ids
 * taken out.
 */

/** Hidden skipped runs are counted up to this many ("1000+ skipped runs hidden"). */
export const SKIPPED_COUNT_CAP = 1000;

/** A run's own names: null where the read model has none (or Shopify withholds them). */
export interface RunNames {
  orderName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  ticketNumber: string | null;
  offerProduct: string | null;
  stockProduct: string | null;
  /** The order's currency: a fixed discount is said in it. */
  currency?: string | null;
}

export interface LineDelivery {
  status: "queued" | "waiting" | "succeeded" | "dead" | "dropped";
  list: string | null;
  metric: string | null;
  tags: string[] | null;
  resource: string | null;
  customerName?: string | null;
  lastError: string | null;
  vendor: string;
}

export interface LineAction {
  kind: string;
  summary?: string;
  status: string;
  reason?: string;
  delivery: LineDelivery | null;
}

export interface LineRun {
  recipeId: string;
  outcome: "acted" | "waiting" | "scheduled" | "skipped" | "blocked" | "failed";
  reasons: string[];
  scheduled: { name: string; at: string }[];
  actions: LineAction[];
  names: RunNames;
}

export type LineTone = "success" | "info" | "warning" | "critical" | "subdued";

export interface RunLine {
  /** The one line a merchant reads. */
  sentence: string;
  /** The run's other actions, and what a held-back run would have done, in the same words. */
  more: string[];
  tone: LineTone;
}

/** "Lena Park", else their email, else "a customer" (Shopify withholds protected data). */
export function customerLabel(
  names: Pick<RunNames, "firstName" | "lastName" | "email">,
  locale: Locale = "en",
): string {
  const name = [names.firstName, names.lastName].filter(Boolean).join(" ").trim();
  return name || names.email || (locale === "fr" ? "un client" : "a customer");
}

const possessive = (who: string) => (who.endsWith("s") ? `${who}'` : `${who}'s`);

/** What a recipe's Klaviyo event is, for the merchant; recipes not listed name the event. */
const MESSAGES: Record<string, { en: string; fr: string; frDone: string }> = {
  "review-request-timing": {
    en: "a review request",
    fr: "une demande d’avis",
    frDone: "Demande d’avis envoyée",
  },
  "shipping-delay-outreach": {
    en: "a shipping-delay update",
    fr: "un message sur le retard d’expédition",
    frDone: "Message sur le retard d’expédition envoyé",
  },
  "replenishment-reminder": {
    en: "a replenishment reminder",
    fr: "un rappel de réapprovisionnement",
    frDone: "Rappel de réapprovisionnement envoyé",
  },
  "abandoned-checkout-recovery": {
    en: "an abandoned-checkout reminder",
    fr: "une relance de paiement abandonné",
    frDone: "Relance de paiement abandonné envoyée",
  },
};

/**
 * One action in the words every sentence is built from: `done` ("Sent Lena Park a review
 * request"), `todo` after "will"/"Couldn't" ("send Lena Park a review request") and `wouldHave`
 * after "Would have" ("sent Lena Park a review request").
 */
interface Phrase {
  done: string;
  todo: string;
  wouldHave: string;
}

const english = (past: string, base: string, rest: string): Phrase => ({
  done: `${past} ${rest}`,
  todo: `${base} ${rest}`,
  wouldHave: `${past.toLowerCase()} ${rest}`,
});

/** French: the done sentence, the infinitive and the past participle (after "Aurait"). */
const french = (done: string, infinitive: string, participle: string, rest: string): Phrase => ({
  done,
  todo: `${infinitive} ${rest}`,
  wouldHave: `${participle} ${rest}`,
});

const quoted = (tags: string[] | null | undefined, locale: Locale) =>
  locale === "fr"
    ? (tags ?? []).map((t) => `« ${t} »`).join(", ") || "une balise"
    : (tags ?? []).map((t) => `“${t}”`).join(", ") || "a tag";

/** "de Lena Park", "d’Ines Roy", "d’un client". */
const de = (who: string) => (/^[aeiouyhâàéèêîôûAEIOUYHÉÈ]/.test(who) ? `d’${who}` : `de ${who}`);

function phraseOf(recipeId: string, action: LineAction, names: RunNames, locale: Locale): Phrase {
  return locale === "fr"
    ? frenchPhrase(recipeId, action, names)
    : englishPhrase(recipeId, action, names);
}

function englishPhrase(recipeId: string, action: LineAction, names: RunNames): Phrase {
  const who = customerLabel(names);
  const order = names.orderName;
  const about = order ? ` about ${order}` : "";
  const d = action.delivery;
  switch (action.kind) {
    case "klaviyo-event": {
      const message = MESSAGES[recipeId]?.en;
      if (message)
        return english("Sent", "send", `${who} ${message}${order ? ` for ${order}` : ""}`);
      const product = names.stockProduct ? ` about ${names.stockProduct}` : "";
      return english(
        "Sent",
        "send",
        `Klaviyo ${d?.metric ? `“${d.metric}”` : "an event"} for ${who}${product}`,
      );
    }
    case "klaviyo-list-add":
      return english(
        "Added",
        "add",
        `${who} to the Klaviyo list ${d?.list ?? "set in the recipe"}`,
      );
    case "klaviyo-list-remove":
      return english(
        "Removed",
        "remove",
        `${who} from the Klaviyo list ${d?.list ?? "set in the recipe"}`,
      );
    case "klaviyo-profile":
      return english("Updated", "update", `${possessive(who)} Klaviyo profile`);
    case "gorgias-ticket":
      return english("Opened", "open", `a Gorgias ticket for ${who}${about}`);
    case "gorgias-tag":
      return english(
        "Tagged",
        "tag",
        `${possessive(who)} open Gorgias ticket ${quoted(d?.tags, "en")}`,
      );
    case "gorgias-note":
      return english("Added", "add", `a note to ${possessive(who)} Gorgias ticket${about}`);
    case "shopify-tags-add":
      return english(
        "Tagged",
        "tag",
        `${d?.resource === "Customer" ? who : (order ?? "the order")} ${quoted(d?.tags, "en")} in Shopify`,
      );
    case "offer": {
      const discount = discountOf(action);
      return english(
        "Offered",
        "offer",
        `${who} ${names.offerProduct ?? "a product"}${discount ? ` at ${discount} off` : ""} after ${order ?? "their order"}`,
      );
    }
    case "klaviyo-list-reconcile":
      return english("Synced", "sync", "the recipe's Klaviyo lists with who belongs on them");
    case "klaviyo-profile-deletion":
      return english("Asked", "ask", "Klaviyo to erase a customer's profile");
    case "gorgias-customer-deletion":
      return english("Asked", "ask", "Gorgias to erase a customer");
    default:
      return english("Sent", "send", `a request to ${d ? vendorName(d.vendor) : "a service"}`);
  }
}

function frenchPhrase(recipeId: string, action: LineAction, names: RunNames): Phrase {
  const who = customerLabel(names, "fr");
  const order = names.orderName;
  const about = order ? ` au sujet de ${order}` : "";
  const d = action.delivery;
  switch (action.kind) {
    case "klaviyo-event": {
      const message = MESSAGES[recipeId];
      const forOrder = order ? ` pour ${order}` : "";
      if (message)
        return {
          done: `${message.frDone} à ${who}${forOrder}`,
          todo: `envoyer ${message.fr} à ${who}${forOrder}`,
          wouldHave: `envoyé ${message.fr} à ${who}${forOrder}`,
        };
      const product = names.stockProduct ? ` au sujet de ${names.stockProduct}` : "";
      const event = d?.metric ? `l’événement Klaviyo « ${d.metric} »` : "un événement Klaviyo";
      return french(
        `${event.charAt(0).toUpperCase()}${event.slice(1)} envoyé pour ${who}${product}`,
        "envoyer",
        "envoyé",
        `${event} pour ${who}${product}`,
      );
    }
    case "klaviyo-list-add": {
      const list = d?.list ? `la liste Klaviyo ${d.list}` : "la liste Klaviyo de la recette";
      return french(`${who} ajouté à ${list}`, "ajouter", "ajouté", `${who} à ${list}`);
    }
    case "klaviyo-list-remove": {
      const list = d?.list ? `la liste Klaviyo ${d.list}` : "la liste Klaviyo de la recette";
      return french(`${who} retiré de ${list}`, "retirer", "retiré", `${who} de ${list}`);
    }
    case "klaviyo-profile":
      return french(
        `Profil Klaviyo ${de(who)} mis à jour`,
        "mettre à jour",
        "mis à jour",
        `le profil Klaviyo ${de(who)}`,
      );
    case "gorgias-ticket":
      return french(
        `Ticket Gorgias ouvert pour ${who}${about}`,
        "ouvrir",
        "ouvert",
        `un ticket Gorgias pour ${who}${about}`,
      );
    case "gorgias-tag": {
      const tags = quoted(d?.tags, "fr");
      return french(
        `Balise ${tags} ajoutée au ticket Gorgias ouvert ${de(who)}`,
        "ajouter",
        "ajouté",
        `la balise ${tags} au ticket Gorgias ouvert ${de(who)}`,
      );
    }
    case "gorgias-note":
      return french(
        `Note ajoutée au ticket Gorgias ${de(who)}${about}`,
        "ajouter",
        "ajouté",
        `une note au ticket Gorgias ${de(who)}${about}`,
      );
    case "shopify-tags-add": {
      const tags = quoted(d?.tags, "fr");
      const target = d?.resource === "Customer" ? who : (order ?? "la commande");
      return french(
        `Balise ${tags} ajoutée à ${target} dans Shopify`,
        "ajouter",
        "ajouté",
        `la balise ${tags} à ${target} dans Shopify`,
      );
    }
    case "offer": {
      const discount = frenchDiscount(action, names);
      const what = `${names.offerProduct ?? "un produit"}${discount ? ` avec ${discount} de réduction` : ""}`;
      const after = order ? `après ${order}` : "après sa commande";
      return french(
        `${what.charAt(0).toUpperCase()}${what.slice(1)} proposé à ${who} ${after}`,
        "proposer",
        "proposé",
        `${what} à ${who} ${after}`,
      );
    }
    case "klaviyo-list-reconcile":
      return french(
        "Listes Klaviyo de la recette synchronisées avec les clients qui doivent y figurer",
        "synchroniser",
        "synchronisé",
        "les listes Klaviyo de la recette avec les clients qui doivent y figurer",
      );
    case "klaviyo-profile-deletion":
      return french(
        "Demande d’effacement du profil d’un client envoyée à Klaviyo",
        "demander",
        "demandé",
        "à Klaviyo d’effacer le profil d’un client",
      );
    case "gorgias-customer-deletion":
      return french(
        "Demande d’effacement d’un client envoyée à Gorgias",
        "demander",
        "demandé",
        "à Gorgias d’effacer un client",
      );
    default: {
      const to = d ? vendorName(d.vendor) : "un service";
      return french(`Requête envoyée à ${to}`, "envoyer", "envoyé", `une requête à ${to}`);
    }
  }
}

/** The recipe's summary names the discount with its currency ("at €5.00 off" → "€5.00"). */
const discountOf = (action: LineAction) => / at (.+?) off\b/.exec(action.summary ?? "")?.[1];

/**
 * The discount as a French screen says it: "10 %", or the amount in the order's currency
 * ("5,00 €"); as stored when the currency is unknown.
 */
function frenchDiscount(action: LineAction, names: RunNames): string | undefined {
  const stored = discountOf(action);
  if (!stored) return undefined;
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(stored);
  if (percent)
    return new Intl.NumberFormat(intlLocale("fr"), {
      style: "percent",
      maximumFractionDigits: 2,
    }).format(Number(percent[1]) / 100);
  const amount = /\d[\d,]*(?:\.\d+)?/.exec(stored);
  if (!amount || !names.currency) return stored;
  return formatMoney(Number(amount[0].replace(/,/g, "")), names.currency, intlLocale("fr"));
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const messages = defineMessages({
  en: {
    openTicketNumber: "open support ticket #{number}",
    openTicket: "the customer has an open support ticket",
    capReached: "{who} already reached the limit of {cap}",
    failed: "Failed: {reason}",
    couldNotFinish: "the recipe could not finish",
    triedAgain: "It is tried again automatically; details for support are below.",
    couldNot: "Couldn't {todo}",
    notAcceptedBecause: "{vendor} did not accept it: {error}",
    notAccepted: "{vendor} did not accept it.",
    waitingFor: "Waiting: will {todo} once {vendor} is connected",
    waitingForIt: "Waiting: will {todo} once it is connected",
    heldBack: "Held back: {why}",
    aGuardHeldIt: "a guard held it back",
    aGuard: "a guard",
    wouldHave: "Would have {wouldHave}",
    skipped: "Skipped: {reason}",
    nothingToDo: "nothing to do",
    checksAgain: "Checks again {when}",
    waitingToCheck: "Waiting to check {order} {when}",
    waitingToCheckAgain: "Waiting to check again {when}",
    remembered: "Updated what the recipe remembers",
    sending: "Sending: {todo}",
    sendingRetrying: "Sending: {todo} (trying again: {why})",
    dropped: "Dropped: did not {todo}",
    droppedBecause: "Dropped: did not {todo} ({reason})",
  },
  fr: {
    openTicketNumber: "ticket d’assistance ouvert n° {number}",
    openTicket: "le client a un ticket d’assistance ouvert",
    capReached: "{who} a déjà atteint la limite de {cap}",
    failed: "Échec : {reason}",
    couldNotFinish: "la recette n’a pas pu aboutir",
    triedAgain:
      "Une nouvelle tentative aura lieu automatiquement ; les détails pour l’assistance sont ci-dessous.",
    couldNot: "Impossible de {todo}",
    notAcceptedBecause: "{vendor} ne l’a pas accepté : {error}",
    notAccepted: "{vendor} ne l’a pas accepté.",
    waitingFor: "En attente : {todo} dès que {vendor} sera connecté",
    waitingForIt: "En attente : {todo} dès que le service sera connecté",
    heldBack: "Retenu : {why}",
    aGuardHeldIt: "une règle de protection l’a retenu",
    aGuard: "une règle de protection",
    wouldHave: "Aurait {wouldHave}",
    skipped: "Ignoré : {reason}",
    nothingToDo: "rien à faire",
    checksAgain: "Nouvelle vérification {when}",
    waitingToCheck: "En attente pour revérifier {order} {when}",
    waitingToCheckAgain: "En attente pour revérifier {when}",
    remembered: "Mémoire de la recette mise à jour",
    sending: "Envoi en cours : {todo}",
    sendingRetrying: "Envoi en cours : {todo} (nouvel essai : {why})",
    dropped: "Abandonné : {todo}",
    droppedBecause: "Abandonné : {todo} ({reason})",
  },
});

type Text = ReturnType<typeof translator<(typeof messages)["en"]>>;

/** "Impossible de ajouter" → "Impossible d’ajouter" (French only). */
const elide = (text: string, locale: Locale) =>
  locale === "fr" ? text.replace(/^Impossible de ([aeiouyéè])/i, "Impossible d’$1") : text;

/** A frequency cap's label ("1 marketing message per 24 h") in French. */
function frenchCap(label: string): string {
  return label
    .replace(
      /^(\d+) marketing messages? per (\d+) h$/,
      (_, n: string, h: string) =>
        `${n} message${n === "1" ? "" : "s"} marketing par tranche de ${h} h`,
    )
    .replace(
      /^(\d+) upsells? per (\d+) days$/,
      (_, n: string, days: string) =>
        `${n} offre${n === "1" ? "" : "s"} de vente incitative par tranche de ${days} jours`,
    );
}

/**
 * A recipe's or guard's reason without ids: "ticket 500006" reads "ticket #500006"; a long number
 * naming a customer, order or item reads "the customer" (the names are on the line already).
 * The app's own stored reasons for held work and withheld emails read in the admin's language.
 */
export function plainReason(stored: string, names: RunNames, locale: Locale = "en"): string {
  const t = translator(messages, locale);
  const who = customerLabel(names, locale);
  const held = locale === "en" ? null : heldReasonText(stored, locale);
  if (held) return held;
  const reason =
    locale === "fr"
      ? (reasonText(stored, locale, (inner) => plainReason(inner, names, locale)) ??
        stored.replace(WITHHELD_EMAIL_REASON, WITHHELD_EMAIL_REASON_FR))
      : stored;
  if (reason === "the customer has an open Gorgias ticket")
    return names.ticketNumber
      ? t("openTicketNumber", { number: names.ticketNumber })
      : t("openTicket");
  const cap = /^frequency cap: (.+) already reached for this customer$/.exec(reason);
  if (cap) return t("capReached", { who, cap: locale === "fr" ? frenchCap(cap[1]!) : cap[1]! });
  return reason
    .replace(/\bthe recipe failed: /i, "")
    .replace(/\b(ticket) (\d+)\b/gi, "$1 #$2")
    .replace(
      /\b(?:(a|an|the|no|this|that) )?(customer|order|variant|product|inventory item|checkout) \d{5,}\b/gi,
      (_, article: string | undefined, noun: string) => `${article ?? "the"} ${noun.toLowerCase()}`,
    )
    .replace(/\b\d{10,}\b/g, "…");
}

/**
 * A run's stored reasons as its details list them: as stored in English (ids and all, for
 * support), in the admin's words otherwise.
 */
export function shownReasons(reasons: string[], names: RunNames, locale: Locale): string[] {
  return locale === "en" ? reasons : reasons.map((r) => plainReason(r, names, locale));
}

const PASSED = new Set(["requested", "decided", "already-requested"]);

/** One run's line: its first action (or its reason), with any others as `more`. */
export function runLine(
  run: LineRun,
  when: (at: string) => string,
  locale: Locale = "en",
): RunLine {
  const t = translator(messages, locale);
  const reasonOf = (text: string) => plainReason(text, run.names, locale);
  const phrases = run.actions.map((a) => ({
    action: a,
    phrase: phraseOf(run.recipeId, a, run.names, locale),
  }));
  // After "Skipped:" or "Failed:" the reason reads on as written; on its own it starts a sentence.
  const reasonAfterColon = run.reasons[0] ? reasonOf(run.reasons[0]) : null;
  const reason = reasonAfterColon ? capitalize(reasonAfterColon) : null;
  const lineOf = (p: { action: LineAction; phrase: Phrase }) =>
    lineOfAction(p, run.names, t, locale);

  const failedDelivery = phrases.find((p) => p.action.delivery?.status === "dead");
  if (run.outcome === "failed")
    return {
      sentence: t("failed", { reason: reasonAfterColon ?? t("couldNotFinish") }),
      more: [t("triedAgain")],
      tone: "critical",
    };
  if (failedDelivery) {
    const { phrase, action } = failedDelivery;
    const vendor = vendorName(action.delivery!.vendor);
    return {
      sentence: elide(t("couldNot", { todo: phrase.todo }), locale),
      more: [
        action.delivery!.lastError
          ? t("notAcceptedBecause", { vendor, error: reasonOf(action.delivery!.lastError) })
          : t("notAccepted", { vendor }),
        ...phrases.filter((p) => p !== failedDelivery).map(lineOf),
      ],
      tone: "critical",
    };
  }
  if (run.outcome === "blocked" || run.outcome === "waiting") {
    const held = phrases.filter((p) => !PASSED.has(p.action.status));
    const first = held[0];
    const why = first?.action.reason ? reasonOf(first.action.reason) : reason;
    if (run.outcome === "waiting" && first)
      return {
        sentence: first.action.delivery
          ? t("waitingFor", {
              todo: first.phrase.todo,
              vendor: vendorName(first.action.delivery.vendor),
            })
          : t("waitingForIt", { todo: first.phrase.todo }),
        more: phrases.slice(1).map(lineOf),
        tone: "warning",
      };
    return {
      sentence: t("heldBack", { why: why ?? t("aGuardHeldIt") }),
      more: held.map((p) => t("wouldHave", { wouldHave: p.phrase.wouldHave })),
      tone: "warning",
    };
  }
  if (run.outcome === "skipped")
    return {
      sentence: t("skipped", { reason: reasonAfterColon ?? t("nothingToDo") }),
      more: [],
      tone: "subdued",
    };
  const done = phrases.filter((p) => PASSED.has(p.action.status));
  if (done.length > 0) {
    const [first, ...rest] = phrases.filter(
      (p) => PASSED.has(p.action.status) || p.action.delivery,
    );
    return {
      sentence: lineOf(first!),
      more: [
        ...rest.map(lineOf),
        ...phrases
          .filter((p) => !PASSED.has(p.action.status) && !p.action.delivery)
          .map((p) =>
            t("heldBack", { why: p.action.reason ? reasonOf(p.action.reason) : t("aGuard") }),
          ),
        ...run.scheduled.map((s) => t("checksAgain", { when: when(s.at) })),
      ],
      tone: "success",
    };
  }
  const next = run.scheduled[0];
  if (next)
    return {
      sentence: run.names.orderName
        ? t("waitingToCheck", { order: run.names.orderName, when: when(next.at) })
        : t("waitingToCheckAgain", { when: when(next.at) }),
      more: reason ? [reason] : [],
      tone: "info",
    };
  return { sentence: reason ?? t("remembered"), more: [], tone: "success" };
}

/** An action's own sentence, as far as its delivery got. */
function lineOfAction(
  { action, phrase }: { action: LineAction; phrase: Phrase },
  names: RunNames,
  t: Text,
  locale: Locale,
) {
  const status = action.delivery?.status;
  if (status === "queued")
    // A failed try waiting for the next one: say so, not a plain "sending".
    return action.delivery!.lastError
      ? t("sendingRetrying", {
          todo: phrase.todo,
          why: plainFailure(action.delivery!.lastError, locale),
        })
      : t("sending", { todo: phrase.todo });
  if (status === "waiting")
    return t("waitingFor", { todo: phrase.todo, vendor: vendorName(action.delivery!.vendor) });
  if (status === "dropped")
    return action.delivery!.lastError
      ? t("droppedBecause", {
          todo: phrase.todo,
          reason: plainReason(action.delivery!.lastError, names, locale),
        })
      : t("dropped", { todo: phrase.todo });
  if (status === "dead") return elide(t("couldNot", { todo: phrase.todo }), locale);
  if (!PASSED.has(action.status))
    return t("heldBack", {
      why: action.reason ? plainReason(action.reason, names, locale) : t("aGuard"),
    });
  return phrase.done;
}

/** A delivery on its own (the Deliveries tab), with the customer's name the request carried. */
export function deliveryLine(
  recipeId: string,
  kind: string,
  delivery: LineDelivery,
  names: Partial<RunNames>,
  locale: Locale = "en",
): string {
  const full: RunNames = {
    orderName: null,
    firstName: delivery.customerName ?? null,
    lastName: null,
    email: null,
    ticketNumber: null,
    offerProduct: null,
    stockProduct: null,
    ...names,
  };
  const action: LineAction = { kind, status: "requested", delivery };
  return lineOfAction(
    { action, phrase: phraseOf(recipeId, action, full, locale) },
    full,
    translator(messages, locale),
    locale,
  );
}

/** What a dry run's action would do, in Activity's words ("Would tag #1042 “VIP” in Shopify"). */
export function dryRunLine(
  recipeId: string,
  action: LineAction,
  names: RunNames,
  locale: Locale = "en",
): string {
  const { todo } = phraseOf(recipeId, action, names, locale);
  const why = action.reason ? `: ${plainReason(action.reason, names, locale)}` : "";
  const vendor = action.delivery ? vendorName(action.delivery.vendor) : null;
  const fr = locale === "fr";
  if (action.status === "capped" || action.status === "suppressed")
    return fr ? `Retenu : ${todo}${why.replace(/^:/, " :")}` : `Would hold back: ${todo}${why}`;
  if (action.status === "skipped" || action.status === "dropped")
    return fr ? `Non fait : ${todo}${why.replace(/^:/, " :")}` : `Would not ${todo}${why}`;
  if (action.status === "waiting")
    return fr
      ? `À faire une fois ${vendor ?? "l’outil"} connecté : ${todo}`
      : `Would ${todo} once ${vendor ?? "it"} is connected`;
  return fr ? `À faire : ${todo}` : `Would ${todo}`;
}
