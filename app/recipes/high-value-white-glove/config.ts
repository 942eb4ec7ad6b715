import { z } from "zod";
import { money, tagList } from "../shared";

/** The order total that counts as high value until the merchant sets their own. */
export const HIGH_VALUE_DEFAULT = 500;

export const configSchema = z.object({
  threshold: money(1)
    .default(HIGH_VALUE_DEFAULT)
    .meta({
      title: "Orders worth at least",
      description:
        "In your store's currency (orders paid in another currency are converted by Shopify).",
      fr: {
        title: "Commandes d’au moins",
        description:
          "Dans la devise de votre boutique (Shopify convertit les commandes payées dans une autre devise).",
      },
    }),
  orderTag: z
    .string()
    .trim()
    .min(1, { error: "Give the tag a name" })
    .max(40, { error: "At most 40 characters" })
    .regex(/^[^,]+$/, { error: "One tag, without commas" })
    .default("white-glove")
    .meta({
      title: "Tag the order in Shopify with",
      fr: { title: "Ajouter à la commande dans Shopify la balise" },
    }),
  tagCustomer: z
    .boolean()
    .default(false)
    .meta({ title: "Tag the customer too", fr: { title: "Ajouter aussi la balise au client" } }),
  openTicket: z
    .boolean()
    .default(true)
    .meta({
      title: "Open a Gorgias ticket for a personal follow-up",
      fr: { title: "Ouvrir un ticket Gorgias pour un suivi personnalisé" },
    }),
  ticketTags: tagList()
    .default(["switchboard", "white-glove"])
    .meta({
      title: "Ticket tags",
      description: "Separated by commas.",
      fr: { title: "Balises du ticket", description: "Séparées par des virgules." },
    }),
});

export type WhiteGloveConfig = z.output<typeof configSchema>;
