import "../helpers/real-fetch";
import "../helpers/shopify";
import { randomUUID } from "node:crypto";
import { API_KEY } from "@shopify/shopify-api/test-helpers";
import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  changesetSignatures,
  deliveries,
  gorgiasTickets,
  integrations,
  inventoryLevels,
  orders,
  recipeState,
  recipeTouches,
  shops,
  upsellOffers,
} from "../../db/schema/index";
import { connectKlaviyo } from "../../app/integrations/connections.server";
import {
  action as declineAction,
  loader as declineLoader,
} from "../../app/routes/api.post-purchase.decline";
import {
  action as offerAction,
  loader as offerLoader,
} from "../../app/routes/api.post-purchase.offer";
import {
  action as signAction,
  loader as signLoader,
} from "../../app/routes/api.post-purchase.sign-changeset";
import {
  CATALOG,
  checkoutRequest,
  purchaseToken,
  seedCustomer,
  seedUpsellShop,
  setStock,
} from "../helpers/post-purchase";
import { describeWithRuntime } from "../helpers/runtime";
import { KLAVIYO_KEYS, SHOP_A, SHOP_B, withVendorFakes } from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes();
const CUSTOMER = 7001002003;
const EMAIL = "jane.doe@example.com";

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response>;
const call = async (handler: Handler, request: Request) => {
  const response = await handler({ request, params: {}, context: {} });
  return {
    status: response.status,
    headers: response.headers,
    body: response.status === 204 ? null : await response.json(),
  };
};

/** The checkout's side of one purchase: ShouldRender, then Accept or Decline, with Shopify's token. */
async function purchase(
  options: {
    customerId?: number | null;
    referenceId?: string;
    shop?: string;
    tokenShop?: string;
    secret?: string;
    iat?: number;
    /** The shop currency the token states (its totals' shopMoney). */
    currency?: string;
  } = {},
) {
  const referenceId = options.referenceId ?? `ref-${randomUUID()}`;
  const shop = options.shop ?? SHOP_A;
  const token = await purchaseToken({
    shop: options.tokenShop ?? shop,
    referenceId,
    customerId: options.customerId === undefined ? CUSTOMER : options.customerId,
    lineItems: [{ ...CATALOG.tent, quantity: 1 }],
    total: "84.00",
    currency: options.currency,
    secret: options.secret,
    iat: options.iat,
  });
  const body = { token, shop, referenceId };
  return {
    referenceId,
    offer: () => call(offerAction, checkoutRequest("/api/post-purchase/offer", body)),
    accept: (offerId: string) =>
      call(signAction, checkoutRequest("/api/post-purchase/sign-changeset", { ...body, offerId })),
    decline: (offerId: string) =>
      call(declineAction, checkoutRequest("/api/post-purchase/decline", { ...body, offerId })),
  };
}

describeWithRuntime(
  "post-purchase offer endpoints (the checkout simulated with signed tokens)",
  ({ runtime }) => {
    const db = () => runtime().database.db;

    beforeAll(async () => {
      await seedUpsellShop(db(), SHOP_A, { mug: 20, lantern: 20 });
      await seedCustomer(db(), SHOP_A, CUSTOMER, EMAIL);
      expect(await connectKlaviyo(db(), SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });
    });

    beforeEach(async () => {
      await setStock(db(), SHOP_A, { mug: 20, lantern: 20 });
      await db().delete(recipeTouches);
      await db().delete(gorgiasTickets);
      // The upsell cap counts offers shown to the customer: each test starts without any.
      await db().delete(upsellOffers);
    });

    describe("CORS", () => {
      it("answers the checkout's preflight without auth, and puts CORS headers on every answer", async () => {
        for (const [loader, path] of [
          [offerLoader, "/api/post-purchase/offer"],
          [signLoader, "/api/post-purchase/sign-changeset"],
          [declineLoader, "/api/post-purchase/decline"],
        ] as const) {
          const preflight = await call(loader, checkoutRequest(path, null, { method: "OPTIONS" }));
          expect(preflight.status).toBe(204);
          expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
          expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");
          expect(preflight.headers.get("Access-Control-Allow-Headers")).toContain("Content-Type");
        }
        const refused = await call(
          offerAction,
          checkoutRequest("/api/post-purchase/offer", {
            token: "x",
            shop: SHOP_A,
            referenceId: "r",
          }),
        );
        expect(refused.status).toBe(401);
        expect(refused.headers.get("Access-Control-Allow-Origin")).toBe("*");
      });
    });

    describe("token checks at the endpoints", () => {
      it("refuses a token signed with another secret, issued for another shop, or expired", async () => {
        const wrongSecret = await purchase({ secret: "not-our-secret" });
        expect(await wrongSecret.offer()).toMatchObject({
          status: 401,
          body: { failure: "signature" },
        });
        const otherShop = await purchase({ tokenShop: SHOP_B });
        expect(await otherShop.offer()).toMatchObject({ status: 401, body: { failure: "shop" } });
        const expired = await purchase({ iat: Math.floor(Date.now() / 1000) - 3 * 3600 });
        expect(await expired.offer()).toMatchObject({ status: 401, body: { failure: "expired" } });
        expect(await db().select().from(upsellOffers).where(eq(upsellOffers.shop, SHOP_B))).toEqual(
          [],
        );
      });

      it("answers 400 to a body that is not an offer request", async () => {
        const response = await call(
          offerAction,
          checkoutRequest("/api/post-purchase/offer", { shop: "not a shop" }),
        );
        expect(response.status).toBe(400);
      });
    });

    describe("the decision", () => {
      it("offers the fallback when the first choice is below the minimum stock", async () => {
        await setStock(db(), SHOP_A, { mug: 2, lantern: 9 });
        const checkout = await purchase();
        const { status, body } = await checkout.offer();
        expect(status).toBe(200);
        expect(body.offer).toMatchObject({
          variantId: CATALOG.lantern.variantId,
          productId: CATALOG.lantern.productId,
          productTitle: "Trail lantern",
          price: "40.00",
          discountedPrice: "34.00",
          currency: "USD",
          discount: { valueType: "percentage", value: 15, title: "15% off" },
          changes: [
            {
              type: "add_variant",
              variantId: CATALOG.lantern.variantId,
              quantity: 1,
              discount: { value: 15, valueType: "percentage", title: "15% off" },
            },
          ],
        });
        expect(body.reason).toMatch(/fallback/);
        expect(body.reason).toMatch(/only 2 in stock \(minimum 3\)/);
        const [row] = await db()
          .select()
          .from(upsellOffers)
          .where(eq(upsellOffers.id, body.offer.id));
        expect(row).toMatchObject({
          status: "shown",
          referenceId: checkout.referenceId,
          customerId: String(CUSTOMER),
          initialTotal: "84.00",
          variantId: String(CATALOG.lantern.variantId),
        });
      });

      it("offers nothing when neither choice has enough stock", async () => {
        await setStock(db(), SHOP_A, { mug: 1, lantern: 0 });
        const { body } = await (await purchase()).offer();
        expect(body).toEqual({ offer: null, reason: expect.stringMatching(/lantern|808950830/) });
      });

      it("does not render for a customer who was shown an offer on another purchase within the cap's window", async () => {
        await db()
          .insert(upsellOffers)
          .values({
            id: randomUUID(),
            shop: SHOP_A,
            referenceId: `earlier-purchase-${randomUUID()}`,
            customerId: String(CUSTOMER),
            recipe: "post-purchase-upsell",
            variantId: String(CATALOG.mug.variantId),
            title: CATALOG.mug.title,
            price: CATALOG.mug.price,
            currency: "USD",
            status: "declined",
            changesetJti: randomUUID(),
            shownAt: new Date(Date.now() - 3 * 86_400_000),
          });
        const { body } = await (await purchase()).offer();
        expect(body).toEqual({
          offer: null,
          reason: expect.stringMatching(/frequency cap: 1 upsell per 14 days/),
        });
      });

      it("does not count the recipe's decisions on orders that never showed an offer (wallet payments skip the page) against the cap", async () => {
        await db()
          .insert(recipeTouches)
          .values({
            shop: SHOP_A,
            customerKey: `id:${CUSTOMER}`,
            customerId: String(CUSTOMER),
            channel: "upsell",
            recipeId: "post-purchase-upsell",
            actionKey: `wallet-order-${randomUUID()}`,
            at: new Date(Date.now() - 3 * 86_400_000),
          });
        const { body } = await (await purchase()).offer();
        expect(body.offer).toMatchObject({ variantId: CATALOG.mug.variantId });
      });

      it("holds the offer back while the customer has an open Gorgias ticket", async () => {
        await db().insert(gorgiasTickets).values({
          shop: SHOP_A,
          ticketId: 881,
          customerEmail: EMAIL,
          status: "open",
          sourceUpdatedAt: new Date(),
        });
        const { body } = await (await purchase()).offer();
        expect(body).toEqual({ offer: null, reason: "the customer has an open Gorgias ticket" });
      });
    });

    describe("the decision reads what the recipe reads", () => {
      it("skips a variant low-stock-promo-pause has paused and offers the fallback", async () => {
        await db()
          .insert(recipeState)
          .values({
            shop: SHOP_A,
            recipeId: "low-stock-promo-pause",
            subject: `variant:${CATALOG.mug.variantId}`,
            value: { paused: true, since: new Date().toISOString(), available: 4 },
          });
        try {
          const { body } = await (await purchase()).offer();
          expect(body.offer).toMatchObject({ variantId: CATALOG.lantern.variantId });
          expect(body.reason).toMatch(/variant 808950820 is paused by low stock/);
        } finally {
          await db().delete(recipeState).where(eq(recipeState.recipeId, "low-stock-promo-pause"));
        }
      });

      it("holds the offer back after a recent refund to this customer", async () => {
        const now = new Date();
        await db()
          .insert(orders)
          .values({
            shop: SHOP_A,
            id: "4400000001",
            name: "#R1",
            customerId: String(CUSTOMER),
            email: EMAIL,
            currency: "USD",
            totalPrice: "50.00",
            currentTotalPrice: "0.00",
            financialStatus: "refunded",
            refundCount: 1,
            createdAt: now,
            sourceUpdatedAt: now,
          });
        try {
          const { body } = await (await purchase()).offer();
          expect(body).toEqual({
            offer: null,
            reason: expect.stringMatching(/a refund is pending or was made in the last \d+ days/),
          });
        } finally {
          await db().delete(orders).where(eq(orders.id, "4400000001"));
        }
      });

      it("decides on the last known stock when it is older than the shop's limit and Shopify cannot be asked", async () => {
        const old = new Date(Date.now() - 3 * 3_600_000);
        await db()
          .update(inventoryLevels)
          .set({ available: 2, refreshedAt: old, sourceUpdatedAt: old })
          .where(
            and(
              eq(inventoryLevels.shop, SHOP_A),
              eq(inventoryLevels.inventoryItemId, String(CATALOG.mug.inventoryItemId)),
            ),
          );
        await db()
          .update(inventoryLevels)
          .set({ refreshedAt: old, sourceUpdatedAt: old })
          .where(
            and(
              eq(inventoryLevels.shop, SHOP_A),
              eq(inventoryLevels.inventoryItemId, String(CATALOG.lantern.inventoryItemId)),
            ),
          );
        const { body } = await (await purchase()).offer();
        expect(body.offer).toMatchObject({ variantId: CATALOG.lantern.variantId });
        expect(body.reason).toMatch(/only 2 in stock/);
      });
    });

    describe("end to end", () => {
      it("offer → accept: a changeset signed once, the acceptance recorded; Klaviyo waits for Shopify's charge", async () => {
        const checkout = await purchase();
        const offer = (await checkout.offer()).body.offer;
        expect(offer).toMatchObject({ variantId: CATALOG.mug.variantId, discountedPrice: "20.40" });

        const before = Date.now();
        const accepted = await checkout.accept(offer.id);
        expect(accepted.status).toBe(200);
        expect(accepted.headers.get("Access-Control-Allow-Origin")).toBe("*");
        const claims = decodeJwt(accepted.body.token);
        const [row] = await db().select().from(upsellOffers).where(eq(upsellOffers.id, offer.id));
        expect(claims).toEqual({
          iss: API_KEY,
          jti: row!.changesetJti,
          sub: checkout.referenceId,
          iat: expect.any(Number),
          changes: offer.changes,
        });
        expect(claims.iat).toBeGreaterThanOrEqual(before);
        expect(row).toMatchObject({ status: "accepted", revenue: "20.40" });
        expect(
          await db()
            .select()
            .from(changesetSignatures)
            .where(eq(changesetSignatures.jti, row!.changesetJti)),
        ).toHaveLength(1);

        // The same offer cannot be signed twice: its jti is single-use.
        const replay = await checkout.accept(offer.id);
        expect(replay).toMatchObject({ status: 409, body: { failure: "replayed" } });

        // Signed is not charged (tests/post-purchase/confirmed-revenue.test.ts): no event yet.
        expect(
          await db()
            .select()
            .from(deliveries)
            .where(eq(deliveries.source, `upsell-offer/${offer.id}`)),
        ).toHaveLength(0);
        expect(row).toMatchObject({ chargedAt: null, chargedRevenue: null });
      });

      it("offer → decline: recorded once, Klaviyo told 'Upsell Declined', and it can no longer be signed", async () => {
        const checkout = await purchase();
        const offer = (await checkout.offer()).body.offer;
        expect(await checkout.decline(offer.id)).toMatchObject({
          status: 200,
          body: { declined: true },
        });
        expect(await checkout.decline(offer.id)).toMatchObject({
          status: 200,
          body: { declined: false },
        });
        const [row] = await db().select().from(upsellOffers).where(eq(upsellOffers.id, offer.id));
        expect(row).toMatchObject({ status: "declined", revenue: null });
        expect(await checkout.accept(offer.id)).toMatchObject({
          status: 409,
          body: { failure: "declined" },
        });

        const klaviyo = fakes().klaviyo.accountState(KLAVIYO_KEYS[SHOP_A])!;
        await waitFor(async () =>
          klaviyo.events.find(
            (e) =>
              e.metricName === "Upsell Declined" &&
              e.properties.OfferId === offer.id &&
              e.properties.FunnelStep === "offer",
          ),
        );
        const requested = await db()
          .select()
          .from(deliveries)
          .where(
            and(eq(deliveries.shop, SHOP_A), eq(deliveries.source, `upsell-offer/${offer.id}`)),
          );
        expect(requested.map((d) => (d.payload as { metric: string }).metric)).toEqual([
          "Upsell Declined",
        ]);
      });

      it("a second offer on the same purchase is a different variant", async () => {
        const checkout = await purchase();
        const first = (await checkout.offer()).body.offer;
        expect((await checkout.accept(first.id)).status).toBe(200);
        const second = (await checkout.offer()).body.offer;
        expect(second).toMatchObject({ variantId: CATALOG.lantern.variantId });
      });

      it("makes one decision per step when the checkout asks for it many times at once", async () => {
        const checkout = await purchase();
        const answers = await Promise.all(Array.from({ length: 9 }, () => checkout.offer()));
        expect(answers.map((a) => a.status)).toEqual(Array(9).fill(200));
        const ids = new Set(answers.map((a) => a.body.offer.id));
        expect(ids.size).toBe(1);
        const offers = await db()
          .select()
          .from(upsellOffers)
          .where(eq(upsellOffers.referenceId, checkout.referenceId));
        expect(offers).toHaveLength(1);
        // Accepting it from two tabs at once signs one changeset.
        const [offerId] = [...ids] as string[];
        const accepted = await Promise.all([checkout.accept(offerId!), checkout.accept(offerId!)]);
        expect(accepted.map((a) => a.status).sort()).toEqual([200, 409]);
        expect(
          await db()
            .select()
            .from(changesetSignatures)
            .where(eq(changesetSignatures.referenceId, checkout.referenceId)),
        ).toHaveLength(1);
        // The next step is a new decision, still one at a time.
        const next = await Promise.all(Array.from({ length: 9 }, () => checkout.offer()));
        expect(new Set(next.map((a) => a.body.offer?.id)).size).toBe(1);
        expect(next[0]!.body.offer.id).not.toBe(offerId);
      });

      it("stops at Shopify's limit of 3 accepted offers per order", async () => {
        const checkout = await purchase();
        // One unanswered offer at a time: each step is shown, then answered.
        const show = async (i: number) =>
          (
            await db()
              .insert(upsellOffers)
              .values({
                id: randomUUID(),
                shop: SHOP_A,
                referenceId: checkout.referenceId,
                customerId: String(CUSTOMER),
                recipe: "post-purchase-upsell",
                variantId: String(900 + i),
                title: `Item ${i}`,
                price: "10.00",
                currency: "USD",
                changesetJti: randomUUID(),
              })
              .returning()
          )[0]!;
        for (let i = 0; i < 3; i++)
          expect((await checkout.accept((await show(i)).id)).status).toBe(200);
        expect(await checkout.accept((await show(3)).id)).toMatchObject({
          status: 409,
          body: { failure: "limit" },
        });
        expect(await checkout.offer()).toMatchObject({
          status: 200,
          body: { offer: null, reason: expect.stringMatching(/3 accepted offers/) },
        });
      });

      it("still records the answer when the shop has no Klaviyo connected", async () => {
        const shop = "no-klaviyo.myshopify.com";
        await seedUpsellShop(db(), shop, { mug: 20, lantern: 20 });
        const checkout = await purchase({ shop });
        const offer = (await checkout.offer()).body.offer;
        expect((await checkout.accept(offer.id)).status).toBe(200);
        expect(await db().select().from(deliveries).where(eq(deliveries.shop, shop))).toEqual([]);
        expect(await db().select().from(integrations).where(eq(integrations.shop, shop))).toEqual(
          [],
        );
      });

      it("prices the offer in the currency the checkout states while the shop's is unknown, never a guessed USD", async () => {
        const shop = "currency-unknown.myshopify.com";
        await seedUpsellShop(db(), shop, { mug: 20, lantern: 20 });
        // The install's shop lookup has not succeeded yet: the row has no currency.
        await db().update(shops).set({ currency: null }).where(eq(shops.domain, shop));
        const { body } = await (await purchase({ shop, currency: "CAD" })).offer();
        expect(body.offer).toMatchObject({ currency: "CAD", discount: { title: "15% off" } });
      });
    });
  },
);
