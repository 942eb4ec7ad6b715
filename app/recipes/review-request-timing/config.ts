import { z } from "zod";
import { metricName, wholeNumber } from "../shared";

export const configSchema = z.object({
  daysAfterDelivery: wholeNumber("days", 1, 60)
    .default(7)
    .meta({
      title: "Ask for a review this many days after delivery",
      unit: "days",
      fr: { title: "Demander un avis ce nombre de jours après la livraison" },
    }),
  metric: metricName("Review Request Due").meta({
    title: "Klaviyo event name",
    description: "Trigger your review flow on it.",
    fr: {
      title: "Nom de l’événement Klaviyo",
      description: "Déclenchez-y votre flow de demande d’avis.",
    },
  }),
  holdDays: wholeNumber("days", 0, 30)
    .default(14)
    .meta({
      title: "While a ticket or refund is open, keep waiting up to",
      description: "Checked again every day; after this, the request is dropped.",
      unit: "days",
      fr: {
        title: "Tant qu’un ticket ou un remboursement est ouvert, attendre jusqu’à",
        description: "Revérifié chaque jour ; passé ce délai, la demande est abandonnée.",
      },
    }),
});

export type ReviewConfig = z.output<typeof configSchema>;
