import { z } from "zod";
import { metricName, wholeNumber } from "../shared";

export const configSchema = z.object({
  items: z
    .array(
      z.object({
        sku: z
          .string()
          .trim()
          .min(1, { error: "Enter a SKU" })
          .max(64, { error: "At most 64 characters" })
          .meta({ title: "SKU", fr: { title: "SKU" } }),
        days: wholeNumber("days", 1, 365).meta({
          title: "Lasts this many days",
          unit: "days",
          fr: { title: "Dure ce nombre de jours" },
        }),
      }),
    )
    .max(200, { error: "At most 200 SKUs" })
    .refine((items) => new Set(items.map((i) => i.sku.toLowerCase())).size === items.length, {
      error: "Each SKU once",
    })
    .default([])
    .meta({
      title: "How long each product lasts",
      itemTitle: "SKU",
      fr: { title: "Durée de chaque produit", itemTitle: "SKU", addItem: "Ajouter un SKU" },
    }),
  scaleByQuantity: z
    .boolean()
    .default(true)
    .meta({
      title: "Two units last twice as long",
      fr: { title: "Deux unités durent deux fois plus longtemps" },
    }),
  metric: metricName("Replenishment Due").meta({
    title: "Klaviyo event name",
    fr: { title: "Nom de l’événement Klaviyo" },
  }),
  holdDays: wholeNumber("days", 0, 30)
    .default(7)
    .meta({
      title: "While a ticket or refund is open, keep waiting up to",
      unit: "days",
      fr: { title: "Tant qu’un ticket ou un remboursement est ouvert, attendre jusqu’à" },
    }),
});

export type ReplenishmentConfig = z.output<typeof configSchema>;
