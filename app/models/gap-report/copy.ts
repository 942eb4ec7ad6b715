import { intlLocale, type Locale } from "../../i18n/locale";
import { defineMessages, translator, type Translate } from "../../i18n/messages";
import { formatMoney } from "../../recipes/shared";

/**
 * Every sentence the gap report's engine writes, in English and French. The report is computed
 * (and cached) per language, so the merchant reads definitions, reasons and the punch list's
 * arithmetic in the admin's language.
 */
export const gapMessages = defineMessages({
  en: {
    "zone.order-to-cash": "Order-to-cash",
    "zone.inventory-fulfillment": "Inventory & fulfillment",
    "zone.customer-service": "Customer service",
    "zone.post-purchase-marketing": "Post-purchase & marketing",

    "payments-outstanding.label": "Payments pending or failed",
    "payments-outstanding.definition":
      "Orders placed in the window, not cancelled, whose payment is still pending, only authorized or partly paid, or was voided or expired, as a share of all orders in the window.",
    "payment-age.label": "Age of pending payments",
    "payment-age.definition":
      "How long the window's outstanding payments have been waiting: the median time since their order was placed.",
    "refund-turnaround.label": "Refund turnaround",
    "refund-turnaround.definition":
      "Refunds issued in the window that send money back: the median time from the refund being issued in Shopify to its money going back to the customer (its refund transactions processed). A refund still pending counts the time it has waited until the window's end.",
    "oversold-orders.label": "Orders that oversold a variant",
    "oversold-orders.definition":
      "Orders in the window with an item whose stock, summed over your locations, is now below zero, as a share of the window's orders.",
    "ship-time-p50.label": "Order to shipment (typical)",
    "ship-time-p50.definition":
      "Half of the window's shipped orders left within this time: the median from the order to its first fulfillment.",
    "ship-time-p90.label": "Order to shipment (slowest tenth)",
    "ship-time-p90.definition":
      "Nine in ten of the window's shipped orders left within this time (90th percentile from the order to its first fulfillment).",
    "parcels-delayed.label": "Parcels delayed or failed",
    "parcels-delayed.definition":
      "Parcels shipped in the window that the carrier marked delayed, failed or attempted, or that missed their estimated delivery date, as a share of the window's parcels.",
    "bestseller-stockouts.label": "Best-sellers out of stock",
    "bestseller-stockouts.definition":
      "Of the window's {top} best-selling variants (by units) whose stock Switchboard knows, the share with none left now.",
    "tickets-per-100-orders.label": "Tickets per 100 orders",
    "tickets-per-100-orders.definition":
      "Gorgias tickets last updated in the window, per 100 orders placed in it (Switchboard learns of tickets as Gorgias updates them).",
    "wismo-share.label": "“Where is my order” tickets",
    "wismo-share.definition":
      "Tickets in the window from a customer who had a parcel on its way (shipped in the {days} days before, not yet delivered) when the ticket was updated, as a share of the window's tickets.",
    "first-response-time.label": "First response time",
    "first-response-time.definition":
      "Gorgias tickets first answered in the window: the median time from the customer writing in (the ticket's creation) to your team's first reply. Tickets your team started are left out.",
    "resolution-time.label": "Resolution time",
    "resolution-time.definition":
      "Gorgias tickets closed in the window and still closed: the median time from the ticket's creation to its closing. Spam and deleted tickets are left out.",
    "delays-reached-first.label": "Delays reached out to first",
    "delays-reached-first.definition":
      "Delayed parcels of the window whose customer Shipping delay outreach wrote to before any ticket from them, as a share of the window's delayed parcels.",
    "repeat-purchase-rate.label": "Repeat-purchase rate",
    "repeat-purchase-rate.definition":
      "Customers who ordered in the window and had ordered before, as a share of the window's customers.",
    "lapsed-reached.label": "Lapsed customers reached",
    "lapsed-reached.definition":
      "Customers past your first win-back stage (and within a year of it) who are on one of Switchboard's win-back lists in Klaviyo, as a share of those customers.",
    "review-asks.label": "Review asks per delivered parcel",
    "review-asks.definition":
      "Parcels delivered in the window whose order got a review request from Review request timing, as a share of the window's delivered parcels.",
    "upsell-take-rate.label": "Upsell take rate",
    "upsell-take-rate.definition":
      "Post-purchase offers shown in the window that the buyer accepted.",
    "checkout-recovery.label": "Checkout recovery rate",
    "checkout-recovery.definition":
      "Checkouts started in the window and left without an order for your abandonment delay that later became an order, as a share of those abandoned checkouts.",

    "unit.percent": "{value} %",
    "unit.hours_one": "{value} hour",
    "unit.hours_other": "{value} hours",
    "unit.days_one": "{value} day",
    "unit.days_other": "{value} days",
    "unit.per100": "{value} per 100 orders",
    thresholdsLower: "Level 3 at {l3} or less · 2 at {l2} · 1 at {l1}",
    thresholdsHigher: "Level 3 at {l3} or more · 2 at {l2} · 1 at {l1}",
    noneWaiting: "None waiting",

    "n.order_one": "{count} order",
    "n.order_other": "{count} orders",
    "n.waitingPayment_one": "{count} waiting payment",
    "n.waitingPayment_other": "{count} waiting payments",
    "n.shippedOrder_one": "{count} shipped order",
    "n.shippedOrder_other": "{count} shipped orders",
    "n.parcel_one": "{count} parcel",
    "n.parcel_other": "{count} parcels",
    "n.delayedParcel_one": "{count} delayed parcel",
    "n.delayedParcel_other": "{count} delayed parcels",
    "n.deliveredParcel_one": "{count} delivered parcel",
    "n.deliveredParcel_other": "{count} delivered parcels",
    "n.variant_one": "{count} variant",
    "n.variant_other": "{count} variants",
    "n.bestSeller_one": "{count} best-seller",
    "n.bestSeller_other": "{count} best-sellers",
    "n.ticket_one": "{count} ticket",
    "n.ticket_other": "{count} tickets",
    "n.customer_one": "{count} customer",
    "n.customer_other": "{count} customers",
    "n.lapsedCustomer_one": "{count} lapsed customer",
    "n.lapsedCustomer_other": "{count} lapsed customers",
    "n.offer_one": "{count} offer",
    "n.offer_other": "{count} offers",
    "n.offerShown_one": "{count} offer shown",
    "n.offerShown_other": "{count} offers shown",
    "n.refund_one": "{count} refund",
    "n.refund_other": "{count} refunds",
    "n.checkout_one": "{count} checkout",
    "n.checkout_other": "{count} checkouts",
    "n.abandonedCheckout_one": "{count} abandoned checkout",
    "n.abandonedCheckout_other": "{count} abandoned checkouts",

    "context.partOf": "{part} of {whole}",
    "context.ordersAmount": "{part} of {whole}, {amount}",
    "context.medianOf": "median of {values}",
    "context.medianWaiting": "median of {values}, {waiting} still waiting",
    "context.ofShipped": "of {shipped}",
    "context.topBestSellers": "{out} of the top {best}",
    "context.ticketsFor": "{tickets} for {orders}",

    "missing.noOrders": "No orders were placed in the window.",
    "missing.noRefunds":
      "No refund sending money back was issued in the window, as far as Switchboard knows (it dates refunds from Shopify's order updates, not from the history import).",
    "missing.noStock":
      "Switchboard has no stock levels for your variants yet: they arrive with inventory updates from Shopify.",
    "missing.noneShipped": "No order placed in the window has shipped yet.",
    "missing.noParcels": "No parcel was shipped in the window.",
    "missing.bestSellersUnknown":
      "None of the window's best-sellers has a stock level Switchboard knows.",
    "missing.withheld":
      "Shopify withholds customers' emails from Switchboard ({withheld} of your last {orders} orders with a customer account came without them), so tickets and lists cannot be matched to orders.",
    "missing.noFirstResponses":
      "No customer's ticket got its first reply from your team in the window, as far as Gorgias told Switchboard.",
    "missing.noResolvedTickets": "No Gorgias ticket was closed in the window.",
    "missing.connectGorgias":
      "Connect Gorgias to measure your tickets: Switchboard has no helpdesk data.",
    "missing.noTickets": "Gorgias told Switchboard of no ticket in the window.",
    "missing.noDelays": "No parcel shipped in the window was delayed.",
    "missing.noBuyers": "No order in the window came from a customer account.",
    "missing.connectKlaviyoLapsed":
      "Connect Klaviyo to reach lapsed customers: Switchboard's win-back lists live there.",
    "missing.noLapsed": "No customer's last order is between {days} days and a year before that.",
    "missing.connectKlaviyoReviews":
      "Connect Klaviyo to send review requests: Switchboard asks for reviews through it.",
    "missing.noDeliveries": "No parcel was delivered in the window.",
    "missing.noOffers": "No post-purchase offer was shown in the window.",
    "missing.noCheckouts":
      "Switchboard received no checkouts in the window (they arrive with Shopify's checkout webhooks).",
    "missing.noneAbandoned": "No checkout started in the window was abandoned.",
    "fix.connectGorgias": "Connect Gorgias",
    "fix.connectKlaviyo": "Connect Klaviyo",
    "fix.protectedData": "See what protected customer data changes",
    "fix.setUpUpsell": "Set up Post-purchase upsell",

    "punch.abandoned.title_one": "{count} abandoned checkout was not recovered",
    "punch.abandoned.title_other": "{count} abandoned checkouts were not recovered",
    "punch.abandoned.gap": "Recovery gap: {target} recovered at level 3 − {yours} yours = {gap}",
    "punch.abandoned.sum": "{checkouts} × {average} average checkout × {gap} = {total}",
    "punch.lapsed.title_one": "{count} lapsed customer was never reached",
    "punch.lapsed.title_other": "{count} lapsed customers were never reached",
    "punch.lapsed.sum": "{customers} × {aov} average order × {rate} win-back rate = {total}",
    "punch.delayed.title_one": "{count} delayed parcel without a word from you first",
    "punch.delayed.title_other": "{count} delayed parcels without a word from you first",
    "punch.delayed.sum":
      "{parcels} × {rate} become a “where is my order” ticket × {cost} per ticket = {total}",
    "punch.reviews.title_one": "{count} delivered parcel without a review request",
    "punch.reviews.title_other": "{count} delivered parcels without a review request",
    "punch.reviews.sum":
      "{parcels} × {rate} order again after a review ask × {aov} average order = {total}",
    "punch.upsell.title_one": "{count} order with upsells below a {rate} take rate",
    "punch.upsell.title_other": "{count} orders with upsells below a {rate} take rate",
    "punch.upsell.valueEstimated": "Offer value: {aov} average order × {share} = {value}",
    "punch.upsell.valueMeasured": "Offer value: {value} average accepted offer",
    "punch.upsell.sum": "{orders} × ({target} − {current} taken) × {value} = {total}",
    "punch.upsell.titleNone_one": "{count} order with no post-purchase offer shown",
    "punch.upsell.titleNone_other": "{count} orders with no post-purchase offer shown",
    "punch.upsell.sumNone":
      "{orders} × {target} typically taken once offers are shown × {value} = {total}",
    "punch.outstanding.title_one": "{count} order is waiting for payment",
    "punch.outstanding.title_other": "{count} orders are waiting for payment",
    "punch.outstanding.sum":
      "{amount} pending or failed × {rate} never collected without follow-up = {total}",

    computedAt: "Computed {when}",
    "band.under-1m": "under {currency}1M a year",
    "band.1m-5m": "{currency}1M–5M a year",
    "band.5m-15m": "{currency}5M–15M a year",
    "band.15m-50m": "{currency}15M–50M a year",
    "band.over-50m": "over {currency}50M a year",
    "band.basis": "{revenue} over {days} days × 365/{days}",
  },
  fr: {
    "zone.order-to-cash": "De la commande à l’encaissement",
    "zone.inventory-fulfillment": "Stock et expédition",
    "zone.customer-service": "Service client",
    "zone.post-purchase-marketing": "Après-achat et marketing",

    "payments-outstanding.label": "Paiements en attente ou échoués",
    "payments-outstanding.definition":
      "Commandes passées sur la période, non annulées, dont le paiement est encore en attente, seulement autorisé ou partiellement payé, ou a été annulé ou a expiré, en part de toutes les commandes de la période.",
    "payment-age.label": "Ancienneté des paiements en attente",
    "payment-age.definition":
      "Depuis combien de temps les paiements en attente de la période attendent : la durée médiane depuis la commande.",
    "refund-turnaround.label": "Délai de remboursement",
    "refund-turnaround.definition":
      "Remboursements émis sur la période qui rendent de l’argent : la durée médiane entre l’émission du remboursement dans Shopify et le retour de l’argent au client (ses transactions de remboursement traitées). Un remboursement encore en attente compte le temps attendu jusqu’à la fin de la période.",
    "oversold-orders.label": "Commandes ayant survendu une variante",
    "oversold-orders.definition":
      "Commandes de la période contenant un article dont le stock, cumulé sur vos emplacements, est aujourd’hui négatif, en part des commandes de la période.",
    "ship-time-p50.label": "De la commande à l’expédition (habituel)",
    "ship-time-p50.definition":
      "La moitié des commandes expédiées de la période sont parties dans ce délai : la médiane entre la commande et son premier traitement.",
    "ship-time-p90.label": "De la commande à l’expédition (10 % les plus lentes)",
    "ship-time-p90.definition":
      "Neuf commandes expédiées sur dix de la période sont parties dans ce délai (90e centile entre la commande et son premier traitement).",
    "parcels-delayed.label": "Colis retardés ou en échec",
    "parcels-delayed.definition":
      "Colis expédiés sur la période que le transporteur a marqués retardés, en échec ou avec tentative de livraison, ou qui ont manqué leur date de livraison estimée, en part des colis de la période.",
    "bestseller-stockouts.label": "Meilleures ventes en rupture",
    "bestseller-stockouts.definition":
      "Parmi les {top} variantes les plus vendues de la période (en unités) dont Switchboard connaît le stock, la part qui n’en a plus aujourd’hui.",
    "tickets-per-100-orders.label": "Tickets pour 100 commandes",
    "tickets-per-100-orders.definition":
      "Tickets Gorgias mis à jour pour la dernière fois sur la période, pour 100 commandes passées sur celle-ci (Switchboard apprend l’existence des tickets quand Gorgias les met à jour).",
    "wismo-share.label": "Tickets « Où est ma commande ? »",
    "wismo-share.definition":
      "Tickets de la période venant d’un client qui avait un colis en route (expédié dans les {days} jours précédents, pas encore livré) lors de la mise à jour du ticket, en part des tickets de la période.",
    "first-response-time.label": "Délai de première réponse",
    "first-response-time.definition":
      "Tickets Gorgias ayant reçu leur première réponse sur la période : la durée médiane entre le message du client (la création du ticket) et la première réponse de votre équipe. Les tickets ouverts par votre équipe ne comptent pas.",
    "resolution-time.label": "Délai de résolution",
    "resolution-time.definition":
      "Tickets Gorgias fermés sur la période et toujours fermés : la durée médiane entre la création du ticket et sa fermeture. Les spams et les tickets supprimés ne comptent pas.",
    "delays-reached-first.label": "Retards signalés en premier",
    "delays-reached-first.definition":
      "Colis retardés de la période dont le client a reçu un message de « Prévenir des retards de livraison » avant de vous écrire, en part des colis retardés de la période.",
    "repeat-purchase-rate.label": "Taux de réachat",
    "repeat-purchase-rate.definition":
      "Clients ayant commandé sur la période et qui avaient déjà commandé auparavant, en part des clients de la période.",
    "lapsed-reached.label": "Clients inactifs relancés",
    "lapsed-reached.definition":
      "Clients ayant dépassé votre première étape de reconquête (depuis moins d’un an) et inscrits sur une des listes de reconquête de Switchboard dans Klaviyo, en part de ces clients.",
    "review-asks.label": "Demandes d’avis par colis livré",
    "review-asks.definition":
      "Colis livrés sur la période dont la commande a reçu une demande d’avis de « Demande d’avis au bon moment », en part des colis livrés de la période.",
    "upsell-take-rate.label": "Taux d’acceptation des offres",
    "upsell-take-rate.definition":
      "Offres après achat affichées sur la période que l’acheteur a acceptées.",
    "checkout-recovery.label": "Taux de récupération des paniers",
    "checkout-recovery.definition":
      "Paniers commencés sur la période et laissés sans commande au-delà de votre délai d’abandon, devenus ensuite une commande, en part de ces paniers abandonnés.",

    "unit.percent": "{value} %",
    "unit.hours_one": "{value} heure",
    "unit.hours_other": "{value} heures",
    "unit.days_one": "{value} jour",
    "unit.days_other": "{value} jours",
    "unit.per100": "{value} pour 100 commandes",
    thresholdsLower: "Niveau 3 à {l3} ou moins · 2 à {l2} · 1 à {l1}",
    thresholdsHigher: "Niveau 3 à {l3} ou plus · 2 à {l2} · 1 à {l1}",
    noneWaiting: "Aucun en attente",

    "n.order_one": "{count} commande",
    "n.order_other": "{count} commandes",
    "n.waitingPayment_one": "{count} paiement en attente",
    "n.waitingPayment_other": "{count} paiements en attente",
    "n.shippedOrder_one": "{count} commande expédiée",
    "n.shippedOrder_other": "{count} commandes expédiées",
    "n.parcel_one": "{count} colis",
    "n.parcel_other": "{count} colis",
    "n.delayedParcel_one": "{count} colis retardé",
    "n.delayedParcel_other": "{count} colis retardés",
    "n.deliveredParcel_one": "{count} colis livré",
    "n.deliveredParcel_other": "{count} colis livrés",
    "n.variant_one": "{count} variante",
    "n.variant_other": "{count} variantes",
    "n.bestSeller_one": "{count} meilleure vente",
    "n.bestSeller_other": "{count} meilleures ventes",
    "n.ticket_one": "{count} ticket",
    "n.ticket_other": "{count} tickets",
    "n.customer_one": "{count} client",
    "n.customer_other": "{count} clients",
    "n.lapsedCustomer_one": "{count} client inactif",
    "n.lapsedCustomer_other": "{count} clients inactifs",
    "n.offer_one": "{count} offre",
    "n.offer_other": "{count} offres",
    "n.offerShown_one": "{count} offre affichée",
    "n.offerShown_other": "{count} offres affichées",
    "n.refund_one": "{count} remboursement",
    "n.refund_other": "{count} remboursements",
    "n.checkout_one": "{count} panier",
    "n.checkout_other": "{count} paniers",
    "n.abandonedCheckout_one": "{count} panier abandonné",
    "n.abandonedCheckout_other": "{count} paniers abandonnés",

    "context.partOf": "{part} sur {whole}",
    "context.ordersAmount": "{part} sur {whole}, {amount}",
    "context.medianOf": "médiane de {values}",
    "context.medianWaiting": "médiane de {values}, dont {waiting} encore en attente",
    "context.ofShipped": "sur {shipped}",
    "context.topBestSellers": "{out} sur les {best} premières",
    "context.ticketsFor": "{tickets} pour {orders}",

    "missing.noOrders": "Aucune commande n’a été passée sur la période.",
    "missing.noRefunds":
      "Aucun remboursement rendant de l’argent n’a été émis sur la période, à la connaissance de Switchboard (il date les remboursements à partir des mises à jour de commandes de Shopify, pas de l’import de l’historique).",
    "missing.noStock":
      "Switchboard ne connaît pas encore le stock de vos variantes : il arrive avec les mises à jour de stock de Shopify.",
    "missing.noneShipped": "Aucune commande passée sur la période n’a encore été expédiée.",
    "missing.noParcels": "Aucun colis n’a été expédié sur la période.",
    "missing.bestSellersUnknown":
      "Switchboard ne connaît le stock d’aucune des meilleures ventes de la période.",
    "missing.withheld":
      "Shopify ne transmet pas l’e-mail des clients à Switchboard ({withheld} de vos {orders} dernières commandes avec un compte client sont arrivées sans), donc les tickets et les listes ne peuvent pas être rapprochés des commandes.",
    "missing.noFirstResponses":
      "Aucun ticket client n’a reçu de première réponse de votre équipe sur la période, d’après ce que Gorgias a transmis à Switchboard.",
    "missing.noResolvedTickets": "Aucun ticket Gorgias n’a été fermé sur la période.",
    "missing.connectGorgias":
      "Connectez Gorgias pour mesurer vos tickets : Switchboard n’a aucune donnée de support.",
    "missing.noTickets": "Gorgias n’a signalé aucun ticket à Switchboard sur la période.",
    "missing.noDelays": "Aucun colis expédié sur la période n’a été retardé.",
    "missing.noBuyers": "Aucune commande de la période ne vient d’un compte client.",
    "missing.connectKlaviyoLapsed":
      "Connectez Klaviyo pour relancer les clients inactifs : les listes de reconquête de Switchboard y sont.",
    "missing.noLapsed":
      "Aucun client n’a passé sa dernière commande entre {days} jours et un an avant cette date.",
    "missing.connectKlaviyoReviews":
      "Connectez Klaviyo pour envoyer des demandes d’avis : Switchboard les envoie par Klaviyo.",
    "missing.noDeliveries": "Aucun colis n’a été livré sur la période.",
    "missing.noOffers": "Aucune offre après achat n’a été affichée sur la période.",
    "missing.noCheckouts":
      "Switchboard n’a reçu aucun panier sur la période (ils arrivent avec les webhooks de paiement de Shopify).",
    "missing.noneAbandoned": "Aucun panier commencé sur la période n’a été abandonné.",
    "fix.connectGorgias": "Connecter Gorgias",
    "fix.connectKlaviyo": "Connecter Klaviyo",
    "fix.protectedData": "Voir ce que changent les données client protégées",
    "fix.setUpUpsell": "Configurer les offres après achat",

    "punch.abandoned.title_one": "{count} panier abandonné n’a pas été récupéré",
    "punch.abandoned.title_other": "{count} paniers abandonnés n’ont pas été récupérés",
    "punch.abandoned.gap":
      "Écart de récupération : {target} récupérés au niveau 3 − {yours} chez vous = {gap}",
    "punch.abandoned.sum": "{checkouts} × {average} de panier moyen × {gap} = {total}",
    "punch.lapsed.title_one": "{count} client inactif n’a jamais été relancé",
    "punch.lapsed.title_other": "{count} clients inactifs n’ont jamais été relancés",
    "punch.lapsed.sum": "{customers} × {aov} de commande moyenne × {rate} de reconquête = {total}",
    "punch.delayed.title_one": "{count} colis retardé sans message de votre part d’abord",
    "punch.delayed.title_other": "{count} colis retardés sans message de votre part d’abord",
    "punch.delayed.sum":
      "{parcels} × {rate} deviennent un ticket « Où est ma commande ? » × {cost} par ticket = {total}",
    "punch.reviews.title_one": "{count} colis livré sans demande d’avis",
    "punch.reviews.title_other": "{count} colis livrés sans demande d’avis",
    "punch.reviews.sum":
      "{parcels} × {rate} recommandent après une demande d’avis × {aov} de commande moyenne = {total}",
    "punch.upsell.title_one":
      "{count} commande avec des offres sous un taux d’acceptation de {rate}",
    "punch.upsell.title_other":
      "{count} commandes avec des offres sous un taux d’acceptation de {rate}",
    "punch.upsell.valueEstimated":
      "Valeur d’une offre : {aov} de commande moyenne × {share} = {value}",
    "punch.upsell.valueMeasured": "Valeur d’une offre : {value} par offre acceptée en moyenne",
    "punch.upsell.sum": "{orders} × ({target} − {current} acceptées) × {value} = {total}",
    "punch.upsell.titleNone_one": "{count} commande sans offre après achat affichée",
    "punch.upsell.titleNone_other": "{count} commandes sans offre après achat affichée",
    "punch.upsell.sumNone":
      "{orders} × {target} acceptées en général une fois les offres affichées × {value} = {total}",
    "punch.outstanding.title_one": "{count} commande attend son paiement",
    "punch.outstanding.title_other": "{count} commandes attendent leur paiement",
    "punch.outstanding.sum":
      "{amount} en attente ou en échec × {rate} jamais encaissés sans relance = {total}",

    computedAt: "Calculé {when}",
    "band.under-1m": "moins de 1 M{currency} par an",
    "band.1m-5m": "1 à 5 M{currency} par an",
    "band.5m-15m": "5 à 15 M{currency} par an",
    "band.15m-50m": "15 à 50 M{currency} par an",
    "band.over-50m": "plus de 50 M{currency} par an",
    "band.basis": "{revenue} sur {days} jours × 365/{days}",
  },
});

export type GapT = Translate<typeof gapMessages.en>;

/** The measures, by the id that names their label and definition above. */
export type MeasureId = {
  [K in keyof typeof gapMessages.en]: K extends `${infer Id}.label` ? Id : never;
}[keyof typeof gapMessages.en];

/** What the engine writes with: the language, its messages, and numbers/money formatted for it. */
export interface Present {
  locale: Locale;
  currency: string;
  t: GapT;
  money(amount: number): string;
  number(value: number, digits?: number): string;
  percent(rate: number): string;
  /** "3 orders" / "3 commandes": a count with its noun (keys `n.<noun>`). */
  count(noun: Noun, count: number): string;
}

export type Noun =
  | "order"
  | "waitingPayment"
  | "shippedOrder"
  | "parcel"
  | "delayedParcel"
  | "deliveredParcel"
  | "variant"
  | "bestSeller"
  | "ticket"
  | "customer"
  | "lapsedCustomer"
  | "offer"
  | "offerShown"
  | "checkout"
  | "abandonedCheckout"
  | "refund";

export function presentFor(locale: Locale, currency: string): Present {
  const t = translator(gapMessages, locale);
  const tag = intlLocale(locale);
  const number = (value: number, digits = 1) =>
    new Intl.NumberFormat(tag, { maximumFractionDigits: digits }).format(value);
  return {
    locale,
    currency,
    t,
    money: (amount) => formatMoney(amount, currency, tag),
    number,
    percent: (rate) => t("unit.percent", { value: number(rate * 100) }),
    count: (noun, count) => t(`n.${noun}`, { count }),
  };
}
