import { defineMessages } from "../i18n/messages";

export const messages = defineMessages({
  en: {
    heading: "What shoppers see",
    intro: "A rule's offer as the post-purchase page will show it, updated as you edit.",
    language: "Shopper's language",
    english: "English",
    french: "French",
    rule: "Rule",
    ruleNumber: "Rule {number}",
    noRule: "Add an offer rule to see its offer here.",
    chooseVariant: "Choose the variant to offer to see it here.",
    priceAtCheckout: "Price from your store at the checkout",
    preview: "Preview of the offer page",
  },
  fr: {
    heading: "Ce que voient les acheteurs",
    intro:
      "L’offre d’une règle telle que la page post-achat l’affichera, mise à jour pendant vos modifications.",
    language: "Langue de l’acheteur",
    english: "Anglais",
    french: "Français",
    rule: "Règle",
    ruleNumber: "Règle {number}",
    noRule: "Ajoutez une règle d’offre pour voir son offre ici.",
    chooseVariant: "Choisissez la variante à proposer pour la voir ici.",
    priceAtCheckout: "Prix de votre boutique au moment du paiement",
    preview: "Aperçu de la page de l’offre",
  },
});
