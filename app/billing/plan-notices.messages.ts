import { defineMessages } from "../i18n/messages";

/** Home's plan banners (app/billing/plan-notices.server.ts). */
export const messages = defineMessages({
  en: {
    "status.ACTIVE": "active",
    "status.PENDING": "waiting for approval",
    "status.ACCEPTED": "accepted",
    "status.DECLINED": "declined",
    "status.FROZEN": "frozen (Shopify could not charge the store)",
    "status.CANCELLED": "cancelled",
    "status.EXPIRED": "expired (it was never approved)",
    lapsedTitle: "Your {plan} plan has stopped",
    lapsedText:
      "Shopify reports the {lapsed} subscription as {status}, so the {plan} plan's limits apply now: {recipes} switched on, {orders} orders acted on per 30 days, and no post-purchase offers.",
    recipes_one: "{count} recipe",
    recipes_other: "{count} recipes",
    paused_one: "{count} recipe is paused until you choose a plan again or switch others off.",
    paused_other: "{count} recipes are paused until you choose a plan again or switch others off.",
    choosePlan: "Choose a plan",
    ordersTitle: "Recipes have stopped acting on new orders",
    ordersText:
      "The {plan} plan's {limit} orders for this billing period are used. New orders until {date} are left alone (Activity lists each one); orders already acted on carry on. Upgrade to keep recipes running.",
    upgradePlan: "Upgrade plan",
  },
  fr: {
    "status.ACTIVE": "actif",
    "status.PENDING": "en attente d'approbation",
    "status.ACCEPTED": "accepté",
    "status.DECLINED": "refusé",
    "status.FROZEN": "gelé (Shopify n'a pas pu facturer la boutique)",
    "status.CANCELLED": "annulé",
    "status.EXPIRED": "expiré (il n'a jamais été approuvé)",
    lapsedTitle: "Votre forfait {plan} s'est arrêté",
    lapsedText:
      "Shopify indique que l'abonnement {lapsed} est {status} : les limites du forfait {plan} s'appliquent donc désormais : {recipes} activées au maximum, {orders} commandes traitées par période de 30 jours, et aucune offre post-achat.",
    recipes_one: "{count} recette",
    recipes_other: "{count} recettes",
    paused_one:
      "{count} recette est en pause jusqu'à ce que vous choisissiez à nouveau un forfait ou désactiviez d'autres recettes.",
    paused_other:
      "{count} recettes sont en pause jusqu'à ce que vous choisissiez à nouveau un forfait ou désactiviez d'autres recettes.",
    choosePlan: "Choisir un forfait",
    ordersTitle: "Les recettes ne traitent plus les nouvelles commandes",
    ordersText:
      "Les {limit} commandes du forfait {plan} pour cette période de facturation sont épuisées. Les nouvelles commandes jusqu'au {date} ne sont pas traitées (Activité les liste une à une) ; les commandes déjà traitées suivent leur cours. Passez à un forfait supérieur pour que les recettes continuent de tourner.",
    upgradePlan: "Passer à un forfait supérieur",
  },
});
