import { defineMessages } from "../i18n/messages";

export const messages = defineMessages({
  en: {
    chartLabel: "Offers per day over {days} days: {shown} shown, {accepted} accepted.",
    dayTitle: "{day}: {shown} shown, {accepted} accepted, {charged} charged, {revenue} charged",
    shown: "Shown",
    accepted: "Accepted",
    awaiting_one: "{count} waiting for Shopify to add it to the order",
    awaiting_other: "{count} waiting for Shopify to add them to the order",
    notCharged: "{count} accepted, not charged by Shopify",
    countedOnce: "Counted once Shopify adds them to the order",
    heading: "Post-purchase upsell",
    intro: "One-click offers after checkout, last {days} days.",
    empty:
      "No offers shown yet. Switch on the Post-purchase upsell recipe and pick an offer on a product page to start.",
    emptyNoOffer:
      "The Post-purchase upsell is on but has no offer to show: add an offer rule on its page.",
    emptyWaiting: "The Post-purchase upsell is on; no offer was shown in the last {days} days.",
    offersShown: "Offers shown",
    declined: "{count} declined",
    charged: "Charged",
    conversion: "Conversion",
    revenue: "Revenue charged",
    revenueHint: "Only offers Shopify added to the order",
  },
  fr: {
    chartLabel: "Offres par jour sur {days} jours : {shown} affichées, {accepted} acceptées.",
    dayTitle:
      "{day} : {shown} affichées, {accepted} acceptées, {charged} facturées, {revenue} facturés",
    shown: "Affichées",
    accepted: "Acceptées",
    awaiting_one: "{count} en attente d'ajout à la commande par Shopify",
    awaiting_other: "{count} en attente d'ajout à la commande par Shopify",
    notCharged: "{count} acceptées, non facturées par Shopify",
    countedOnce: "Comptées une fois ajoutées à la commande par Shopify",
    heading: "Offre post-achat",
    intro: "Offres en un clic après le paiement, {days} derniers jours.",
    empty:
      "Aucune offre affichée pour l'instant. Activez la recette Offre post-achat et choisissez une offre sur la page d'un produit pour commencer.",
    emptyNoOffer:
      "L'offre post-achat est activée mais n'a aucune offre à proposer : ajoutez une règle d'offre sur sa page.",
    emptyWaiting:
      "L'offre post-achat est activée ; aucune offre n'a été affichée ces {days} derniers jours.",
    offersShown: "Offres affichées",
    declined: "{count} refusées",
    charged: "Facturées",
    conversion: "Conversion",
    revenue: "Chiffre d'affaires facturé",
    revenueHint: "Uniquement les offres ajoutées à la commande par Shopify",
  },
});
