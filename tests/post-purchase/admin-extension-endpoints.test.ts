import "../helpers/shopify";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  setUpValidRequest,
  setUpValidSession,
  TEST_SHOP,
} from "@shopify/shopify-api/test-helpers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { deliveries, orders, recipeRuns, recipeSettings } from "../../db/schema/index";
import { configSchema } from "../../app/recipes/post-purchase-upsell/config";
import { loader as timelineLoader } from "../../app/routes/api.extensions.order-timeline";
import {
  action as upsellAction,
  loader as upsellLoader,
} from "../../app/routes/api.extensions.product-upsell";
import { sessionStorage } from "../../app/shopify.server";
import { describeEachDatabase } from "../helpers/database";

const ORIGIN = "https://extensions.shopifycdn.com";
const OTHER_SHOP = "someone-else.myshopify.com";
const ORDER_ID = "5812345678901";
const PRODUCT = "632910392";

/** A fetch from an admin UI extension: the admin adds the ID token as a Bearer header. */
async function extensionRequest(path: string, init: RequestInit = {}) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, {
      ...init,
      headers: {
        Origin: ORIGIN,
        ...(init.body ? { "Content-Type": "application/json" } : {}),
        ...init.headers,
      },
    }),
  );
}

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response>;
async function call(handler: Handler, request: Request) {
  try {
    const response = await handler({ request, params: {}, context: {} });
    return {
      status: response.status,
      headers: response.headers,
      body: response.status === 204 ? null : await response.json(),
    };
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, headers: thrown.headers, body: null };
    throw thrown;
  }
}

const save = async (body: Record<string, unknown>) =>
  call(
    upsellAction,
    await extensionRequest("/api/extensions/product-upsell", {
      method: "POST",
      body: JSON.stringify({
        intent: "save",
        productId: `gid://shopify/Product/${PRODUCT}`,
        ...body,
      }),
    }),
  );

describeEachDatabase("admin extension endpoints", ({ use: testDatabase }) => {
  const db = () => testDatabase().database.db;

  beforeAll(async () => {
    await sessionStorage.storeSession(
      setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any),
    );
  });

  describe("CORS", () => {
    it("answers the preflight from extensions.shopifycdn.com without auth, and no other origin", async () => {
      for (const handler of [timelineLoader, upsellLoader]) {
        const preflight = await call(
          handler,
          new Request(`${APP_URL}/api/extensions/x`, {
            method: "OPTIONS",
            headers: {
              Origin: ORIGIN,
              "Access-Control-Request-Method": "GET",
              "Access-Control-Request-Headers": "authorization",
            },
          }),
        );
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
        expect(preflight.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
        expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("GET");
        const foreign = await call(
          handler,
          new Request(`${APP_URL}/api/extensions/x`, {
            method: "OPTIONS",
            headers: { Origin: "https://evil.example" },
          }),
        );
        expect(foreign.headers.get("Access-Control-Allow-Origin")).toBeNull();
      }
    });

    it("refuses a request without the ID token, with CORS headers so the extension can read the 401", async () => {
      const refused = await call(
        timelineLoader,
        new Request(`${APP_URL}/api/extensions/order-timeline?orderId=1`, {
          headers: { Origin: ORIGIN, Authorization: "Bearer not-a-token" },
        }),
      );
      expect(refused.status).toBe(401);
      expect(refused.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    });
  });

  describe("order timeline", () => {
    it("lists this order's recipe runs with their deliveries and held-back actions, and nothing of another shop", async () => {
      const now = new Date();
      await db().insert(orders).values({
        shop: TEST_SHOP,
        id: ORDER_ID,
        name: "#1042",
        currency: "USD",
        totalPrice: "84.00",
        currentTotalPrice: "84.00",
        createdAt: now,
        sourceUpdatedAt: now,
      });
      await db()
        .insert(deliveries)
        .values({
          shop: TEST_SHOP,
          vendor: "klaviyo",
          operation: "klaviyo-event",
          idempotencyKey: "deliver-klaviyo:test-shop:order-events:order/5812345678901",
          recipe: "order-events",
          source: `order/${ORDER_ID}`,
          payload: { kind: "klaviyo-event", profile: { email: "jane.doe@example.com" } },
          status: "succeeded",
          attempts: 1,
          completedAt: now,
        });
      await db()
        .insert(recipeRuns)
        .values([
          {
            shop: TEST_SHOP,
            recipeId: "order-events",
            trigger: "orders/create",
            eventKey: "webhook/1",
            orderId: ORDER_ID,
            outcome: "acted",
            durationMs: 3,
            actions: [
              {
                kind: "klaviyo-event",
                channel: "sync",
                summary: "Placed Order for #1042",
                status: "requested",
                key: "deliver-klaviyo:test-shop:order-events:order/5812345678901",
              },
            ],
          },
          {
            shop: TEST_SHOP,
            recipeId: "review-request-timing",
            trigger: "orders/fulfilled",
            eventKey: "webhook/2",
            orderId: ORDER_ID,
            outcome: "blocked",
            durationMs: 2,
            reasons: ["the customer has an open Gorgias ticket"],
            actions: [
              {
                kind: "klaviyo-event",
                channel: "marketing",
                summary: "Review request for #1042",
                status: "suppressed",
                reason: "the customer has an open Gorgias ticket",
                key: "k2",
              },
            ],
          },
          {
            shop: OTHER_SHOP,
            recipeId: "order-events",
            trigger: "orders/create",
            eventKey: "webhook/3",
            orderId: ORDER_ID,
            outcome: "acted",
            durationMs: 1,
          },
        ]);

      const { status, headers, body } = await call(
        timelineLoader,
        await extensionRequest(
          `/api/extensions/order-timeline?orderId=${encodeURIComponent(`gid://shopify/Order/${ORDER_ID}`)}`,
        ),
      );
      expect(status).toBe(200);
      expect(headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
      expect(body.order).toEqual({ id: ORDER_ID, name: "#1042" });
      expect(body.activityPath).toBe("/app/activity");
      expect(body.counts).toEqual({ runs: 2, delivered: 1, failed: 0, heldBack: 1 });
      expect(body.runs.map((r: any) => [r.recipeId, r.outcome])).toEqual([
        ["order-events", "acted"],
        ["review-request-timing", "blocked"],
      ]);
      // The recipe's title as the merchant knows it; the trigger as a key the block words.
      expect(body.runs[1]).toMatchObject({
        recipeTitle: "Review request timing",
        trigger: "order-fulfilled",
      });
      expect(body.runs[0]).toMatchObject({ trigger: "order-created" });
      expect(body.runs[0].actions[0].delivery).toMatchObject({
        vendor: "klaviyo",
        status: "succeeded",
      });
      expect(body.runs[1].actions[0]).toMatchObject({
        status: "suppressed",
        reason: "the customer has an open Gorgias ticket",
        delivery: null,
      });
      // Customer data stays on the server.
      expect(JSON.stringify(body)).not.toContain("jane.doe@example.com");
    });

    it("names recipes in the language the block asks for", async () => {
      const now = new Date();
      await db().insert(recipeRuns).values({
        shop: TEST_SHOP,
        recipeId: "review-request-timing",
        trigger: "fulfillment_events/create",
        eventKey: "webhook/fr-1",
        orderId: "5812345678902",
        outcome: "skipped",
        durationMs: 1,
        createdAt: now,
      });
      const path = (locale: string) =>
        `/api/extensions/order-timeline?orderId=5812345678902&locale=${locale}`;
      const fr = await call(timelineLoader, await extensionRequest(path("fr")));
      expect(fr.status).toBe(200);
      expect(fr.body.runs).toEqual([
        expect.objectContaining({
          recipeTitle: "Demande d’avis au bon moment",
          trigger: "parcel-scan",
        }),
      ]);
      const en = await call(timelineLoader, await extensionRequest(path("en")));
      expect(en.body.runs[0]).toMatchObject({
        recipeTitle: "Review request timing",
        trigger: "parcel-scan",
      });
    });

    it("answers 400 without a valid order id", async () => {
      expect(
        (
          await call(
            timelineLoader,
            await extensionRequest("/api/extensions/order-timeline?orderId=abc"),
          )
        ).status,
      ).toBe(400);
    });
  });

  describe("product upsell settings", () => {
    it("saves this product's offer into the post-purchase-upsell config, valid under the recipe's schema", async () => {
      const saved = await save({
        offerVariantId: "808950820",
        fallbackVariantId: "808950830",
        discount: { type: "percentage", value: 15 },
        minimumStock: 5,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({
        ok: true,
        settings: {
          productId: PRODUCT,
          recipeEnabled: false,
          minimumStock: 5,
          offer: {
            offerVariantId: "808950820",
            fallbackVariantId: "808950830",
            discount: { type: "percentage", value: 15 },
          },
        },
      });
      const [row] = await db()
        .select()
        .from(recipeSettings)
        .where(
          and(
            eq(recipeSettings.shop, TEST_SHOP),
            eq(recipeSettings.recipeId, "post-purchase-upsell"),
          ),
        );
      const config = configSchema.parse(row!.config);
      expect(config.minimumStock).toBe(5);
      expect(config.rules).toEqual([
        expect.objectContaining({
          productIds: [PRODUCT],
          offerVariantId: "808950820",
          fallbackVariantId: "808950830",
        }),
      ]);

      // Saving again edits the same rule; the GET shows it.
      await save({
        offerVariantId: "gid://shopify/ProductVariant/808950840",
        discount: { type: "fixed_amount", value: 5 },
        minimumStock: 5,
      });
      const loaded = await call(
        upsellLoader,
        await extensionRequest(
          `/api/extensions/product-upsell?productId=gid://shopify/Product/${PRODUCT}`,
        ),
      );
      expect(loaded.body.offer).toEqual({
        offerVariantId: "808950840",
        fallbackVariantId: null,
        discount: { type: "fixed_amount", value: 5 },
      });
      const [again] = await db()
        .select()
        .from(recipeSettings)
        .where(eq(recipeSettings.shop, TEST_SHOP));
      expect(configSchema.parse(again!.config).rules).toHaveLength(1);
    });

    it("returns the schema's errors by field and stores nothing", async () => {
      const [before] = await db()
        .select()
        .from(recipeSettings)
        .where(eq(recipeSettings.shop, TEST_SHOP));
      const invalid = await save({
        offerVariantId: "not-a-variant",
        discount: { type: "percentage", value: 95 },
        minimumStock: 0,
      });
      expect(invalid.status).toBe(422);
      expect(invalid.body).toEqual({
        ok: false,
        errors: {
          offerVariantId: "Enter a variant ID: digits, or gid://shopify/ProductVariant/…",
          "discount.value": "A percentage discount is at most 90",
          minimumStock: "At least 1 unit",
        },
      });
      const [after] = await db()
        .select()
        .from(recipeSettings)
        .where(eq(recipeSettings.shop, TEST_SHOP));
      expect(after!.config).toEqual(before!.config);
    });

    it("removes the product's offer", async () => {
      const removed = await call(
        upsellAction,
        await extensionRequest("/api/extensions/product-upsell", {
          method: "POST",
          body: JSON.stringify({ intent: "remove", productId: PRODUCT }),
        }),
      );
      expect(removed.body).toMatchObject({ ok: true, settings: { offer: null } });
    });
  });
});
