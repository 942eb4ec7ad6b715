import "../helpers/real-fetch";
import "../helpers/shopify";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  deliveries,
  recipeRuns,
  recipeTouches,
  upsellOffers,
  webhookEvents,
} from "../../db/schema/index";
import { processWebhook } from "../../app/jobs/tasks/process-webhook.server";
import { connectKlaviyo } from "../../app/integrations/connections.server";
import { upsellAnalytics } from "../../app/models/upsell-analytics.server";
import { CHARGE_CONFIRMATION_WINDOW_MS } from "../../app/post-purchase/charges.server";
import { action as offerAction } from "../../app/routes/api.post-purchase.offer";
import { action as signAction } from "../../app/routes/api.post-purchase.sign-changeset";
import { orderPayload } from "../fixtures/shopify-payloads";
import {
  CATALOG,
  checkoutRequest,
  purchaseToken,
  seedCustomer,
  seedUpsellShop,
} from "../helpers/post-purchase";
import { describeWithRuntime } from "../helpers/runtime";
import { KLAVIYO_KEYS, SHOP_A, withVendorFakes } from "../helpers/vendors";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes();
const CUSTOMER = 7_001_002_003;
const EMAIL = "jane.doe@example.com";

const post = async (
  handler: typeof offerAction,
  path: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: any }> => {
  const response = await handler({
    request: checkoutRequest(path, body),
    params: {},
    context: {},
  });
  return { status: response.status, body: await response.json() };
};

describeWithRuntime("only confirmed upsell revenue counts", ({ runtime }) => {
  const db = () => runtime().database.db;
  const now = () => runtime().clock.now();
  let nextOrderId = 5_990_100_000_000;

  /** The checkout shows the mug and the buyer accepts it (a changeset signed, nothing charged yet). */
  async function acceptedOffer(options: { customerId?: number | null } = {}) {
    const referenceId = `ref-${randomUUID()}`;
    const token = await purchaseToken({
      shop: SHOP_A,
      referenceId,
      customerId: options.customerId === undefined ? CUSTOMER : options.customerId,
      lineItems: [{ ...CATALOG.tent, quantity: 1 }],
      total: "84.00",
      iat: Math.floor(now().getTime() / 1000),
    });
    const body = { token, shop: SHOP_A, referenceId };
    const shown = await post(offerAction, "/api/post-purchase/offer", body);
    expect(shown.body.offer).toMatchObject({ variantId: CATALOG.mug.variantId });
    const signed = await post(signAction, "/api/post-purchase/sign-changeset", {
      ...body,
      offerId: shown.body.offer.id,
    });
    expect(signed.status).toBe(200);
    return { referenceId, offerId: shown.body.offer.id as string };
  }

  /** The purchase's order as Shopify sends it: the tent, and the mug once the changeset applied. */
  function order(
    id: number,
    options: {
      mug?: { quantity: number; discount: string } | null;
      customerId?: number | null;
      checkoutToken?: string;
    } = {},
  ) {
    const at = now().toISOString();
    const mug = options.mug === undefined ? { quantity: 1, discount: "3.60" } : options.mug;
    return orderPayload({
      id,
      name: `#${id % 100_000}`,
      created_at: at,
      updated_at: at,
      processed_at: at,
      checkout_token: options.checkoutToken ?? "c0ffee",
      line_items: [
        {
          id: id + 1,
          variant_id: CATALOG.tent.variantId,
          product_id: CATALOG.tent.productId,
          title: "Two-person tent",
          quantity: 1,
          price: "84.00",
        },
        ...(mug
          ? [
              {
                id: id + 2,
                variant_id: CATALOG.mug.variantId,
                product_id: CATALOG.mug.productId,
                title: CATALOG.mug.title,
                quantity: mug.quantity,
                price: "24.00",
                price_set: {
                  shop_money: { amount: "24.00", currency_code: "USD" },
                  presentment_money: { amount: "32.60", currency_code: "CAD" },
                },
                discount_allocations: [
                  {
                    amount: mug.discount,
                    amount_set: {
                      shop_money: { amount: mug.discount, currency_code: "USD" },
                      presentment_money: { amount: "4.89", currency_code: "CAD" },
                    },
                    discount_application_index: 0,
                  },
                ],
              },
            ]
          : []),
      ],
      customer:
        options.customerId === null
          ? null
          : { id: options.customerId ?? CUSTOMER, email: EMAIL, first_name: "Jane" },
    });
  }

  async function webhook(topic: string, payload: unknown) {
    const webhookId = randomUUID();
    const response = await deliver(topic, payload, { shop: SHOP_A, webhookId });
    expect(response.status).toBe(200);
    expect(await settledEvent(db(), webhookId)).toMatchObject({ status: "processed" });
  }

  const offerRow = async (id: string) =>
    (await db().select().from(upsellOffers).where(eq(upsellOffers.id, id)))[0]!;
  const acceptedEvents = (offerId: string) =>
    db()
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.shop, SHOP_A), eq(deliveries.source, `upsell-offer/${offerId}`)));
  const klaviyoEvents = (offerId: string) =>
    fakes()
      .klaviyo.accountState(KLAVIYO_KEYS[SHOP_A])!
      .events.filter((e) => e.metricName === "Upsell Accepted" && e.properties.OfferId === offerId);

  beforeAll(async () => {
    await seedUpsellShop(db(), SHOP_A, { mug: 20, lantern: 20 });
    await seedCustomer(db(), SHOP_A, CUSTOMER, EMAIL);
    expect(await connectKlaviyo(db(), SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });
  });

  beforeEach(async () => {
    // Each test is its own buyer history: the upsell cap counts offers shown to this customer.
    await db().delete(upsellOffers);
    await db().delete(recipeTouches);
  });

  it("tells Klaviyo which A/B test version the buyer saw, with the charge", async () => {
    const { offerId } = await acceptedOffer();
    // Shown in a rule's A/B test as version B.
    await db()
      .update(upsellOffers)
      .set({ experimentKey: "t-test", arm: "B" })
      .where(eq(upsellOffers.id, offerId));
    const orderId = nextOrderId++;
    await webhook("orders/updated", order(orderId));
    const event = await waitFor(async () => klaviyoEvents(offerId)[0]);
    expect(event.properties).toMatchObject({ TestVersion: "B", RevenueAdded: 20.4 });
  });

  it("an accepted offer is not revenue and sends no Klaviyo event until Shopify's order shows the line; then it is charged once", async () => {
    const { offerId } = await acceptedOffer();
    expect(await offerRow(offerId)).toMatchObject({
      status: "accepted",
      revenue: "20.40",
      chargedAt: null,
      chargedRevenue: null,
    });
    expect(await acceptedEvents(offerId)).toHaveLength(0);
    let home = await upsellAnalytics(db(), SHOP_A, { now: now() });
    expect(home).toMatchObject({ accepted: 1, charged: 0, awaitingCharge: 1, revenueAdded: 0 });

    // orders/create for the purchase, before the changeset applied: no mug line yet.
    const orderId = nextOrderId++;
    await webhook("orders/create", order(orderId, { mug: null }));
    expect(await offerRow(offerId)).toMatchObject({ chargedAt: null });
    expect(await acceptedEvents(offerId)).toHaveLength(0);

    // Shopify applied the changeset: orders/updated shows the mug, 15% off in the shop's currency.
    await webhook("orders/updated", order(orderId));
    const charged = await offerRow(offerId);
    expect(charged).toMatchObject({ orderId: String(orderId), chargedRevenue: "20.40" });
    expect(charged.chargedAt).toBeInstanceOf(Date);
    const event = await waitFor(async () => klaviyoEvents(offerId)[0]);
    expect(event).toMatchObject({
      value: 20.4,
      value_currency: "USD",
      properties: { RevenueAdded: 20.4, OrderId: String(orderId) },
    });
    home = await upsellAnalytics(db(), SHOP_A, { now: now() });
    expect(home).toMatchObject({ accepted: 1, charged: 1, awaitingCharge: 0, revenueAdded: 20.4 });

    // The same update again (Shopify retries; orders/updated repeats on every later edit).
    await webhook("orders/updated", order(orderId));
    await webhook("orders/fulfilled", order(orderId));
    expect(await offerRow(offerId)).toMatchObject({
      chargedRevenue: "20.40",
      chargedAt: charged.chargedAt,
    });
    expect(await acceptedEvents(offerId)).toHaveLength(1);
    expect(await upsellAnalytics(db(), SHOP_A, { now: now() })).toMatchObject({
      charged: 1,
      revenueAdded: 20.4,
    });
    expect(klaviyoEvents(offerId)).toHaveLength(1);
  });

  it("a worker's batch of order events charges each offer once, however many events show its line", async () => {
    const first = await acceptedOffer();
    const guest = await acceptedOffer({ customerId: null });
    const [orderA, orderB] = [nextOrderId++, nextOrderId++];
    const events = await db()
      .insert(webhookEvents)
      .values(
        [
          order(orderA),
          order(orderA),
          order(orderB, { customerId: null, checkoutToken: guest.referenceId }),
        ].map((payload, i) => ({
          shop: SHOP_A,
          topic: i === 1 ? "orders/paid" : "orders/updated",
          webhookId: randomUUID(),
          payload,
        })),
      )
      .returning();
    await processWebhook.runBatch!(
      events.map((e) => ({
        id: `job-${e.id}`,
        payload: { eventId: e.id, shop: e.shop, topic: e.topic, webhookId: e.webhookId },
      })),
      { database: runtime().database, clock: runtime().clock, queue: runtime().queue },
    );
    expect(await offerRow(first.offerId)).toMatchObject({
      orderId: String(orderA),
      chargedRevenue: "20.40",
    });
    expect(await offerRow(guest.offerId)).toMatchObject({
      orderId: String(orderB),
      chargedRevenue: "20.40",
    });
    expect(await acceptedEvents(first.offerId)).toHaveLength(1);
    // The guest has no profile Klaviyo could be told about.
    expect(await acceptedEvents(guest.offerId)).toHaveLength(0);
    expect(await upsellAnalytics(db(), SHOP_A, { now: now() })).toMatchObject({
      charged: 2,
      revenueAdded: 40.8,
    });
  });

  it("charges what the order line says, and matches a guest's purchase by its checkout", async () => {
    const { offerId, referenceId } = await acceptedOffer({ customerId: null });
    // Another order of another buyer with the mug, without this checkout: not this offer's charge.
    await webhook("orders/updated", order(nextOrderId++, { customerId: 7_999_000_123 }));
    expect(await offerRow(offerId)).toMatchObject({ chargedAt: null });

    // Shopify applied a larger discount than the offer said: the order's figure is what counts.
    const orderId = nextOrderId++;
    await webhook(
      "orders/updated",
      order(orderId, {
        customerId: null,
        checkoutToken: referenceId,
        mug: { quantity: 1, discount: "6.00" },
      }),
    );
    expect(await offerRow(offerId)).toMatchObject({
      orderId: String(orderId),
      chargedRevenue: "18.00",
    });
    expect(await upsellAnalytics(db(), SHOP_A, { now: now() })).toMatchObject({
      revenueAdded: 18,
    });
  });

  it("an order without the offered line (or with too few) does not charge it", async () => {
    const { offerId } = await acceptedOffer();
    await webhook(
      "orders/updated",
      order(nextOrderId++, { mug: { quantity: 0, discount: "0.00" } }),
    );
    expect(await offerRow(offerId)).toMatchObject({ chargedAt: null, chargedRevenue: null });
    expect(await acceptedEvents(offerId)).toHaveLength(0);
  });

  it("an acceptance Shopify never confirms is reported as accepted, not charged, once the window has passed", async () => {
    const { offerId } = await acceptedOffer();
    const later = new Date(now().getTime() + CHARGE_CONFIRMATION_WINDOW_MS + 60_000);
    expect(await upsellAnalytics(db(), SHOP_A, { now: later })).toMatchObject({
      accepted: 1,
      charged: 0,
      awaitingCharge: 0,
      notCharged: 1,
      revenueAdded: 0,
    });
    expect(await offerRow(offerId)).toMatchObject({ status: "accepted", chargedAt: null });
    expect(await acceptedEvents(offerId)).toHaveLength(0);
  });

  describe("the upsell cap", () => {
    it("is not spent by an order that never showed an offer (a wallet payment skips the page)", async () => {
      // The buyer's earlier order, paid with a wallet: the recipe decided an offer on
      // orders/create, but the post-purchase page never ran.
      const walletOrder = nextOrderId++;
      await webhook("orders/create", order(walletOrder, { mug: null }));
      const run = await waitFor(async () => {
        const [row] = await db()
          .select()
          .from(recipeRuns)
          .where(and(eq(recipeRuns.shop, SHOP_A), eq(recipeRuns.orderId, String(walletOrder))));
        return row;
      });
      expect(run).toMatchObject({ recipeId: "post-purchase-upsell", outcome: "acted" });
      // That order was days ago: its decision is well inside the cap's 14 days.
      await db()
        .update(recipeTouches)
        .set({ at: new Date(now().getTime() - 3 * 86_400_000) })
        .where(eq(recipeTouches.customerId, String(CUSTOMER)));
      expect(await db().select().from(recipeTouches)).toHaveLength(1);
      // This purchase still gets its offer.
      const { offerId } = await acceptedOffer();
      expect(offerId).toBeTruthy();
    });

    it("is spent by an offer actually shown on another purchase", async () => {
      await acceptedOffer();
      const referenceId = `ref-${randomUUID()}`;
      const token = await purchaseToken({
        shop: SHOP_A,
        referenceId,
        customerId: CUSTOMER,
        lineItems: [{ ...CATALOG.tent, quantity: 1 }],
        iat: Math.floor(now().getTime() / 1000),
      });
      const { body } = await post(offerAction, "/api/post-purchase/offer", {
        token,
        shop: SHOP_A,
        referenceId,
      });
      expect(body).toEqual({
        offer: null,
        reason: expect.stringMatching(/frequency cap: 1 upsell per 14 days/),
      });
    });
  });
});
