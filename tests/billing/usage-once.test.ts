import "../helpers/real-fetch";
import "../helpers/shopify";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { billingUsageRecords, shopSubscriptions, upsellOffers } from "../../db/schema/index";
import { withTransaction } from "../../app/db.server";
import { billUpsellFee } from "../../app/jobs/tasks/bill-upsell-fee.server";
import { confirmUpsellCharges } from "../../app/post-purchase/charges.server";
import { answerSubscription, billingOf, createSubscription } from "../../sandbox/store/billing";
import { sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { SHOP_A, withVendorFakes } from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

withVendorFakes();
const admin = withShopifyAdminFake(sandbox);

describeWithRuntime("the upsell fee is billed once per charged offer", ({ runtime }) => {
  const db = () => runtime().database.db;
  const now = () => runtime().clock.now();
  let usageLineId = "";

  beforeAll(async () => {
    await storeOfflineSession(SHOP_A);
    // The merchant chose Growth and approved it: the fake holds the subscription, the app its row.
    const billing = billingOf(admin().store);
    const created = createSubscription(
      billing,
      {
        name: "Growth",
        returnUrl: "https://app.example/app/plan",
        trialDays: 14,
        test: true,
        lineItems: [
          { plan: { appRecurringPricingDetails: { price: { amount: 19, currencyCode: "USD" } } } },
          {
            plan: {
              appUsagePricingDetails: {
                cappedAmount: { amount: 200, currencyCode: "USD" },
                terms: "1%",
              },
            },
          },
        ],
      },
      now(),
      (id) => `https://fake/confirm/${id}`,
    );
    const subscription = created.appSubscription!;
    answerSubscription(billing, Number(subscription.id.split("/").pop()), true, now());
    usageLineId = subscription.lineItems[1]!.id;
    await db()
      .insert(shopSubscriptions)
      .values({
        shop: SHOP_A,
        subscriptionId: subscription.id,
        plan: "Growth",
        status: "ACTIVE",
        // As the webhook records it: the usage line's id is learnt from Shopify when first billed.
        test: true,
        trialDays: 14,
        createdAt: now(),
        updatedAt: now(),
      })
      .onConflictDoNothing();
  });

  /** An accepted offer for a sandbox order, and Shopify's order showing its line (the charge). */
  async function acceptedOffer(price: string, currency: string) {
    const order = [...sandbox().orders].find((o) => o.customerId && o.lineItems[0]?.variantId)!;
    const line = order.lineItems.find((l) => l.variantId)!;
    const shownAt = new Date(Date.parse(order.createdAt) + 60_000);
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
        price,
        currency,
        status: "accepted",
        revenue: price,
        changesetJti: randomUUID(),
        shownAt,
        respondedAt: shownAt,
      })
      .returning();
    const evidence = {
      id: String(order.id),
      created_at: new Date(order.createdAt),
      customer: { id: String(order.customerId) },
      line_items: [
        {
          variant_id: String(line.variantId),
          quantity: 1,
          price,
          price_set: { shop_money: { amount: price } },
          discount_allocations: [],
        },
      ],
    };
    const charge = () =>
      withTransaction(runtime().database, (executeSql) =>
        confirmUpsellCharges(
          { executeSql, queue: runtime().queue },
          [{ shop: SHOP_A, order: evidence }],
          now(),
        ),
      );
    return { offer: offer!, charge };
  }

  const usageRow = async (offerId: string) =>
    (
      await db().select().from(billingUsageRecords).where(eq(billingUsageRecords.offerId, offerId))
    )[0];
  const settled = (offerId: string) =>
    waitFor(async () => {
      const row = await usageRow(offerId);
      return row && row.status !== "pending" ? row : undefined;
    });

  it("a repeated charge and a retried job leave one usage record at Shopify and one billed row here", async () => {
    const { offer, charge } = await acceptedOffer("50.00", "USD");
    // The order webhook that charges the offer, then the same webhook again.
    for (let i = 0; i < 2; i++) await charge();
    const usageRecords = () =>
      billingOf(admin().store).usageRecords.filter((r) => r.idempotencyKey?.includes(offer.id));
    const billed = (await settled(offer.id))!;
    expect(billed).toMatchObject({ status: "billed", amountCents: 50, currency: "USD" });
    // The usage line was looked up at Shopify and kept for the next fee.
    const [subscription] = await db()
      .select()
      .from(shopSubscriptions)
      .where(eq(shopSubscriptions.shop, SHOP_A));
    expect(subscription!.usageLineItemId).toBe(usageLineId);
    expect(usageRecords()).toHaveLength(1);
    expect(usageRecords()[0]).toMatchObject({ amount: "0.50", currencyCode: "USD" });

    // A retry after Shopify answered but before the app recorded it: the same key, no new charge.
    await db()
      .update(billingUsageRecords)
      .set({ status: "pending", usageRecordId: null })
      .where(eq(billingUsageRecords.offerId, offer.id));
    await billUpsellFee.run({ shop: SHOP_A, offerId: offer.id }, {
      database: runtime().database,
      clock: runtime().clock,
      queue: runtime().queue,
    } as never);
    expect(usageRecords()).toHaveLength(1);
    const [after] = await db()
      .select()
      .from(billingUsageRecords)
      .where(eq(billingUsageRecords.offerId, offer.id));
    expect(after).toMatchObject({ status: "billed", usageRecordId: billed.usageRecordId });
  });

  it("a fee past the usage line's capped amount is recorded as capped, not retried", async () => {
    // $200 cap at 1%: the fee on $25,000 is $250; what is left under the cap is billed.
    const { offer, charge } = await acceptedOffer("25000.00", "USD");
    await charge();
    const row = (await settled(offer.id))!;
    expect(row.status).toBe("billed");
    expect(row.amountCents).toBeLessThanOrEqual(20_000);
    // The cap is spent now: Shopify refuses the next one with its own words.
    const next = await acceptedOffer("100.00", "USD");
    await db()
      .update(billingUsageRecords)
      .set({ createdAt: new Date(now().getTime() - 86_400_000) })
      .where(eq(billingUsageRecords.shop, SHOP_A));
    await next.charge();
    const capped = (await settled(next.offer.id))!;
    expect(capped.status).toBe("capped");
  });

  it("a store selling in another currency than the plan's is not charged the fee, and says why", async () => {
    const before = billingOf(admin().store).usageRecords.length;
    const { offer, charge } = await acceptedOffer("80.00", "EUR");
    await charge();
    const row = (await usageRow(offer.id))!;
    expect(row).toMatchObject({ status: "waived", amountCents: 0 });
    expect(row.error).toMatch(/billed in USD and this store sells in EUR/);
    expect(billingOf(admin().store).usageRecords).toHaveLength(before);
  });
});
