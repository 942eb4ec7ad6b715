import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { changesetSignatures, upsellOffers } from "../../db/schema/index";
import { exportCustomerData, redactCustomer, redactShop } from "../../app/models/privacy.server";
import { describeEachDatabase } from "../helpers/database";

const SHOP = "acme-outdoor.myshopify.com";

describeEachDatabase("post-purchase offers under the privacy webhooks", ({ use }) => {
  it("exports a customer's offers, redacts them with their signatures, and goes with the shop", async () => {
    const db = use().database.db;
    const offer = (customerId: string, shop = SHOP) => ({
      id: randomUUID(),
      shop,
      referenceId: `ref-${customerId}`,
      customerId,
      recipe: "post-purchase-upsell",
      variantId: "808950820",
      title: "Enamel camp mug",
      price: "24.00",
      currency: "USD",
      status: "accepted" as const,
      revenue: "20.40",
      changesetJti: randomUUID(),
    });
    const [jane, other, elsewhere] = [
      offer("7001002003"),
      offer("7001002004"),
      offer("7001002003", "other.myshopify.com"),
    ];
    await db.insert(upsellOffers).values([jane, other, elsewhere]);
    await db.insert(changesetSignatures).values({
      jti: jane.changesetJti,
      shop: SHOP,
      referenceId: jane.referenceId,
      offerId: jane.id,
    });

    await exportCustomerData(db, SHOP, { id: "7001002003" }, [], {
      generatedAt: new Date(),
      webhookId: "w-export",
      dataRequestId: "1",
    });
    const exported = await db.query.privacyExports.findFirst({
      where: (t, { eq: equals }) => equals(t.webhookId, "w-export"),
    });
    expect(
      (exported!.data as { upsellOffers: { id: string }[] }).upsellOffers.map((o) => o.id),
    ).toEqual([jane.id]);

    await redactCustomer(db, SHOP, { id: "7001002003" }, []);
    expect((await db.select().from(upsellOffers)).map((o) => o.id).sort()).toEqual(
      [other.id, elsewhere.id].sort(),
    );
    expect(await db.select().from(changesetSignatures)).toEqual([]);

    const counts = await redactShop(db, SHOP);
    expect(counts.upsellOffers).toBe(1);
    expect(await db.select().from(upsellOffers).where(eq(upsellOffers.shop, SHOP))).toEqual([]);
    expect(
      await db.select().from(upsellOffers).where(eq(upsellOffers.shop, "other.myshopify.com")),
    ).toHaveLength(1);
  });
});
