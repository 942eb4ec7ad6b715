import { z } from "zod";
import { listOf, money, shopifyId, tagList, wholeNumber } from "../shared";

export const discountSchema = z
  .object({
    type: z
      .enum(["percentage", "fixed_amount"])
      .default("percentage")
      .meta({
        title: "Type",
        options: { percentage: "Percent off", fixed_amount: "Amount off" },
      }),
    value: money(0, 10_000).default(10).meta({
      title: "Value",
      description: "A percentage, or an amount in your store's currency.",
    }),
  })
  .refine((d) => d.type !== "percentage" || d.value <= 90, {
    error: "A percentage discount is at most 90",
    path: ["value"],
  });

export const offerRuleSchema = z
  .object({
    name: z
      .string()
      .trim()
      .max(60, { error: "At most 60 characters" })
      .default("")
      .meta({ title: "Rule name", description: "For you; shoppers never see it." }),
    productIds: listOf(shopifyId("Product")).default([]).meta({
      title: "When the order has any of these products",
      description: "Choose products, collections or tags below: at least one of them.",
      picker: "product",
      oneOfGroup: "trigger",
    }),
    collectionIds: listOf(shopifyId("Collection")).default([]).meta({
      title: "…or a product from these collections",
      picker: "collection",
      oneOfGroup: "trigger",
    }),
    tags: tagList(20).default([]).meta({
      title: "…or a product tagged",
      description: "Product tags, separated by commas.",
      oneOfGroup: "trigger",
    }),
    offerVariantId: shopifyId("ProductVariant").meta({
      title: "Offer this variant",
      picker: "variant",
    }),
    fallbackVariantId: shopifyId("ProductVariant")
      .optional()
      .meta({ title: "If it is short of stock, offer this one instead", picker: "variant" }),
    discount: discountSchema.prefault({}).meta({ title: "Discount on the offer" }),
  })
  .refine(
    (rule) =>
      [rule.productIds, rule.collectionIds, rule.tags].some(
        (list) => Array.isArray(list) && list.length > 0,
      ),
    {
      error: "Say which orders get this offer: a product, a collection or a tag",
      path: ["productIds"],
      // Shown together with the other fields' errors, not after they are fixed.
      when: () => true,
    },
  )
  .refine(
    (rule) =>
      rule.fallbackVariantId === undefined || rule.fallbackVariantId !== rule.offerVariantId,
    {
      error: "The fallback must be a different variant",
      path: ["fallbackVariantId"],
    },
  );

export const configSchema = z.object({
  rules: z.array(offerRuleSchema).max(20, { error: "At most 20 rules" }).default([]).meta({
    title: "Offer rules",
    description: "Checked in order; the first rule that matches and has stock wins.",
    itemTitle: "Rule",
  }),
  minimumStock: wholeNumber("units", 1, 10_000)
    .default(3)
    .meta({ title: "Only offer a variant with at least this many in stock", unit: "units" }),
  minimumOrderTotal: money(0).default(0).meta({
    title: "Only after orders of at least",
    description: "In your store's currency; 0 for every order.",
  }),
});

export type UpsellConfig = z.output<typeof configSchema>;
export type OfferRule = UpsellConfig["rules"][number];
