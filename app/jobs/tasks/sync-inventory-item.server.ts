import { z } from "zod";
import { linkVariantToInventoryItem } from "../../models/read-model.server";
import type { AdminData } from "../../integrations/shopify-admin/client.server";
import { unauthenticated } from "../../shopify.server";
import { defineTask } from "../define-task";
import { RetryableError, TerminalError } from "../errors";
import { parseShopifyId, shopifyGid } from "../../utils/shopify-id";
import { syncInventoryItemTask } from "../contracts";

const INVENTORY_ITEM_VARIANT = `#graphql
  query InventoryItemVariant($id: ID!) {
    inventoryItem(id: $id) {
      id
      sku
      variant { id title price product { id } }
    }
  }`;

const responseSchema = z.object({
  data: z
    .object({
      inventoryItem: z
        .object({
          id: z.string(),
          sku: z.string().nullish(),
          variant: z
            .object({
              id: z.string(),
              title: z.string().nullable(),
              price: z.string().nullable(),
              product: z.object({ id: z.string() }).nullable(),
            })
            .nullable(),
        })
        .nullish(),
    })
    .nullish(),
  errors: z
    .array(
      z.object({
        message: z.string(),
        extensions: z.object({ code: z.string().optional() }).passthrough().optional(),
      }),
    )
    .optional(),
});

// The zod schema accepts every answer the generated type allows (tsc fails here otherwise).
true satisfies AdminData<typeof INVENTORY_ITEM_VARIANT> extends NonNullable<
  z.input<typeof responseSchema>["data"]
>
  ? true
  : false;

/**
 * inventory_levels/update names an inventory item, not a variant. The first time we see an
 * item, one small Admin GraphQL read (cost ~3) maps it to its variant so stock checks can join.
 */
export const syncInventoryItem = defineTask({
  ...syncInventoryItemTask,
  async run({ shop, inventoryItemId }, { database }) {
    const { admin } = await unauthenticated.admin(shop);
    const response = await admin.graphql(INVENTORY_ITEM_VARIANT, {
      variables: { id: shopifyGid("InventoryItem", inventoryItemId) },
    });
    const body = responseSchema.parse(await response.json());
    if (body.errors?.some((e) => e.extensions?.code === "THROTTLED"))
      throw new RetryableError("Shopify throttled the inventory item lookup");
    if (body.errors?.length)
      throw new TerminalError(
        `Shopify rejected the inventory item lookup: ${body.errors.map((e) => e.message).join("; ")}`,
      );
    const item = body.data?.inventoryItem;
    const variantId = item?.variant ? parseShopifyId(item.variant.id, "ProductVariant") : null;
    if (!item?.variant || !variantId)
      throw new TerminalError(`Inventory item ${inventoryItemId} has no variant in Shopify`);
    await linkVariantToInventoryItem(database.db, shop, {
      id: variantId,
      productId: item.variant.product ? parseShopifyId(item.variant.product.id, "Product") : null,
      inventoryItemId,
      sku: item.sku ?? null,
      title: item.variant.title,
      price: item.variant.price,
    });
  },
});
