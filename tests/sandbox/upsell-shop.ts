import { Session } from "@shopify/shopify-api";
import { inventoryLevels, recipeSettings, variants } from "../../db/schema/index";
import type { Db } from "../../app/db.server";
import { recordInstall } from "../../app/models/shops.server";
import { forgetShopOfferSettings } from "../../app/post-purchase/decide.server";
import { sessionStorage } from "../../app/shopify.server";
import type { WebhookDelivery } from "../../sandbox/simulator";
import type { SandboxStore, SandboxVariant } from "../../sandbox/store/types";
import { onPlan } from "../helpers/billing";

/** The app's route for a path (app/routes/<path with dots>.ts), fed the exact request. */
export async function appRoute(path: string, request: Request): Promise<Response> {
  const file = path.replace(/^\//, "").replaceAll("/", ".");
  const route = await import(`../../app/routes/${file}.ts`);
  return route.action({ request, params: {}, context: {} });
}

/** A simulator transport: each delivery to the app's webhook route; non-200 answers collected. */
export function webhookRoutes(deliveries: WebhookDelivery[], failed: string[]) {
  return async (delivery: WebhookDelivery, headers: Record<string, string>) => {
    deliveries.push(delivery);
    const response = await appRoute(
      `webhooks/${delivery.topic}`,
      new Request(`https://app.test/webhooks/${delivery.topic}`, {
        method: "POST",
        headers,
        body: delivery.body,
      }),
    );
    if (response.status !== 200) failed.push(`${delivery.topic} ${response.status}`);
    return response.status;
  };
}

/** The funnel's two offers: the two cheapest variants of $5 or more. */
export function funnelVariants(store: SandboxStore): [SandboxVariant, SandboxVariant] {
  const [offered, downsell] = [...store.variants]
    .filter((v) => Number(v.price) >= 5)
    .sort((a, b) => Number(a.price) - Number(b.price) || a.id - b.id);
  return [offered!, downsell!];
}

/**
 * The sandbox shop installed in the app (the bootstrap's session and install, on Scale), the
 * two variants with plenty of stock in its read model, and the upsell on for every order: the
 * first variant at 20 % off; declined → the second at 30 % off.
 */
export async function seedSandboxUpsell(
  db: Db,
  store: SandboxStore,
  options: { accessToken: string; now: Date },
) {
  const shop = store.shop.domain;
  const [offered, downsell] = funnelVariants(store);
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken: options.accessToken,
    }),
  );
  await recordInstall(db, shop, options.now, { name: store.shop.name });
  await onPlan(db, shop, "Scale", options.now);
  for (const variant of [offered, downsell]) {
    await db
      .insert(variants)
      .values({
        shop,
        id: String(variant.id),
        productId: String(variant.productId),
        inventoryItemId: String(variant.inventoryItemId),
        title: variant.title,
        price: variant.price,
      })
      .onConflictDoNothing();
    await db
      .insert(inventoryLevels)
      .values({
        shop,
        inventoryItemId: String(variant.inventoryItemId),
        locationId: String(store.shop.primaryLocationId),
        available: 500,
        sourceUpdatedAt: options.now,
        refreshedAt: options.now,
      })
      .onConflictDoNothing();
  }
  await db.insert(recipeSettings).values({
    shop,
    recipeId: "post-purchase-upsell",
    enabled: true,
    config: {
      minimumStock: 1,
      rules: [
        {
          name: "Everyone",
          everyOrder: true,
          offerVariantId: String(offered.id),
          discount: { type: "percentage", value: 20 },
          downsellVariantId: String(downsell.id),
          downsellDiscount: { type: "percentage", value: 30 },
        },
      ],
    },
  });
  forgetShopOfferSettings(shop);
  return { offered, downsell };
}
