import { defineMessages } from "../../i18n/messages";

export const messages = defineMessages({
  en: {
    heading: "Log in to Switchboard",
    shopDomain: "Shop domain",
    logIn: "Log in",
    missingShop: "Enter your store's domain to log in",
    invalidShop: "Enter a valid store domain, like example.myshopify.com",
  },
  fr: {
    heading: "Connexion à Switchboard",
    shopDomain: "Domaine de la boutique",
    logIn: "Se connecter",
    missingShop: "Saisissez le domaine de votre boutique pour vous connecter",
    invalidShop: "Saisissez un domaine de boutique valide, par exemple example.myshopify.com",
  },
});
