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
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { eq, inArray } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { expect, it } from "vitest";
import {
  customers,
  deadLetters,
  deliveries,
  gorgiasTickets,
  orders,
  recipeRuns,
  shops,
  webhookEvents,
} from "../../db/schema/index";
import { shopTime } from "../../app/utils/shop-time";
import Activity, { action, loader } from "../../app/routes/app.activity/route";
import { sessionStorage } from "../../app/shopify.server";
import { jobIdForKey } from "../../app/jobs/queue.server";
import { orderPayload } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";
import { HOUR_MS, MINUTE_MS } from "../helpers/time";

async function adminRequest(path: string, init?: RequestInit) {
  return setUpValidRequest(
    { type: RequestType.Admin, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, init),
  );
}

/** The screen as the server renders it from the loader's data. */
async function render(data: object, path = "/app/activity") {
  const routes = [{ id: "screen", path: "/app/activity", loader: () => data, Component: Activity }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${APP_URL}${path}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    createElement(
      AppProvider,
      { i18n: enTranslations },
      createElement(StaticRouterProvider, { router, context }),
    ),
  );
}

/** What a merchant reads: the page's text, without the hydration data scripts. */
const visibleText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describeWithRuntime("Activity screen", ({ runtime }) => {
  const db = () => runtime().database.db;
  const settled = (webhookId: string) => settledEvent(db(), webhookId);

  it("lists this shop's webhooks with each rejected one's reason, and no other shop's", async () => {
    await sessionStorage.storeSession(
      setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any),
    );
    await deliver("orders/create", orderPayload(), { shop: TEST_SHOP, webhookId: "act-ok" });
    await deliver("orders/create", { id: "oops" }, { shop: TEST_SHOP, webhookId: "act-bad" });
    await deliver("orders/create", orderPayload({ name: "#9999" }), {
      shop: "someone-else.myshopify.com",
      webhookId: "act-other",
    });
    await Promise.all(["act-ok", "act-bad", "act-other"].map(settled));

    const data = await loader({
      request: await adminRequest("/app/activity"),
      params: {},
      context: {},
    });
    const byId = Object.fromEntries(data.events.map((e) => [e.webhookId, e]));
    expect(byId["act-ok"]).toMatchObject({ status: "processed", resourceName: "#1042" });
    expect(byId["act-bad"]).toMatchObject({ status: "rejected" });
    expect(byId["act-bad"]!.error).toMatch(/Payload does not match orders\/create/);
    expect(byId["act-other"]).toBeUndefined();
    // Payloads (customer data) never reach the browser.
    expect(JSON.stringify(data)).not.toContain("jane.doe@example.com");

    const rejectedOnly = await loader({
      request: await adminRequest("/app/activity?status=rejected"),
      params: {},
      context: {},
    });
    expect(rejectedOnly.events.map((e) => e.webhookId)).toEqual(["act-bad"]);
  });

  it("shows times in the shop's time zone, UTC until Shopify has told it", async () => {
    const timeZone = async () =>
      shopTime(
        (await loader({ request: await adminRequest("/app/activity"), params: {}, context: {} }))
          .shopTime,
      ).timeZone;
    await db()
      .insert(shops)
      .values({ domain: TEST_SHOP })
      .onConflictDoUpdate({ target: shops.domain, set: { ianaTimezone: null } });
    expect(await timeZone()).toBe("UTC");
    await db().update(shops).set({ ianaTimezone: "Asia/Tokyo" }).where(eq(shops.domain, TEST_SHOP));
    expect(await timeZone()).toBe("Asia/Tokyo");
    // 23:30 UTC is the next morning in Tokyo, whatever zone the server or browser runs in.
    const at = "2026-03-01T23:30:00Z";
    expect(shopTime({ timeZone: "Asia/Tokyo" }).dateTime(at)).toMatch(/^Mar 2, 2026, 8:30\sAM$/);
    expect(shopTime({ timeZone: "UTC" }).dateTime(at)).toMatch(/^Mar 1, 2026, 11:30\sPM$/);
  });

  it("retries a dead-lettered webhook from the Retry button, once", async () => {
    await deliver("orders/create", orderPayload({ id: 5_400_000_000_001, name: "#4001" }), {
      webhookId: "act-dead",
    });
    const event = await settled("act-dead");
    // As if processing had failed for good:
    await db()
      .update(webhookEvents)
      .set({ status: "failed", error: "Shopify was down" })
      .where(eq(webhookEvents.id, event.id));
    const jobKey = `process-webhook:${TEST_SHOP}:act-dead`;
    const [letter] = await db()
      .insert(deadLetters)
      .values({
        shop: TEST_SHOP,
        task: "process-webhook",
        jobKey,
        jobId: jobIdForKey(jobKey),
        payload: {
          eventId: event.id,
          shop: TEST_SHOP,
          topic: "orders/create",
          webhookId: "act-dead",
        },
        error: "Shopify was down",
        errorKind: "exhausted",
        attempts: 11,
      })
      .returning();

    const listed = await loader({
      request: await adminRequest("/app/activity"),
      params: {},
      context: {},
    });
    expect(listed.deadLetters.map((d) => d.error)).toEqual(["Shopify was down"]);

    const form = new URLSearchParams({ intent: "replay", id: String(letter!.id) });
    const result = await action({
      request: await adminRequest("/app/activity", {
        method: "POST",
        body: form,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
      params: {},
      context: {},
    });
    expect(result).toEqual({ ok: true });
    await waitFor(
      async () =>
        (await db().select().from(webhookEvents).where(eq(webhookEvents.id, event.id)))[0]
          ?.status === "processed",
    );

    const again = await action({
      request: await adminRequest("/app/activity", {
        method: "POST",
        body: form,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
      params: {},
      context: {},
    });
    expect(again).toEqual({ ok: false, error: "That job was already retried." });
    const after = await loader({
      request: await adminRequest("/app/activity"),
      params: {},
      context: {},
    });
    expect(after.deadLetters).toEqual([]);
  });

  it("shows jobs that failed for one reason as one problem, and retries them all at once", async () => {
    await db().delete(deadLetters).where(eq(deadLetters.shop, TEST_SHOP));
    const failWebhook = async (webhookId: string, orderId: number, error: string) => {
      await deliver("orders/create", orderPayload({ id: orderId, name: `#${orderId % 10_000}` }), {
        webhookId,
      });
      const event = await settled(webhookId);
      await db()
        .update(webhookEvents)
        .set({ status: "failed", error })
        .where(eq(webhookEvents.id, event.id));
      const jobKey = `process-webhook:${TEST_SHOP}:${webhookId}`;
      const [letter] = await db()
        .insert(deadLetters)
        .values({
          shop: TEST_SHOP,
          task: "process-webhook",
          jobKey,
          jobId: jobIdForKey(jobKey),
          payload: { eventId: event.id, shop: TEST_SHOP, topic: "orders/create", webhookId },
          error,
          errorKind: "exhausted",
          attempts: 11,
        })
        .returning();
      return { event, letter: letter! };
    };
    const outage: Awaited<ReturnType<typeof failWebhook>>[] = [];
    for (const i of [1, 2, 3])
      outage.push(await failWebhook(`act-outage-${i}`, 5_400_000_000_100 + i, "Shopify was down"));
    const other = await failWebhook("act-other", 5_400_000_000_200, "Disk full");

    const listed = await loader({
      request: await adminRequest("/app/activity"),
      params: {},
      context: {},
    });
    expect(listed.deadLetters).toHaveLength(4);
    const text = visibleText(await render(listed));
    // Two problems, not four: the outage's three jobs are one card with one button.
    expect(text).toContain("Needs attention (2)");
    expect(text).toContain("3 failed for the same reason");
    expect(text).toContain("Retry all 3");
    expect(text.match(/Retry all/g)).toHaveLength(1);

    const retry = (ids: number[]) => {
      const body = new URLSearchParams({ intent: "replay" });
      for (const id of ids) body.append("id", String(id));
      return adminRequest("/app/activity", {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }).then((request) => action({ request, params: {}, context: {} }));
    };
    // One of them was already retried elsewhere: the rest still go, and the answer says so.
    expect(await retry([outage[0]!.letter.id])).toEqual({ ok: true });
    expect(await retry(outage.map((o) => o.letter.id))).toEqual({
      ok: false,
      error: "Retried 2 of 3. The others could not be: That job was already retried.",
    });
    await waitFor(async () => {
      const rows = await db()
        .select()
        .from(webhookEvents)
        .where(
          inArray(
            webhookEvents.id,
            outage.map((o) => o.event.id),
          ),
        );
      return rows.every((row) => row.status === "processed");
    });
    const after = await loader({
      request: await adminRequest("/app/activity"),
      params: {},
      context: {},
    });
    expect(after.deadLetters.map((d) => d.id)).toEqual([other.letter.id]);
    expect(visibleText(await render(after))).toContain("Needs attention (1)");
    await db().delete(deadLetters).where(eq(deadLetters.shop, TEST_SHOP));
  });

  it("refuses to retry another shop's dead letter", async () => {
    const [letter] = await db()
      .insert(deadLetters)
      .values({
        shop: "someone-else.myshopify.com",
        task: "process-webhook",
        jobKey: "k",
        jobId: "j-other",
        payload: {},
        error: "x",
        errorKind: "terminal",
        attempts: 1,
      })
      .returning();
    const result = await action({
      request: await adminRequest("/app/activity", {
        method: "POST",
        body: new URLSearchParams({ intent: "replay", id: String(letter!.id) }),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
      params: {},
      context: {},
    });
    expect(result).toEqual({ ok: false, error: "That failed job no longer exists." });
  });

  it("reads each run as a sentence with the names the merchant knows, hides skipped runs and keeps ids for support", async () => {
    const now = runtime().clock.now();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const OTHER = "someone-else.myshopify.com";
    await sessionStorage.storeSession(
      setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any),
    );
    await db().delete(recipeRuns).where(eq(recipeRuns.shop, TEST_SHOP));
    await db().delete(deadLetters).where(eq(deadLetters.shop, TEST_SHOP));
    const lena = "7340120000777";
    const withheld = "7340120000778";
    const lenaOrder = "5912300000777";
    const withheldOrder = "5912300000778";
    const order = (shop: string, id: string, name: string, customerId: string) => ({
      shop,
      id,
      name,
      customerId,
      currency: "EUR",
      totalPrice: "120.00",
      currentTotalPrice: "120.00",
      createdAt: ago(2 * HOUR_MS),
      sourceUpdatedAt: ago(2 * HOUR_MS),
    });
    await db()
      .insert(customers)
      .values([
        {
          shop: TEST_SHOP,
          id: lena,
          email: "lena.park@example.com",
          firstName: "Lena",
          lastName: "Park",
        },
        // Shopify withheld this customer's protected data: no name, email or phone.
        { shop: TEST_SHOP, id: withheld },
        // Another shop's customer under the same id must not lend its name.
        { shop: OTHER, id: withheld, firstName: "Not", lastName: "Ours" },
      ]);
    await db()
      .insert(orders)
      .values([
        order(TEST_SHOP, lenaOrder, "#1777", lena),
        order(TEST_SHOP, withheldOrder, "#1778", withheld),
        order(OTHER, withheldOrder, "#9999", withheld),
      ]);
    await db()
      .insert(gorgiasTickets)
      .values({
        shop: TEST_SHOP,
        ticketId: 500006,
        customerEmail: "lena.park@example.com",
        status: "open",
        sourceUpdatedAt: ago(3 * HOUR_MS),
        receivedAt: ago(3 * HOUR_MS),
      });
    const reviewKey = `deliver-klaviyo:${TEST_SHOP}:review-request-timing:order/${lenaOrder}:klaviyo-event`;
    const listKey = `deliver-klaviyo:${TEST_SHOP}:vip-tier-sync:customer/${withheld}:klaviyo-list-add`;
    await db()
      .insert(deliveries)
      .values([
        {
          shop: TEST_SHOP,
          vendor: "klaviyo",
          operation: "klaviyo-event",
          idempotencyKey: reviewKey,
          recipe: "review-request-timing",
          source: `order/${lenaOrder}`,
          payload: {
            metric: "Review request",
            profile: { email: "lena.park@example.com", firstName: "Lena", lastName: "Park" },
          },
          status: "succeeded",
          attempts: 1,
        },
        {
          shop: TEST_SHOP,
          vendor: "klaviyo",
          operation: "klaviyo-list-add",
          idempotencyKey: listKey,
          recipe: "vip-tier-sync",
          source: `customer/${withheld}`,
          payload: { list: "VIP customers", profile: { externalId: withheld } },
          status: "dead",
          lastError: "The list no longer exists",
          attempts: 1,
        },
      ]);
    const [letter] = await db()
      .insert(deadLetters)
      .values({
        shop: TEST_SHOP,
        task: "deliver-klaviyo",
        jobKey: listKey,
        jobId: jobIdForKey(listKey),
        payload: {},
        error: "The list no longer exists",
        errorKind: "terminal",
        attempts: 1,
      })
      .returning();
    let eventNo = 0;
    const run = (values: Partial<typeof recipeRuns.$inferInsert>) => ({
      shop: TEST_SHOP,
      recipeId: "review-request-timing",
      trigger: "fulfillment_events/create",
      eventKey: `webhook/${++eventNo}`,
      outcome: "acted" as const,
      actions: [],
      reasons: [],
      durationMs: 3.2,
      ...values,
    });
    await db()
      .insert(recipeRuns)
      .values([
        run({
          subject: "Order #1777",
          orderId: lenaOrder,
          customerId: lena,
          actions: [
            {
              kind: "klaviyo-event",
              channel: "marketing",
              summary: "Klaviyo “Review request” for #1777",
              status: "requested",
              key: reviewKey,
            },
          ],
          createdAt: ago(50 * MINUTE_MS),
        }),
        run({
          subject: "Order #1777",
          orderId: lenaOrder,
          customerId: lena,
          outcome: "blocked",
          actions: [
            {
              kind: "klaviyo-event",
              channel: "marketing",
              summary: "Klaviyo “Review request” for #1777",
              status: "suppressed",
              reason: "the customer has an open Gorgias ticket",
            },
          ],
          reasons: ["the customer has an open Gorgias ticket"],
          createdAt: ago(40 * MINUTE_MS),
        }),
        run({
          recipeId: "vip-tier-sync",
          trigger: "orders/create",
          subject: `Order #1778`,
          orderId: withheldOrder,
          actions: [
            {
              kind: "klaviyo-list-add",
              channel: "transactional",
              summary: `Add customer ${withheld} to Klaviyo list “VIP customers”`,
              status: "requested",
              key: listKey,
            },
          ],
          createdAt: ago(30 * MINUTE_MS),
        }),
        ...[1, 2, 3].map((i) =>
          run({
            outcome: "skipped",
            subject: "Order #1777",
            orderId: lenaOrder,
            reasons: ["the order has not been delivered yet"],
            createdAt: ago(i * MINUTE_MS),
          }),
        ),
        run({
          shop: OTHER,
          subject: "Order #9999",
          orderId: withheldOrder,
          createdAt: ago(MINUTE_MS),
        }),
      ]);

    const load = async (query = "") =>
      loader({ request: await adminRequest(`/app/activity${query}`), params: {}, context: {} });
    const data = await load();
    expect(data.runs.map((r) => r.line.sentence)).toEqual([
      "Couldn't add a customer to the Klaviyo list VIP customers",
      "Held back: open support ticket #500006",
      "Sent Lena Park a review request for #1777",
    ]);
    const [failed, held] = data.runs;
    expect(failed!.line.more[0]).toBe("Klaviyo did not accept it: The list no longer exists");
    expect(failed!.retryId).toBe(letter!.id);
    expect(failed!.orderName).toBe("#1778");
    expect(held!.line.more).toEqual(["Would have sent Lena Park a review request for #1777"]);
    expect(data.skippedHidden).toBe(3);
    expect(data.runs.every((r) => r.dayLabel === "Today" || r.dayLabel === "Yesterday")).toBe(true);
    expect(data.deadLetters.map((d) => d.line)).toEqual([
      {
        what: "Couldn't add a customer to the Klaviyo list VIP customers",
        why: "Klaviyo refused it: The list no longer exists",
      },
    ]);

    const html = await render(data);
    const text = visibleText(html);
    expect(text).toContain("Sent Lena Park a review request for #1777");
    expect(text).toContain("3 skipped runs hidden");
    // The run acted but its delivery failed: its badge says so, not "Acted".
    expect(text).toMatch(/Not delivered\s*Couldn't add a customer to the Klaviyo list/);
    expect(text).toMatch(/Acted\s*Sent Lena Park a review request/);
    expect(text).toContain("Retry");
    expect(text).toContain("Details for support");
    // Shopify's 64-bit ids, job keys and action kinds stay behind the closed disclosures.
    expect(text).not.toMatch(/\d{7,}/);
    expect(text).not.toContain("deliver-klaviyo");
    expect(text).not.toContain("klaviyo-list-add");
    expect(text).not.toContain("Not Ours");

    const withSkipped = await load("?skipped=show");
    expect(withSkipped.skippedHidden).toBe(0);
    expect(withSkipped.runs.map((r) => r.line.sentence).slice(0, 3)).toEqual([
      "Skipped: the order has not been delivered yet",
      "Skipped: the order has not been delivered yet",
      "Skipped: the order has not been delivered yet",
    ]);
    expect(visibleText(await render(withSkipped, "/app/activity?skipped=show"))).toContain(
      "Hide skipped runs",
    );

    const deliveriesView = await load("?view=deliveries");
    expect(deliveriesView.deliveries.map((d) => d.line)).toEqual(
      expect.arrayContaining([
        "Couldn't add a customer to the Klaviyo list VIP customers",
        "Sent Lena Park a review request",
      ]),
    );
    const deliveriesText = visibleText(
      await render(deliveriesView, "/app/activity?view=deliveries"),
    );
    expect(deliveriesText).not.toMatch(/\d{7,}/);

    // Shopify opens the app with the admin's language: a French admin reads French, names kept.
    const french = await load("?locale=fr");
    expect(french.runs.map((r) => r.line.sentence)).toEqual([
      "Impossible d’ajouter un client à la liste Klaviyo VIP customers",
      "Retenu : ticket d’assistance ouvert n° 500006",
      "Demande d’avis envoyée à Lena Park pour #1777",
    ]);
    expect(french.runs[0]!.line.more[0]).toBe(
      "Klaviyo ne l’a pas accepté : The list no longer exists",
    );
    expect(french.runs.every((r) => ["Aujourd’hui", "Hier"].includes(r.dayLabel))).toBe(true);
    expect(french.deadLetters.map((d) => d.line.why)).toEqual([
      "Klaviyo l’a refusé : The list no longer exists",
    ]);
    const frenchText = visibleText(await render(french, "/app/activity?locale=fr"));
    for (const words of [
      "Activité",
      "Exécutions des recettes",
      "Demande d’avis envoyée à Lena Park pour #1777",
      "3 exécutions ignorées masquées",
      "Toutes les recettes",
      "Demande d’avis au bon moment",
      "Réessayer",
      "Détails pour l’assistance",
      "À traiter (1)",
      "Non livré",
    ])
      expect(frenchText).toContain(words);
    expect(frenchText).not.toContain("Details for support");
    expect(frenchText).not.toContain("Recipe runs");
    const frenchDeliveries = await load("?view=deliveries&locale=fr");
    const frenchDeliveriesText = visibleText(
      await render(frenchDeliveries, "/app/activity?view=deliveries&locale=fr"),
    );
    expect(frenchDeliveriesText).toContain("Livré Demande d’avis envoyée à Lena Park");
    expect(frenchDeliveriesText).not.toContain("Delivered");
  });
});
