import "../helpers/real-fetch";
import "../helpers/shopify";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { upsellOffers } from "../../db/schema/index";
import { orderEditedPayload } from "../fixtures/shopify-payloads";
import { sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { SHOP_A, withVendorFakes } from "../helpers/vendors";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

withVendorFakes();
const admin = withShopifyAdminFake(sandbox);

describeWithRuntime("orders/edited confirms a post-purchase charge", ({ runtime }) => {
  const db = () => runtime().database.db;
  const chargeReads = () =>
    admin()
      .operations()
      .filter((o) => o.operationName === "SwitchboardUpsellChargeOrder").length;

  /** The store's newest order of a known customer: the purchase a post-purchase offer was added to. */
  const purchase = () => {
    const order = [...sandbox().orders]
      .filter((o) => o.customerId && !o.cancelledAt && o.lineItems.some((l) => l.variantId))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0]!;
    return { order, line: order.lineItems.find((l) => l.variantId)! };
  };

  async function edited(orderId: number, editId: number) {
    const webhookId = randomUUID();
    const response = await deliver(
      "orders/edited",
      orderEditedPayload({ id: editId, order_id: orderId }),
      { shop: SHOP_A, webhookId },
    );
    expect(response.status).toBe(200);
    expect(await settledEvent(db(), webhookId)).toMatchObject({ status: "processed" });
  }

  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
  });

  it("with no accepted offer waiting, an edit costs no Shopify read", async () => {
    const before = chargeReads();
    await edited(purchase().order.id, 1);
    expect(chargeReads()).toBe(before);
  });

  it("reads Shopify's order once per edit and charges the offer its added line confirms", async () => {
    const { order, line } = purchase();
    const shownAt = new Date(Date.parse(order.createdAt) + 2 * 60_000);
    const [offer] = await db()
      .insert(upsellOffers)
      .values({
        id: randomUUID(),
        shop: SHOP_A,
        referenceId: `ref-${randomUUID()}`,
        customerId: String(order.customerId),
        recipe: "post-purchase-upsell",
        variantId: String(line.variantId),
        quantity: 1,
        title: line.title,
        price: line.price.shop,
        currency: order.currency,
        status: "accepted",
        revenue: line.price.shop,
        changesetJti: randomUUID(),
        shownAt,
        respondedAt: shownAt,
      })
      .returning();
    const before = chargeReads();
    await edited(order.id, 2);
    const charged = await waitFor(async () => {
      const [row] = await db().select().from(upsellOffers).where(eq(upsellOffers.id, offer!.id));
      return row?.chargedAt ? row : undefined;
    });
    // The line as Shopify's order states it: its unit price in the shop's currency, no discount.
    expect(charged).toMatchObject({
      orderId: String(order.id),
      chargedRevenue: Number(line.price.shop).toFixed(2),
    });
    expect(chargeReads() - before).toBe(1);

    // The same edit delivered again: one read per edit, and the offer stays charged once.
    await edited(order.id, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chargeReads() - before).toBe(1);
    const [again] = await db().select().from(upsellOffers).where(eq(upsellOffers.id, offer!.id));
    expect(again).toMatchObject({
      chargedAt: charged.chargedAt,
      chargedRevenue: charged.chargedRevenue,
    });
  });
});
