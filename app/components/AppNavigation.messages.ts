import { defineMessages } from "../i18n/messages";

export const messages = defineMessages({
  en: {
    home: "Home",
    recipes: "Recipes",
    gaps: "Automation gaps",
    integrations: "Integrations",
    activity: "Activity",
    privacy: "Privacy",
    plan: "Plan",
  },
  fr: {
    home: "Accueil",
    recipes: "Recettes",
    gaps: "Lacunes d’automatisation",
    integrations: "Intégrations",
    activity: "Activité",
    privacy: "Confidentialité",
    plan: "Forfait",
  },
});
