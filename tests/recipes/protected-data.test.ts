import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  setUpValidRequest,
} from "@shopify/shopify-api/test-helpers";
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ProtectedDataBanner } from "../../app/components/ProtectedDataBanner";
import { loader as homeLoader } from "../../app/routes/app._index";
import { RECIPE_ID as WHITE_GLOVE } from "../../app/recipes/high-value-white-glove/recipe";
import { orders as whiteGloveOrders } from "../../app/recipes/high-value-white-glove/fixtures/orders-create";
import {
  LIMITS_WITHOUT_PROTECTED_DATA,
  WITHHELD_EMAIL_REASON,
} from "../../app/recipes/protected-data";
import { RECIPES } from "../../app/recipes/registry";
import { RECIPE_ID as REVIEW } from "../../app/recipes/review-request-timing/recipe";
import { deliveredOrder } from "../../app/recipes/review-request-timing/fixtures/fulfillment_events-create";
import { RECIPE_ID as REPLENISH } from "../../app/recipes/replenishment-reminder/recipe";
import { RECIPE_ID as VIP } from "../../app/recipes/vip-tier-sync/recipe";
import { RECIPE_ID as DELAY } from "../../app/recipes/shipping-delay-outreach/recipe";
import { lateParcel } from "../../app/recipes/shipping-delay-outreach/fixtures/fulfillment_events-create";
import { orderSchema } from "../../app/webhooks/payloads";
import { parseJsonLosslessly } from "../../app/utils/shopify-id";
import { withholdProtectedCustomerData } from "../../sandbox/store/protected-data";
import { payload, recipeKit, sandbox } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../helpers/shopify-admin";
import { dayAt } from "../helpers/time";
import { SHOP_A, withVendorFakes } from "../helpers/vendors";

void realFetch;
const fakes = withVendorFakes();
withShopifyAdminFake(sandbox);

/** A payload as Shopify sends it to an app without protected customer data access. */
const withheld = <T>(topic: string, body: T): T => withholdProtectedCustomerData(topic, body);

describe("what Home says each recipe loses", () => {
  it("covers every recipe that writes to customers, by its registered id", () => {
    // A renamed recipe would silently drop out of Home's banner.
    expect(Object.keys(LIMITS_WITHOUT_PROTECTED_DATA).sort()).toEqual(
      RECIPES.map((r) => r.id)
        .filter((id) => id !== "post-purchase-upsell")
        .sort(),
    );
  });
});

describe("order payloads without protected customer data", () => {
  it("parse with the customer kept and its contact fields null or absent", () => {
    const full = payload("orders/create", { orderId: sandbox().orders[0]!.id });
    const nulled = orderSchema.parse(
      parseJsonLosslessly(JSON.stringify(withheld("orders/create", full))),
    );
    expect(nulled.customer).toMatchObject({ email: null, first_name: null, phone: null });
    expect(nulled.customer!.id).toBe(String((full.customer as { id: number }).id));
    expect(nulled.email).toBeNull();
    // Shopify may also leave the keys out altogether.
    const { email: _e, contact_email: _c, customer, ...rest } = full as Record<string, unknown>;
    const {
      email: _ce,
      first_name: _f,
      last_name: _l,
      phone: _p,
      ...bare
    } = customer as Record<string, unknown>;
    const absent = orderSchema.parse(
      parseJsonLosslessly(JSON.stringify({ ...rest, customer: bare })),
    );
    expect(absent.email).toBeUndefined();
    expect(absent.customer?.email).toBeUndefined();
  });
});

/** A request from the embedded app for shop A. */
async function adminRequest(path: string) {
  return setUpValidRequest(
    {
      type: RequestType.Bearer,
      store: SHOP_A.replace(".myshopify.com", ""),
      apiKey: API_KEY,
      apiSecretKey: API_SECRET_KEY,
    },
    new Request(`${APP_URL}${path}`),
  );
}
const home = async () =>
  homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });

describeWithRuntime("recipes and Home without protected customer data", ({ runtime }) => {
  const kit = recipeKit(runtime);

  beforeAll(async () => {
    await storeOfflineSession(kit.shop);
    await kit.connect();
    await kit.enable(DELAY);
    await kit.enable(REVIEW, { daysAfterDelivery: 7, holdDays: 3 });
    await kit.enable(WHITE_GLOVE, { threshold: 150 });
    // Every customer with an order is a VIP here: each order asks for a Klaviyo list update.
    await kit.enable(VIP, { minOrders: 1, minLifetimeSpend: 0 });
    await kit.enable(REPLENISH, { items: [{ sku: "TEE-BLK-M", days: 30 }] });
  });

  it("shows no banner while Shopify sends customers complete", async () => {
    // A customer none of the other tests' orders belongs to.
    const others = [
      lateParcel("delayed").order,
      lateParcel("failure").order,
      whiteGloveOrders().big,
    ].map((o) => o.customerId);
    const order = sandbox().orders.find(
      (o) => o.customerId && o.email && !others.includes(o.customerId),
    )!;
    await kit.send("orders/create", payload("orders/create", { orderId: order.id }));
    expect((await home()).protectedData).toBeNull();
  });

  it("shipping delay outreach skips a withheld customer with the reason: no Klaviyo message, no Gorgias ticket", async () => {
    const parcel = lateParcel("delayed");
    const before = {
      events: fakes().klaviyo.state.events.length,
      tickets: fakes().gorgias.state.tickets.length,
    };
    const created = await kit.send("orders/create", withheld("orders/create", parcel.ordersCreate));
    // VIP tier sync has no email for Klaviyo either, and says why.
    expect(await kit.runFor(VIP, created.id)).toMatchObject({
      outcome: "skipped",
      reasons: [WITHHELD_EMAIL_REASON],
    });
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    const run = await kit.runFor(
      DELAY,
      (await kit.send("fulfillment_events/create", parcel.lateEvent)).id,
    );
    expect(run).toMatchObject({
      outcome: "skipped",
      subject: `Order ${parcel.order.name}`,
      reasons: [WITHHELD_EMAIL_REASON],
      actions: [],
    });
    expect(fakes().klaviyo.state.events.length).toBe(before.events);
    expect(fakes().gorgias.state.tickets.length).toBe(before.tickets);
  });

  it("tells a customer who really has no email apart from a withheld one", async () => {
    const parcel = lateParcel("failure");
    const order = parcel.ordersCreate as Record<string, any>;
    // A customer with a name and no email (they signed up by phone): not withheld.
    const noEmail = {
      ...order,
      email: null,
      contact_email: null,
      customer: { ...order.customer, email: null },
    };
    const created = await kit.send("orders/create", noEmail);
    expect(await kit.runFor(VIP, created.id)).toMatchObject({
      outcome: "skipped",
      reasons: ["the customer has no email address for Klaviyo"],
    });
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    const run = await kit.runFor(
      DELAY,
      (await kit.send("fulfillment_events/create", parcel.lateEvent)).id,
    );
    expect(run).toMatchObject({ outcome: "skipped", reasons: ["the order has no email address"] });
  });

  it("review request timing and replenishment reminder skip when they come due for a withheld customer", async () => {
    const delivered = dayAt(runtime().clock.now(), -1, "15:00");
    const order = deliveredOrder(
      41,
      { id: 7_300_000_041, email: "withheld@example.com" },
      delivered,
    );
    await kit.send("orders/create", withheld("orders/create", order.ordersCreate));
    await kit.send("fulfillments/create", order.fulfillmentsCreate);
    const scheduled = await kit.runFor(
      REVIEW,
      (await kit.send("fulfillment_events/create", order.delivered)).id,
    );
    expect(scheduled.outcome).toBe("scheduled");
    const [result] = await kit.fireFollowUps(REVIEW, undefined, `order/${order.orderId}`);
    const [evaluation] = result!.evaluations;
    expect(evaluation).toMatchObject({ outcome: "skipped", reasons: [WITHHELD_EMAIL_REASON] });
    const [reminder] = await kit.fireFollowUps(
      REPLENISH,
      undefined,
      `order/${order.orderId}/TEE-BLK-M`,
    );
    expect(reminder!.evaluations[0]).toMatchObject({
      outcome: "skipped",
      reasons: [WITHHELD_EMAIL_REASON],
    });
    await kit.settled((await kit.deliveries()).map((d) => d.idempotencyKey));
    expect(
      fakes().klaviyo.state.events.filter((e) => e.properties.OrderName === order.orderName),
    ).toEqual([]);
  });

  it("high-value white glove still tags a withheld customer's big order but opens no Gorgias ticket, and says why", async () => {
    const data = whiteGloveOrders();
    const tickets = fakes().gorgias.state.tickets.length;
    const run = await kit.runFor(
      WHITE_GLOVE,
      (await kit.send("orders/create", withheld("orders/create", data.create(data.big)))).id,
    );
    expect(run.outcome).toBe("acted");
    expect(run.actions.map((a) => a.kind)).not.toContain("gorgias-ticket");
    expect(run.actions.map((a) => a.kind)).toContain("shopify-tags-add");
    expect(run.reasons).toContain(`no ticket: ${WITHHELD_EMAIL_REASON}`);
    await kit.settled(run.actions.map((a) => a.key!));
    expect(fakes().gorgias.state.tickets.length).toBe(tickets);
  });

  it("Home says what is withheld and which switched-on recipes it limits, and drops it once Shopify sends customers complete", async () => {
    const { protectedData } = await home();
    expect(protectedData).not.toBeNull();
    const { rows } = (await kit.db().execute(
      sql`select o.name from orders o join customers c on c.shop = o.shop and c.id = o.customer_id
          where o.shop = ${SHOP_A} and c.email is null and c.first_name is null and c.last_name is null and c.phone is null
          order by o.created_at desc`,
    )) as unknown as { rows: { name: string }[] };
    const total = (
      (await kit
        .db()
        .execute(
          sql`select count(*)::int as n from orders where shop = ${SHOP_A} and customer_id is not null`,
        )) as unknown as { rows: { n: number }[] }
    ).rows[0]!.n;
    expect(rows.length).toBe(3);
    expect(protectedData!.what).toBe(
      `3 of your last ${total} orders with a customer account (most recently ${rows[0]!.name}) arrived without the customer's name, email or phone, because this app has not been granted access to Shopify's protected customer data. Recipes cannot write to those customers.`,
    );
    // In the registry's order, each with what it does without the data.
    expect(protectedData!.limited).toEqual([
      {
        title: "Shipping delay outreach",
        without: "skips the Klaviyo message and the Gorgias ticket (“no email: …”)",
      },
      {
        title: "VIP tier sync",
        without: "keeps no Klaviyo list membership for the customer (“no email: …”)",
      },
      {
        title: "High-value white glove",
        without: "still tags the order and customer; opens no Gorgias ticket (noted on the run)",
      },
      { title: "Review request timing", without: "skips the review request (“no email: …”)" },
      { title: "Replenishment reminder", without: "skips the reminder (“no email: …”)" },
    ]);
    const html = renderToString(
      createElement(
        AppProvider,
        { i18n: enTranslations },
        createElement(ProtectedDataBanner, { notice: protectedData! }),
      ),
    );
    expect(html).toContain("Shopify is withholding your customers&#x27; names and emails");
    expect(html).toContain("Partner Dashboard");

    // Access granted: Shopify sends the customers complete again (customers/update).
    const withheldCustomers = (
      (await kit
        .db()
        .execute(
          sql`select id::text as id from customers where shop = ${SHOP_A} and email is null and first_name is null and last_name is null and phone is null`,
        )) as unknown as { rows: { id: string }[] }
    ).rows;
    const template = payload("customers/update", { customerId: sandbox().customers[0]!.id });
    for (const { id } of withheldCustomers)
      await kit.send("customers/update", {
        ...template,
        id: Number(id),
        email: `customer-${id}@example.com`,
        updated_at: new Date(runtime().clock.now().getTime() + 60_000).toISOString(),
      });
    expect((await home()).protectedData).toBeNull();
  });
});
