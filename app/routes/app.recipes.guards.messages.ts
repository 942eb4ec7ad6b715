import { defineMessages } from "../i18n/messages";

export const messages = defineMessages({
  en: {
    unknownRequest: "Unknown request.",
    saved: "Guards saved.",
    needsFixing: "Some settings need fixing; see the messages below.",
    title: "Shared guards",
    subtitle: "Limits every recipe respects, across Klaviyo, Gorgias and offers.",
    recipes: "Recipes",
    inShort: "In short",
    everyRecipe: "Every recipe: {summary}",
    caps: "Caps count across recipes: a review request and a back-in-stock note on the same day are two marketing messages. Delay outreach and white-glove tickets are service, never capped; list and profile updates are data, never capped.",
  },
  fr: {
    unknownRequest: "Requête inconnue.",
    saved: "Garde-fous enregistrés.",
    needsFixing: "Certains paramètres sont à corriger ; consultez les messages ci-dessous.",
    title: "Garde-fous communs",
    subtitle:
      "Les limites que toutes les recettes respectent, pour Klaviyo, Gorgias et les offres.",
    recipes: "Recettes",
    inShort: "En bref",
    everyRecipe: "{summary}",
    caps: "Les plafonds s'appliquent à l'ensemble des recettes : une demande d'avis et une alerte de retour en stock le même jour comptent pour deux messages marketing. Les messages d'excuse pour retard et les tickets de service premium relèvent du service client et ne sont jamais plafonnés ; les mises à jour de listes et de profils sont des données et ne sont jamais plafonnées.",
  },
});
