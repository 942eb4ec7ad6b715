import "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { customers, orders } from "../../db/schema/index";
import {
  getGuardConfig,
  saveGuardConfig,
  saveRecipeConfig,
} from "../../app/models/recipe-settings.server";
import { forgetShopOfferSettings } from "../../app/post-purchase/decide.server";
import { action as offerAction } from "../../app/routes/api.post-purchase.offer";
import {
  CATALOG,
  checkoutRequest,
  purchaseToken,
  seedCustomer,
  seedUpsellShop,
} from "../helpers/post-purchase";
import { describeWithRuntime } from "../helpers/runtime";
import { SHOP_A } from "../helpers/vendors";

const VIP = 7_500_000_001;
const REGULAR = 7_500_000_002;
const NEWCOMER = 7_500_000_003;
const HOUR = 3_600_000;

describeWithRuntime("offer targeting at the checkout", ({ runtime }) => {
  const db = () => runtime().database.db;
  beforeAll(async () => {
    await seedUpsellShop(db(), SHOP_A, { mug: 50, lantern: 50 });
    await seedCustomer(db(), SHOP_A, VIP, "vip@example.com");
    await seedCustomer(db(), SHOP_A, REGULAR, "regular@example.com");
    await db()
      .update(customers)
      .set({ tags: ["VIP", "newsletter"] })
      .where(and(eq(customers.shop, SHOP_A), eq(customers.id, String(VIP))));
    await saveRecipeConfig(db(), SHOP_A, "post-purchase-upsell", {
      minimumStock: 3,
      rules: [
        {
          name: "VIPs over $50",
          everyOrder: true,
          customerTags: ["vip"],
          subtotalAtLeast: 50,
          offerVariantId: String(CATALOG.lantern.variantId),
        },
      ],
    });
    forgetShopOfferSettings(SHOP_A);
  });

  let purchases = 0;
  async function offerFor(customerId: number, total: string, shipsTo?: string) {
    const referenceId = `target-${customerId}-${total}-${++purchases}`;
    const token = await purchaseToken({
      shop: SHOP_A,
      referenceId,
      customerId,
      lineItems: [{ ...CATALOG.tent, quantity: 1 }],
      total,
      ...(shipsTo ? { destinationCountryCode: shipsTo } : {}),
      iat: Math.floor(runtime().clock.now().getTime() / 1000),
    });
    const response = await offerAction({
      request: checkoutRequest("/api/post-purchase/offer", { token, shop: SHOP_A, referenceId }),
      params: {},
      context: {},
    });
    return (await response.json()) as { offer: { variantId: number } | null; reason?: string };
  }

  it("offers a catch-all rule's product only to customers with its tag, above its subtotal", async () => {
    expect(String((await offerFor(VIP, "84.00")).offer?.variantId)).toBe(
      String(CATALOG.lantern.variantId),
    );
    expect((await offerFor(REGULAR, "84.00")).offer).toBeNull();
    // The same VIP below the rule's subtotal (the upsell cap raised so it is not what stops it).
    await saveGuardConfig(db(), SHOP_A, { ...(await getGuardConfig(db(), SHOP_A)), upsellMax: 10 });
    forgetShopOfferSettings(SHOP_A);
    const small = await offerFor(VIP, "30.00");
    expect(small.offer).toBeNull();
    expect(small.reason).toBe("no offer rule matches this order");
  });

  it("tells a customer's first order from a returning one, and where the order ships", async () => {
    const now = runtime().clock.now().getTime();
    await seedCustomer(db(), SHOP_A, NEWCOMER, "new@example.com");
    // The VIP ordered twice before; this purchase's own order, placed a minute before the page
    // opened, is already stored too and must not count as an earlier one.
    const placed = [30 * 24 * HOUR, 5 * 24 * HOUR, 60_000];
    await db()
      .insert(orders)
      .values(
        placed.map((ago, i) => ({
          shop: SHOP_A,
          id: String(7_600_000_000 + i),
          name: `#${1100 + i}`,
          customerId: String(VIP),
          currency: "USD",
          totalPrice: "40.00",
          currentTotalPrice: "40.00",
          createdAt: new Date(now - ago),
          sourceUpdatedAt: new Date(now - ago),
        })),
      )
      .onConflictDoNothing();
    await saveRecipeConfig(db(), SHOP_A, "post-purchase-upsell", {
      minimumStock: 3,
      rules: [
        {
          name: "Welcome, Canada",
          everyOrder: false,
          productIds: [String(CATALOG.tent.productId)],
          previousOrdersAtMost: 0,
          shippingCountries: "ca, us",
          offerVariantId: String(CATALOG.mug.variantId),
        },
        {
          name: "Loyal customers",
          productIds: [String(CATALOG.tent.productId)],
          previousOrdersAtLeast: 2,
          offerVariantId: String(CATALOG.lantern.variantId),
        },
      ],
    });
    await saveGuardConfig(db(), SHOP_A, { ...(await getGuardConfig(db(), SHOP_A)), upsellMax: 10 });
    forgetShopOfferSettings(SHOP_A);

    const offered = async (customerId: number, shipsTo?: string) =>
      String((await offerFor(customerId, "84.00", shipsTo)).offer?.variantId ?? "none");
    // A first order shipping to Canada (or the US) gets the welcome offer; to France, nothing.
    expect(await offered(NEWCOMER, "CA")).toBe(String(CATALOG.mug.variantId));
    expect(await offered(NEWCOMER, "US")).toBe(String(CATALOG.mug.variantId));
    expect(await offered(NEWCOMER, "FR")).toBe("none");
    // A purchase that does not ship (no country) matches no country rule.
    expect(await offered(NEWCOMER)).toBe("none");
    // Two earlier orders: the loyalty offer, wherever it ships.
    expect(await offered(VIP, "FR")).toBe(String(CATALOG.lantern.variantId));
    // One earlier order is neither new nor loyal.
    await db()
      .delete(orders)
      .where(and(eq(orders.shop, SHOP_A), eq(orders.id, "7600000000")));
    expect(await offered(VIP, "CA")).toBe("none");
  });
});
