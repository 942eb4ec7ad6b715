import "../helpers/real-fetch";
import "../helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { action as offerAction } from "../../app/routes/api.post-purchase.offer";
import { CATALOG, checkoutRequest, purchaseToken, seedUpsellShop } from "../helpers/post-purchase";
import { describeWithRuntime } from "../helpers/runtime";
import { SHOP_A } from "../helpers/vendors";

describeWithRuntime("the offer in the buyer's currency", ({ runtime }) => {
  const db = () => runtime().database.db;
  beforeAll(async () => {
    await seedUpsellShop(db(), SHOP_A, { mug: 50, lantern: 50 });
  });

  async function offerFor(referenceId: string, presentment?: { amount: string; currency: string }) {
    const token = await purchaseToken({
      shop: SHOP_A,
      referenceId,
      customerId: 7_400_000_001 + Number(referenceId.length),
      lineItems: [{ ...CATALOG.tent, quantity: 1 }],
      total: "84.00",
      presentment,
      iat: Math.floor(runtime().clock.now().getTime() / 1000),
    });
    const response = await offerAction({
      request: checkoutRequest("/api/post-purchase/offer", { token, shop: SHOP_A, referenceId }),
      params: {},
      context: {},
    });
    return (await response.json()).offer;
  }

  it("prices a CAD checkout in CAD at the purchase's own rate, and a USD one in USD only", async () => {
    // The purchase: $84.00 in the shop's USD, CA$113.40 to the buyer (1.35).
    const cad = await offerFor("buyer-cad", { amount: "113.40", currency: "CAD" });
    expect(cad).toMatchObject({
      price: "24.00",
      discountedPrice: "20.40",
      currency: "USD",
      presentment: {
        currency: "CAD",
        price: "32.40",
        discountedPrice: "27.54",
        discountAmount: null,
      },
    });
    const usd = await offerFor("buyer-usd-only");
    expect(usd).toMatchObject({ currency: "USD", presentment: null });
  });
});
