import "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { customers } from "../../db/schema/index";
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

  async function offerFor(customerId: number, total: string) {
    const referenceId = `target-${customerId}-${total}`;
    const token = await purchaseToken({
      shop: SHOP_A,
      referenceId,
      customerId,
      lineItems: [{ ...CATALOG.tent, quantity: 1 }],
      total,
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
});
