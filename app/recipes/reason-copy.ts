import { intlLocale, type Locale } from "../i18n/locale";
import { defineMessages, type Params } from "../i18n/messages";
import { storedSentences, type StoredCode } from "../i18n/stored";

/**
 * What recipes store as a run's reasons (why it skipped, notes worth showing), English as every
 * stored reason is, and their French for display. A recipe writes one with
 * `storedReason(code, params)`; a screen reads it back with `reasonText`, which recognises the
 * stored sentence by its code's English template and says it in the admin's language. Rows
 * stored before a reason had a code read as written when their words still match a template.
 *
 * A parameter that is itself a stored sentence (a guard's reason, a customer's standing) is
 * translated too; a date or date-time in the shop's English format, and money as recipes format
 * it (`formatMoney`, en-US), read in French.
 */
const messages = defineMessages({
  en: {
    orderGone: "the order is no longer in the read model",
    orderMissing: "the order is not in the read model",
    orderMissingYet: "the order is not in the read model yet",
    orderCancelled: "the order was cancelled",
    orderRefunded: "the order was refunded",
    orderNoEmail: "the order has no email address",
    orderShipped: "the order has shipped",
    orderAlreadyShipped: "the order has already shipped",
    guestOrder: "a guest order (no customer account)",
    customerMissing: "the customer is not in the read model",
    customerNoKlaviyoEmail: "the customer has no email address for Klaviyo",
    standing_one: "{amount} over {count} order",
    standing_other: "{amount} over {count} orders",
    alreadyVip: "already VIP ({standing})",
    notVipYet: "not VIP yet ({standing})",
    qualifies: "qualifies with {standing}",
    noLongerQualifies: "no longer qualifies ({standing})",
    reordered: "cancelled: the customer reordered {sku} in {order} on {date}",
    noSkus: "no SKUs are set up yet",
    remindersScheduled: "reminders for this order are already scheduled",
    noConsumptionTime: "nothing in this order has a consumption time set",
    reminderOn: "{sku}: reminder on {date} ({days} days)",
    reviewSent: "the review request was already sent",
    alreadyScheduled: "already scheduled for {date}",
    deliveredAsks: "delivered {date}; asks on {later}",
    noOfferRules: "no offer rules are set up yet",
    noOffer: "no offer",
    belowOfferMinimum: "the order total is below the minimum of {amount}",
    alreadyInOrder: "{product} is already in the order",
    pausedByLowStock: "{product} is paused by low stock",
    unknownStock: "{product} has unknown stock",
    onlyInStock: "{product} has only {available} in stock (minimum {minimum})",
    noRuleMatches: "no offer rule matches this order",
    heldOutOfTest: "{rule}: this shopper is in the A/B test's holdout, who see no offer",
    ruleNamed: "rule “{name}”",
    ruleNumber: "rule {number}",
    offerVariant: "{rule}: variant {variant}",
    offerFallback: "{rule}: variant {variant} (fallback)",
    offerNextStep: "{rule}: variant {variant} (the step after an accepted offer)",
    offerDownsell: "{rule}: variant {variant} (the downsell after a declined offer)",
    funnelEnded: "{rule}: the funnel has no further step",
    cartOf: "cart of {amount}",
    inStock: "{available} in stock (threshold {threshold})",
    inStockStillPaused: "{available} in stock (threshold {threshold}); still paused",
    notLinked:
      "not linked to a variant yet (Switchboard looks it up in Shopify; the next update counts)",
    notTracked: "stock is not tracked for this item",
    takenOut: "{available} in stock, below {threshold}: taken out of post-purchase offers",
    flagged_one: "{count} customer who were offered it flagged in Klaviyo",
    flagged_other: "{count} customers who were offered it flagged in Klaviyo",
    nobodyOffered: "nobody was offered it recently",
    backInStock: "{available} in stock again (threshold {threshold}): offered again",
    withheld_one:
      "{count} customer was left out: Shopify withheld their email, because this app has not been granted access to protected customer data",
    withheld_other:
      "{count} customers were left out: Shopify withheld their email, because this app has not been granted access to protected customer data",
    otherTicketOpen: "ticket {ticket} closed, but another of their tickets is still open",
    checkoutGone: "the checkout is no longer in the read model",
    checkoutMissing: "the checkout is not in the read model",
    recovered: "recovered: the customer placed order {order} from it",
    checkoutCompleted: "the checkout was completed",
    checkoutCompletedNothing: "the checkout was completed: nothing to recover",
    checkoutChanged: "the customer changed the checkout since; checks again on {date}",
    alreadyFollowedUp: "already followed up on {date}",
    checkoutNoEmail: "the checkout has no email address",
    openTicketNote: "the customer has an open ticket: no email, a note on the ticket",
    gorgiasMissing: "Gorgias is not connected: the high-value cart gets the Klaviyo event instead",
    otherCurrency:
      "the cart is in {currency}, not your store's {shopCurrency}: not compared with the white-glove amount",
    ticketForTeam: "{amount} is at least {threshold}: a ticket for your team",
    nothingBuyable: "nothing in the cart can be bought now ({lines})",
    leftOut: "left out: {lines}",
    leftOutSuggested: "left out: {lines}; suggested {products}",
    checksOrderFollowed: "checks on {date} whether an order followed",
    stockLive: "variant {variant}: {available} in stock (checked with Shopify just now)",
    stockStale: "variant {variant}: stock from {date}",
    stockStaleNote: "variant {variant}: stock from {date} ({note})",
    stockUnknown: "variant {variant}: stock unknown",
    stockUnknownNote: "variant {variant}: stock unknown ({note})",
    earlierCheck: "an earlier check",
    belowThreshold: "{total} is below {threshold}",
    paid: "paid {amount}",
    noTicket: "no ticket: {reason}",
    contactedShipment: "the customer was already contacted about this shipment on {date}",
    contactedOrder: "the customer was already contacted about this order on {date}",
    notShippedCheckOff: "the not-shipped check is off",
    checksShipped: "checks on {date} that it shipped",
    carrierStatus: "the carrier status “{status}” is not one you reach out on",
    notInWinBack: "the customer is not in a win-back list",
    cameBack: "came back after {days}+ days with {order}",
    droppedAfter: "dropped after waiting {days} days: {reason}",
    heldBackUntil: "held back: {reason}; checks again on {date}",
  },
  fr: {
    orderGone: "la commande n’est plus dans les données de la boutique",
    orderMissing: "la commande n’est pas dans les données de la boutique",
    orderMissingYet: "la commande n’est pas encore dans les données de la boutique",
    orderCancelled: "la commande a été annulée",
    orderRefunded: "la commande a été remboursée",
    orderNoEmail: "la commande n’a pas d’adresse e-mail",
    orderShipped: "la commande a été expédiée",
    orderAlreadyShipped: "la commande a déjà été expédiée",
    guestOrder: "une commande sans compte client",
    customerMissing: "le client n’est pas dans les données de la boutique",
    customerNoKlaviyoEmail: "le client n’a pas d’adresse e-mail pour Klaviyo",
    standing_one: "{amount} en {count} commande",
    standing_other: "{amount} en {count} commandes",
    alreadyVip: "déjà VIP ({standing})",
    notVipYet: "pas encore VIP ({standing})",
    qualifies: "remplit les conditions avec {standing}",
    noLongerQualifies: "ne remplit plus les conditions ({standing})",
    reordered: "annulé : le client a recommandé {sku} dans {order} le {date}",
    noSkus: "aucun SKU n’est encore configuré",
    remindersScheduled: "les rappels de cette commande sont déjà programmés",
    noConsumptionTime: "aucun article de cette commande n’a de durée de consommation définie",
    reminderOn: "{sku} : rappel le {date} ({days} jours)",
    reviewSent: "la demande d’avis a déjà été envoyée",
    alreadyScheduled: "déjà programmé pour le {date}",
    deliveredAsks: "livré le {date} ; demande le {later}",
    noOfferRules: "aucune règle d’offre n’est encore configurée",
    noOffer: "aucune offre",
    belowOfferMinimum: "le total de la commande est inférieur au minimum de {amount}",
    alreadyInOrder: "{product} est déjà dans la commande",
    pausedByLowStock: "{product} est en pause pour stock bas",
    unknownStock: "le stock de {product} est inconnu",
    onlyInStock: "{product} n’a que {available} en stock (minimum {minimum})",
    noRuleMatches: "aucune règle d’offre ne correspond à cette commande",
    heldOutOfTest:
      "{rule} : cet acheteur est dans le groupe témoin du test A/B, qui ne voit aucune offre",
    ruleNamed: "règle « {name} »",
    ruleNumber: "règle {number}",
    offerVariant: "{rule} : la variante proposée",
    offerFallback: "{rule} : la variante de repli",
    offerNextStep: "{rule} : la variante de l’étape suivante",
    offerDownsell: "{rule} : la variante proposée après un refus",
    funnelEnded: "{rule} : l’entonnoir n’a plus d’étape",
    cartOf: "panier de {amount}",
    inStock: "{available} en stock (seuil {threshold})",
    inStockStillPaused: "{available} en stock (seuil {threshold}) ; toujours en pause",
    notLinked:
      "pas encore lié à une variante (Switchboard la recherche dans Shopify ; la prochaine mise à jour compte)",
    notTracked: "le stock de cet article n’est pas suivi",
    takenOut: "{available} en stock, sous {threshold} : retiré des offres après achat",
    flagged_one: "{count} client à qui il a été proposé signalé dans Klaviyo",
    flagged_other: "{count} clients à qui il a été proposé signalés dans Klaviyo",
    nobodyOffered: "personne ne l’a reçu en offre récemment",
    backInStock: "{available} de nouveau en stock (seuil {threshold}) : proposé à nouveau",
    withheld_one:
      "{count} client laissé de côté : Shopify n’a pas transmis son e-mail, car cette application n’a pas obtenu l’accès aux données client protégées",
    withheld_other:
      "{count} clients laissés de côté : Shopify n’a pas transmis leur e-mail, car cette application n’a pas obtenu l’accès aux données client protégées",
    otherTicketOpen: "ticket {ticket} fermé, mais un autre de ses tickets est encore ouvert",
    checkoutGone: "le paiement n’est plus dans les données de la boutique",
    checkoutMissing: "le paiement n’est pas dans les données de la boutique",
    recovered: "récupéré : le client a passé la commande {order} à partir de ce paiement",
    checkoutCompleted: "le paiement a été finalisé",
    checkoutCompletedNothing: "le paiement a été finalisé : rien à récupérer",
    checkoutChanged: "le client a modifié le paiement depuis ; nouvelle vérification le {date}",
    alreadyFollowedUp: "déjà relancé le {date}",
    checkoutNoEmail: "le paiement n’a pas d’adresse e-mail",
    openTicketNote: "le client a un ticket ouvert : pas d’e-mail, une note sur le ticket",
    gorgiasMissing:
      "Gorgias n’est pas connecté : le panier de grande valeur reçoit l’événement Klaviyo à la place",
    otherCurrency:
      "le panier est en {currency}, pas dans la devise de votre boutique ({shopCurrency}) : non comparé au montant du service personnalisé",
    ticketForTeam: "{amount} atteint au moins {threshold} : un ticket pour votre équipe",
    nothingBuyable: "rien dans le panier ne peut être acheté maintenant ({lines})",
    leftOut: "laissé de côté : {lines}",
    leftOutSuggested: "laissé de côté : {lines} ; suggéré {products}",
    checksOrderFollowed: "vérifie le {date} si une commande a suivi",
    stockLive: "variante {variant} : {available} en stock (vérifié auprès de Shopify à l’instant)",
    stockStale: "variante {variant} : stock du {date}",
    stockStaleNote: "variante {variant} : stock du {date} ({note})",
    stockUnknown: "variante {variant} : stock inconnu",
    stockUnknownNote: "variante {variant} : stock inconnu ({note})",
    earlierCheck: "une vérification antérieure",
    belowThreshold: "{total} est inférieur à {threshold}",
    paid: "payé {amount}",
    noTicket: "pas de ticket : {reason}",
    contactedShipment: "le client a déjà été contacté au sujet de cet envoi le {date}",
    contactedOrder: "le client a déjà été contacté au sujet de cette commande le {date}",
    notShippedCheckOff: "la vérification des commandes non expédiées est désactivée",
    checksShipped: "vérifie le {date} qu’elle a été expédiée",
    carrierStatus:
      "le statut du transporteur « {status} » ne fait pas partie de ceux où vous contactez le client",
    notInWinBack: "le client n’est dans aucune liste de reconquête",
    cameBack: "revenu après plus de {days} jours avec {order}",
    droppedAfter: "abandonné après {days} jours d’attente : {reason}",
    heldBackUntil: "retenu : {reason} ; nouvelle vérification le {date}",
  },
});

const sentences = storedSentences(messages);
export type ReasonCode = StoredCode<(typeof messages)["en"]>;

/** The English a run stores for `code` (plural codes take `count`). */
export function storedReason(code: ReasonCode, params?: Params): string {
  return sentences.stored(code, params);
}

/** "Dec 5, 2026" or "Dec 5, 2026, 2:39 PM" (the shop's English dates) in French, else null. */
function frenchDate(text: string): string | null {
  const m = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4})(?:, (\d{1,2}):(\d{2})\s?(AM|PM))?$/.exec(text);
  if (!m) return null;
  const month = "JanFebMarAprMayJunJulAugSepOctNovDec".indexOf(m[1]!) / 3;
  if (month < 0 || !Number.isInteger(month)) return null;
  const day = new Date(Date.UTC(Number(m[3]), month, Number(m[2])));
  const date = new Intl.DateTimeFormat("fr-FR", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(day);
  if (m[4] === undefined) return date;
  // The dateTime format: "Dec 5, 2026, 2:39 PM" reads "5 déc. 2026, 14:39".
  const hour = (Number(m[4]) % 12) + (m[6] === "PM" ? 12 : 0);
  return `${date}, ${String(hour).padStart(2, "0")}:${m[5]}`;
}

/** The currency each symbol stands for in the shop's English money ("$" USD, "CA$" CAD). */
let symbols: Map<string, string> | undefined;
function currencyOfSymbol(symbol: string): string | undefined {
  if (!symbols) {
    symbols = new Map();
    for (const code of Intl.supportedValuesOf("currency")) {
      const shown = new Intl.NumberFormat("en-US", { style: "currency", currency: code })
        .format(1)
        .replace(/[\d.,\s]/g, "");
      if (!symbols.has(shown)) symbols.set(shown, code);
    }
  }
  return symbols.get(symbol);
}

/** "$1,046.40" or "€910.78 ($989.97)" (money as recipes store it) in French, else null. */
function frenchMoney(text: string): string | null {
  const one = (money: string) => {
    const m = /^(-?)([^\d\s-]+)(\d[\d,]*(?:\.\d+)?)$/.exec(money);
    const currency = m && currencyOfSymbol(m[2]!);
    if (!m || !currency) return null;
    // Not shared.ts's formatMoney: shared.ts writes reasons from here (an import cycle).
    return new Intl.NumberFormat(intlLocale("fr"), { style: "currency", currency }).format(
      Number(`${m[1]}${m[3]!.replace(/,/g, "")}`),
    );
  };
  const both = /^(\S+) \((\S+)\)$/.exec(text);
  if (both) {
    const [a, b] = [one(both[1]!), one(both[2]!)];
    return a && b ? `${a} (${b})` : null;
  }
  return one(text);
}

/** A carrier's tracking status (Shopify's fulfillment event `status`) in words, English and French. */
const CARRIER_STATUS_WORDS: Record<string, { en: string; fr: string }> = {
  label_printed: { en: "label printed", fr: "étiquette imprimée" },
  label_purchased: { en: "label purchased", fr: "étiquette achetée" },
  confirmed: { en: "confirmed", fr: "confirmé" },
  carrier_picked_up: { en: "picked up by the carrier", fr: "pris en charge par le transporteur" },
  picked_up: { en: "picked up", fr: "retiré" },
  ready_for_pickup: { en: "ready for pickup", fr: "prêt à être retiré" },
  in_transit: { en: "in transit", fr: "en transit" },
  out_for_delivery: { en: "out for delivery", fr: "en cours de livraison" },
  attempted_delivery: { en: "delivery attempted", fr: "tentative de livraison" },
  delivered: { en: "delivered", fr: "livré" },
  delayed: { en: "delayed", fr: "retardé" },
  failure: { en: "delivery failed", fr: "échec de livraison" },
  none: { en: "no status", fr: "aucun statut" },
};
const CARRIER_STATUS_FR = new Map(
  Object.values(CARRIER_STATUS_WORDS).map((words) => [words.en, words.fr]),
);

/** How a stored reason names a carrier status: in words ("in transit"), the code when unknown. */
export function carrierStatusWords(status: string | null): string {
  return CARRIER_STATUS_WORDS[status ?? "none"]?.en ?? status ?? "no status";
}

/** Why a cart line was left out of an abandoned-checkout message (abandoned-checkout-recovery). */
const CART_LINE_WHY_FR: Record<string, string> = {
  "sold out": "épuisé",
  "stock unknown": "stock inconnu",
  "paused: running low": "en pause : stock bas",
  "no longer in the catalog": "n’est plus au catalogue",
};
const CART_LINE_WHY = new RegExp(
  `(\\(|: )(${Object.keys(CART_LINE_WHY_FR).join("|")})(?=\\)|; |$)`,
  "g",
);

/** "Mug (sold out), Tee (stock unknown)" or "Mug: sold out; Tee: stock unknown" in French, else null. */
function frenchCartLines(text: string): string | null {
  const translated = text.replace(CART_LINE_WHY, (_whole, lead: string, why: string) =>
    lead === ": " ? ` : ${CART_LINE_WHY_FR[why]}` : `(${CART_LINE_WHY_FR[why]}`,
  );
  return translated === text ? null : translated.replace(/; /g, " ; ");
}

/**
 * A stored reason in the admin's language; null when it is none of the catalog's (the caller
 * shows it as stored). `inner` translates a nested reason that is not the catalog's own (a
 * guard's, held work's).
 */
export function reasonText(
  stored: string,
  locale: Locale,
  inner: (text: string) => string = (text) => text,
): string | null {
  return sentences.shown(
    stored,
    locale,
    (value) =>
      frenchDate(value) ??
      frenchMoney(value) ??
      CARRIER_STATUS_FR.get(value) ??
      frenchCartLines(value) ??
      inner(value),
  );
}
