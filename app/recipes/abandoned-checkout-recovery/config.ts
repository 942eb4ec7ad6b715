import { z } from "zod";
import { metricName, money, tagList, wholeNumber } from "../shared";

export const configSchema = z.object({
  abandonAfterHours: wholeNumber("hours", 1, 72)
    .default(4)
    .meta({
      title: "Treat a checkout as abandoned when no order follows within",
      description: "Counted from the last time the customer changed their checkout. 1 to 72 hours.",
      unit: "hours",
      fr: {
        title: "Considérer un paiement comme abandonné si aucune commande ne suit dans les",
        description:
          "À compter de la dernière modification du paiement par le client. De 1 à 72 heures.",
      },
    }),
  metric: metricName("Checkout Abandoned").meta({
    title: "Klaviyo event name",
    description:
      "Trigger your cart-recovery flow on it. It carries only the items still in stock, and your recovery link.",
    fr: {
      title: "Nom de l’événement Klaviyo",
      description:
        "Déclenchez-y votre flow de récupération de panier. Il ne contient que les articles encore en stock, et votre lien de récupération.",
    },
  }),
  suggestAlternatives: z
    .boolean()
    .default(true)
    .meta({
      title: "Suggest another size or colour that is in stock when an item has sold out",
      fr: { title: "Proposer une autre taille ou couleur en stock quand un article est épuisé" },
    }),
  noteOnOpenTicket: z
    .boolean()
    .default(true)
    .meta({
      title:
        "Customers with an open Gorgias ticket get no email: leave a note on their ticket instead",
      fr: {
        title:
          "Les clients avec un ticket Gorgias ouvert ne reçoivent pas d’e-mail : laisser plutôt une note sur leur ticket",
      },
    }),
  whiteGloveFrom: money(0)
    .default(500)
    .meta({
      title: "Carts worth at least this go to your team as a Gorgias ticket instead of an email",
      description: "In your store's currency, before shipping and taxes. 0 turns this off.",
      fr: {
        title:
          "Les paniers d’au moins ce montant sont confiés à votre équipe par un ticket Gorgias au lieu d’un e-mail",
        description:
          "Dans la devise de votre boutique, hors expédition et taxes. 0 désactive cette option.",
      },
    }),
  ticketTags: tagList()
    .default(["switchboard", "abandoned-checkout"])
    .meta({
      title: "Ticket tags",
      description: "Separated by commas.",
      fr: { title: "Balises du ticket", description: "Séparées par des virgules." },
    }),
});

export type AbandonedCheckoutConfig = z.output<typeof configSchema>;
