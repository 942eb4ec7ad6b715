import { z } from "zod";
import { metricName, shopifyId, wholeNumber } from "../shared";

export const configSchema = z.object({
  threshold: wholeNumber("units", 0, 100_000)
    .default(5)
    .meta({
      title: "Pause a variant when stock falls below",
      description: "Across all locations. Resumes when stock is back at or above it.",
      unit: "units",
      fr: {
        title: "Mettre une variante en pause quand le stock passe sous",
        description:
          "Tous emplacements confondus. Elle reprend quand le stock revient à ce seuil ou au-dessus.",
      },
    }),
  overrides: z
    .array(
      z.object({
        variantId: shopifyId("ProductVariant").meta({
          title: "Variant",
          picker: "variant",
          fr: { title: "Variante" },
        }),
        threshold: wholeNumber("units", 0, 100_000).meta({
          title: "Threshold",
          unit: "units",
          fr: { title: "Seuil" },
        }),
      }),
    )
    .max(100, { error: "At most 100 overrides" })
    .default([])
    .meta({
      title: "Different thresholds for some variants",
      itemTitle: "Override",
      fr: {
        title: "Des seuils différents pour certaines variantes",
        itemTitle: "Exception",
        addItem: "Ajouter une exception",
      },
    }),
  audienceDays: wholeNumber("days", 1, 365)
    .default(60)
    .meta({
      title: "Flag customers offered it in the last",
      unit: "days",
      fr: { title: "Signaler les clients à qui elle a été proposée au cours des derniers" },
    }),
  lowStockMetric: metricName("Offer Paused Low Stock").meta({
    title: "Klaviyo event when a variant is paused",
    fr: { title: "Événement Klaviyo quand une variante est mise en pause" },
  }),
  backInStockMetric: metricName("Back In Stock").meta({
    title: "Klaviyo event when it is back",
    fr: { title: "Événement Klaviyo quand elle est de retour" },
  }),
});

export type LowStockConfig = z.output<typeof configSchema>;
