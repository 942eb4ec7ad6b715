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
    await db()
      .insert(shopSubscriptions)
      .values({
        shop: SHOP_A,
        subscriptionId: subscription.id,
        plan: "Growth",
        status: "ACTIVE",
        usageLineItemId: subscription.lineItems[1]!.id,
        test: true,
        trialDays: 14,
        createdAt: now(),
        updatedAt: now(),
      })
      .onConflictDoNothing();
  });

  it("a repeated charge and a retried job leave one usage record at Shopify and one billed row here", async () => {
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
        price: "50.00",
        currency: "USD",
        status: "accepted",
        revenue: "50.00",
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
          price: "50.00",
          price_set: { shop_money: { amount: "50.00" } },
          discount_allocations: [],
        },
      ],
    };
    // The order webhook that charges the offer, then the same webhook again.
    for (let i = 0; i < 2; i++)
      await withTransaction(runtime().database, (executeSql) =>
        confirmUpsellCharges(
          { executeSql, queue: runtime().queue },
          [{ shop: SHOP_A, order: evidence }],
          now(),
        ),
      );
    const usageRecords = () =>
      billingOf(admin().store).usageRecords.filter((r) => r.idempotencyKey?.includes(offer!.id));
    const billed = await waitFor(async () => {
      const [row] = await db()
        .select()
        .from(billingUsageRecords)
        .where(eq(billingUsageRecords.offerId, offer!.id));
      return row?.status === "billed" ? row : undefined;
    });
    expect(billed).toMatchObject({ amountCents: 50, currency: "USD" });
    expect(usageRecords()).toHaveLength(1);
    expect(usageRecords()[0]).toMatchObject({ amount: "0.50", currencyCode: "USD" });

    // A retry after Shopify answered but before the app recorded it: the same key, no new charge.
    await db()
      .update(billingUsageRecords)
      .set({ status: "pending", usageRecordId: null })
      .where(eq(billingUsageRecords.offerId, offer!.id));
    await billUpsellFee.run({ shop: SHOP_A, offerId: offer!.id }, {
      database: runtime().database,
      clock: runtime().clock,
      queue: runtime().queue,
    } as never);
    expect(usageRecords()).toHaveLength(1);
    const [after] = await db()
      .select()
      .from(billingUsageRecords)
      .where(eq(billingUsageRecords.offerId, offer!.id));
    expect(after).toMatchObject({ status: "billed", usageRecordId: billed.usageRecordId });
  });
});
