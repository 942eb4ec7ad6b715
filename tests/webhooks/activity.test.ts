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
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { deadLetters, shops, webhookEvents } from "../../db/schema/index";
import { shopTime } from "../../app/utils/shop-time";
import { action, loader } from "../../app/routes/app.activity/route";
import { sessionStorage } from "../../app/shopify.server";
import { jobIdForKey } from "../../app/jobs/queue.server";
import { orderPayload } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

async function adminRequest(path: string, init?: RequestInit) {
  return setUpValidRequest(
    { type: RequestType.Admin, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, init),
  );
}

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
});
