import { API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { SignJWT } from "jose";
import { customers, inventoryLevels, recipeSettings, shops, variants } from "../../db/schema/index";
import type { Db } from "../../app/db.server";
import type { PlanName } from "../../app/billing/plans";
import { onPlan } from "./billing";

export interface PurchaseTokenOptions {
  shop: string;
  referenceId: string;
  customerId?: number | null;
  lineItems?: { productId: number; variantId: number; quantity?: number }[];
  total?: string;
  currency?: string;
  /** The total in the buyer's currency, when the checkout is not in the shop's. */
  presentment?: { amount: string; currency: string };
  /** The purchase's shipping country (ISO code); none for a purchase that does not ship. */
  destinationCountryCode?: string;
  /** The checkout's locale (en unless said). */
  locale?: string;
  secret?: string;
  /** Seconds since the epoch. */
  iat?: number;
  exp?: number;
}

/**
 * Shopify's `inputData.token` as the checkout hands it to the post-purchase extension: the
 * input data signed HS256 with the app secret, iss "shopify", sub = the purchase's reference id.
 */
export async function purchaseToken(options: PurchaseTokenOptions): Promise<string> {
  const total = options.total ?? "84.00";
  const currency = options.currency ?? "USD";
  const money = { amount: total, currencyCode: currency };
  const presented = options.presentment
    ? { amount: options.presentment.amount, currencyCode: options.presentment.currency }
    : money;
  const jwt = new SignJWT({
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    ...(options.exp ? { exp: options.exp } : {}),
    input_data: {
      extensionPoint: "Checkout::PostPurchase::ShouldRender",
      shop: { id: 548380009, domain: options.shop, metafields: [] },
      initialPurchase: {
        referenceId: options.referenceId,
        customerId: options.customerId ?? null,
        ...(options.destinationCountryCode
          ? { destinationCountryCode: options.destinationCountryCode }
          : {}),
        totalPriceSet: { shopMoney: money, presentmentMoney: presented },
        lineItems: (options.lineItems ?? []).map((line) => ({
          quantity: line.quantity ?? 1,
          totalPriceSet: { shopMoney: money, presentmentMoney: money },
          product: {
            id: line.productId,
            title: "Product",
            metafields: [],
            variant: { id: line.variantId, title: "Default", metafields: [] },
          },
        })),
      },
      locale: options.locale ?? "en",
      version: "unstable",
    },
  })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("shopify")
    .setSubject(options.referenceId);
  return jwt.sign(new TextEncoder().encode(options.secret ?? API_SECRET_KEY));
}

/** A request as the post-purchase extension's worker sends it (JSON body, a foreign origin). */
export function checkoutRequest(
  path: string,
  body: unknown,
  init: { method?: string; origin?: string } = {},
): Request {
  return new Request(`${APP_URL}${path}`, {
    method: init.method ?? "POST",
    headers: { "Content-Type": "application/json", Origin: init.origin ?? "null" },
    body: init.method === "OPTIONS" ? undefined : JSON.stringify(body),
  });
}

export const CATALOG = {
  /** What the buyer bought: the rule's trigger. */
  tent: { productId: 632910392, variantId: 808950810 },
  /** The rule's first choice. */
  mug: {
    productId: 632910393,
    variantId: 808950820,
    inventoryItemId: 39072850,
    price: "24.00",
    title: "Enamel camp mug",
  },
  /** The rule's fallback. */
  lantern: {
    productId: 632910394,
    variantId: 808950830,
    inventoryItemId: 39072860,
    price: "40.00",
    title: "Trail lantern",
  },
} as const;

/**
 * A shop on Scale with the post-purchase-upsell recipe on: buying the tent offers the mug at 15% off,
 * or the lantern when the mug is short of stock (minimum 3). Stock comes from the read model,
 * refreshed just now (the webhook-fed cache is warm).
 */
export async function seedUpsellShop(
  db: Db,
  shop: string,
  stock: { mug: number; lantern: number },
  options: { enabled?: boolean; plan?: PlanName; now?: Date } = {},
) {
  await db
    .insert(shops)
    .values({ domain: shop, name: "Acme Outdoor", currency: "USD" })
    .onConflictDoNothing();
  // Offers are not in the Free plan: an upsell shop is on Scale unless a test says otherwise.
  await onPlan(db, shop, options.plan ?? "Scale", options.now ?? new Date());
  const config = {
    rules: [
      {
        name: "Tent buyers",
        productIds: [String(CATALOG.tent.productId)],
        offerVariantId: String(CATALOG.mug.variantId),
        fallbackVariantId: String(CATALOG.lantern.variantId),
        discount: { type: "percentage", value: 15 },
      },
    ],
    minimumStock: 3,
  };
  await db
    .insert(recipeSettings)
    .values({ shop, recipeId: "post-purchase-upsell", enabled: options.enabled ?? true, config })
    .onConflictDoUpdate({
      target: [recipeSettings.shop, recipeSettings.recipeId],
      set: { config, enabled: options.enabled ?? true },
    });
  for (const item of [CATALOG.mug, CATALOG.lantern]) {
    await db
      .insert(variants)
      .values({
        shop,
        id: String(item.variantId),
        productId: String(item.productId),
        inventoryItemId: String(item.inventoryItemId),
        title: item.title,
        price: item.price,
      })
      .onConflictDoNothing();
  }
  await setStock(db, shop, stock);
}

export async function setStock(db: Db, shop: string, stock: { mug: number; lantern: number }) {
  const now = new Date();
  for (const [item, available] of [
    [CATALOG.mug, stock.mug],
    [CATALOG.lantern, stock.lantern],
  ] as const) {
    await db
      .insert(inventoryLevels)
      .values({
        shop,
        inventoryItemId: String(item.inventoryItemId),
        locationId: "1",
        available,
        sourceUpdatedAt: now,
        refreshedAt: now,
      })
      .onConflictDoUpdate({
        target: [inventoryLevels.shop, inventoryLevels.inventoryItemId, inventoryLevels.locationId],
        set: { available, sourceUpdatedAt: now, refreshedAt: now },
      });
  }
}

export async function seedCustomer(db: Db, shop: string, id: number, email: string) {
  await db
    .insert(customers)
    .values({ shop, id: String(id), email, firstName: "Jane", lastName: "Doe" })
    .onConflictDoNothing();
}
