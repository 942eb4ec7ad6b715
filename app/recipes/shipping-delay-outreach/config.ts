import { z } from "zod";
import { metricName, tagList, wholeNumber } from "../shared";

export const DELAY_STATUSES = ["delayed", "failure", "attempted_delivery"] as const;

export const configSchema = z.object({
  statuses: z
    .array(z.enum(DELAY_STATUSES))
    .min(1, { error: "Pick at least one carrier status" })
    .default([...DELAY_STATUSES])
    .meta({
      title: "Reach out when the carrier reports",
      options: {
        delayed: "Delayed",
        failure: "Delivery failed",
        attempted_delivery: "Delivery attempted",
      },
      fr: {
        title: "Contacter le client quand le transporteur signale",
        options: {
          delayed: "Un retard",
          failure: "Un échec de livraison",
          attempted_delivery: "Une tentative de livraison",
        },
      },
    }),
  unshippedAfterHours: wholeNumber("hours", 0, 720)
    .default(48)
    .meta({
      title: "…or when a paid order is still not shipped after",
      description: "0 turns this off. At most 720 hours (30 days).",
      unit: "hours",
      fr: {
        title: "…ou quand une commande payée n’est toujours pas expédiée après",
        description: "0 désactive cette option. 720 heures (30 jours) au plus.",
      },
    }),
  metric: metricName("Shipment Delayed").meta({
    title: "Klaviyo event name",
    description: "Trigger your delay email flow on it.",
    fr: {
      title: "Nom de l’événement Klaviyo",
      description: "Déclenchez-y votre flow d’e-mail de retard.",
    },
  }),
  openTicket: z
    .boolean()
    .default(true)
    .meta({
      title: "Open a Gorgias ticket so the team can follow up (or tag the customer's open ticket)",
      fr: {
        title:
          "Ouvrir un ticket Gorgias pour que l’équipe assure le suivi (ou ajouter une balise au ticket ouvert du client)",
      },
    }),
  ticketTags: tagList()
    .default(["switchboard", "proactive-wismo"])
    .meta({
      title: "Ticket tags",
      description: "Separated by commas.",
      fr: { title: "Balises du ticket", description: "Séparées par des virgules." },
    }),
});

export type ShippingDelayConfig = z.output<typeof configSchema>;
