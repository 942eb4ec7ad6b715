import type { Locale } from "../i18n/locale";
import { defineMessages } from "../i18n/messages";

/** A plan's name as screens show it ("Free" reads "Gratuit" in French). */
export const planLabel = (name: string, locale: Locale = "en") =>
  locale === "fr" && name === "Free" ? "Gratuit" : name;

/** What the Plan screen's server side says (app/billing/plan-screen.server.ts). */
export const messages = defineMessages({
  en: {
    notCharged:
      "Upsell fees are not charged: plan fees are billed in {billing} and your store sells in {store}.",
    usageTerms: "{rate} of charged post-purchase upsell revenue, at most {cap} per 30 days",
    choosePlan: "Choose a plan.",
    alreadyOn: "You are already on the {plan} plan.",
    nothingToCancel: "There is no paid plan to cancel.",
    cancelled: "Your {plan} plan is cancelled. The Free plan's limits apply from now on.",
  },
  fr: {
    notCharged:
      "Les frais sur les offres complémentaires ne sont pas facturés : le forfait est facturé en {billing} et votre boutique vend en {store}.",
    usageTerms:
      "{rate} du chiffre d'affaires facturé des offres post-achat, au maximum {cap} par période de 30 jours",
    choosePlan: "Choisissez un forfait.",
    alreadyOn: "Vous avez déjà le forfait {plan}.",
    nothingToCancel: "Aucun forfait payant à annuler.",
    cancelled:
      "Votre forfait {plan} est annulé. Les limites du forfait Gratuit s'appliquent dès maintenant.",
  },
});
