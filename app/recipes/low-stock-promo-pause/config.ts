import { z } from "zod";
import { metricName, shopifyId, wholeNumber } from "../shared";

export const configSchema = z.object({
  threshold: wholeNumber("units", 0, 100_000).default(5).meta({
    title: "Pause a variant when stock falls below",
    description: "Across all locations. Resumes when stock is back at or above it.",
    unit: "units",
  }),
  overrides: z
    .array(
      z.object({
        variantId: shopifyId("ProductVariant").meta({ title: "Variant", picker: "variant" }),
        threshold: wholeNumber("units", 0, 100_000).meta({ title: "Threshold", unit: "units" }),
      }),
    )
    .max(100, { error: "At most 100 overrides" })
    .default([])
    .meta({ title: "Different thresholds for some variants", itemTitle: "Override" }),
  audienceDays: wholeNumber("days", 1, 365)
    .default(60)
    .meta({ title: "Flag customers offered it in the last", unit: "days" }),
  lowStockMetric: metricName("Offer Paused Low Stock").meta({
    title: "Klaviyo event when a variant is paused",
  }),
  backInStockMetric: metricName("Back In Stock").meta({ title: "Klaviyo event when it is back" }),
});

export type LowStockConfig = z.output<typeof configSchema>;
