import { z } from "zod";

/**
 * Shopify side effects the recipes ask for, as data (the Klaviyo and Gorgias ones live in
 * app/integrations/delivery/actions.ts). Executed by the deliver-shopify task.
 */
export const shopifyTagsAddAction = z.object({
  kind: z.literal("shopify-tags-add"),
  shop: z.string().min(1),
  recipe: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a recipe id (kebab case)"),
  source: z.string().min(1).max(120),
  discriminator: z.string().min(1).max(64).optional(),
  resource: z.enum(["Order", "Customer"]),
  id: z.number().int().positive(),
  tags: z.array(z.string().trim().min(1).max(255)).min(1).max(20),
});

export type ShopifyTagsAddInput = z.input<typeof shopifyTagsAddAction>;
export type ShopifyTagsAdd = z.output<typeof shopifyTagsAddAction>;

export const SHOPIFY_DELIVERY_TASK = "deliver-shopify";

/** The idempotency key (and job key): `deliver-shopify:<shop>:<recipe>:<source>:<kind>[:<discriminator>]`. */
export function shopifyActionKey(action: Pick<ShopifyTagsAdd, "shop" | "recipe" | "source" | "kind" | "discriminator">): string {
  return `${SHOPIFY_DELIVERY_TASK}:${action.shop}:${shopifyActionSourceId(action)}`;
}

export function shopifyActionSourceId(action: Pick<ShopifyTagsAdd, "recipe" | "source" | "kind" | "discriminator">): string {
  return [action.recipe, action.source, action.kind, action.discriminator].filter((part) => part !== undefined).join(":");
}
