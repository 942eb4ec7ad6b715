import "../helpers/shopify";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import {
  customers,
  orderRefunds,
  orders,
  privacyExports,
  sessions,
  shops,
} from "../../db/schema/index";
import type { Database } from "../../app/db.server";
import {
  SHOP,
  checkoutPayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
  shopRedactPayload,
} from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

/** A refund as order payloads carry it: issued, its money sent back. */
const refundOf = (id: number, orderId: number) => ({
  id,
  order_id: orderId,
  created_at: "2026-11-21T09:00:00Z",
  transactions: [
    { kind: "refund", status: "success", processed_at: "2026-11-21T09:00:05Z", amount: "10.00" },
  ],
});

/** Every text-like column of our tables (and, with "pgboss", the job queue's) that holds `needle`. */
async function findEverywhere(database: Database, needle: string, schemas = ["public"]) {
  const { rows: columns } = await database.executeSql(
    `select c.table_schema, c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = any(array(select jsonb_array_elements_text($1::jsonb)))
       and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
    [JSON.stringify(schemas)],
  );
  const hits: string[] = [];
  for (const { table_schema, table_name, column_name } of columns) {
    const { rows } = await database.executeSql(
      `select count(*)::int as n from "${table_schema}"."${table_name}" where strpos("${column_name}"::text, $1) > 0`,
      [needle],
    );
    if (rows[0].n > 0) hits.push(`${table_schema}.${table_name}.${column_name}`);
  }
  return hits;
}

const processed = (database: Database, webhookId: string) => settledEvent(database.db, webhookId);

describeWithRuntime("privacy webhooks", ({ runtime }) => {
  const database = () => runtime().database;

  it("customers/data_request stores an export of everything held on the customer", async () => {
    await deliver("orders/create", orderPayload(), { webhookId: "p-order" });
    await deliver("fulfillments/create", fulfillmentPayload(), { webhookId: "p-ful" });
    await deliver("fulfillment_events/create", fulfillmentEventPayload(), { webhookId: "p-fe" });
    await deliver("customers/update", customerPayload(), { webhookId: "p-cust" });
    await deliver("checkouts/create", checkoutPayload(runtime().clock.now()), {
      webhookId: "p-checkout",
    });
    for (const id of ["p-order", "p-ful", "p-fe", "p-cust", "p-checkout"])
      expect((await processed(database(), id)).status).toBe("processed");

    await deliver("customers/data_request", customersDataRequestPayload(), {
      webhookId: "p-request",
    });
    await processed(database(), "p-request");
    const [exported] = await database()
      .db.select()
      .from(privacyExports)
      .where(eq(privacyExports.webhookId, "p-request"));
    const data = exported!.data as {
      customer: { email: string };
      orders: { name: string }[];
      fulfillments: unknown[];
      fulfillmentEvents: unknown[];
      checkouts: { token: string }[];
      webhooks: { topic: string }[];
    };
    expect(data.customer.email).toBe("jane.doe@example.com");
    expect(data.orders.map((o) => o.name)).toEqual(["#1042"]);
    expect(data.fulfillments).toHaveLength(1);
    expect(data.fulfillmentEvents).toHaveLength(1);
    expect(data.checkouts.map((c) => c.token)).toEqual([checkoutPayload(new Date()).token]);
    expect(data.webhooks.map((w) => w.topic).sort()).toEqual([
      "checkouts/create",
      "customers/update",
      "fulfillment_events/create",
      "fulfillments/create",
      "orders/create",
    ]);

    // Delivered again (Shopify retries): still one export.
    await deliver("customers/data_request", customersDataRequestPayload(), {
      webhookId: "p-request",
    });
    expect(
      await database()
        .db.select()
        .from(privacyExports)
        .where(eq(privacyExports.webhookId, "p-request")),
    ).toHaveLength(1);
  });

  it("customers/redact leaves no trace of the customer's email or phone in any table", async () => {
    // Another customer's data must survive.
    await deliver(
      "orders/create",
      orderPayload({
        id: 5_900_000_000_001,
        email: "other@example.com",
        customer: { id: 7_999, email: "other@example.com", updated_at: "2026-11-20T10:00:00Z" },
      }),
      {
        webhookId: "p-other",
      },
    );
    await processed(database(), "p-other");
    // Jane's order got a refund.
    await deliver(
      "orders/updated",
      orderPayload({
        updated_at: "2026-11-21T10:00:00Z",
        refunds: [refundOf(81, 5_812_345_678_901)],
      }),
      { webhookId: "p-refund" },
    );
    await processed(database(), "p-refund");
    const janesRefunds = () =>
      database().db.select().from(orderRefunds).where(eq(orderRefunds.orderId, "5812345678901"));
    expect(await janesRefunds()).toHaveLength(1);
    expect(await findEverywhere(database(), "jane.doe@example.com")).not.toEqual([]);

    await deliver("customers/redact", customersRedactPayload(), { webhookId: "p-redact" });
    expect((await processed(database(), "p-redact")).status).toBe("processed");

    expect(await findEverywhere(database(), "jane.doe@example.com")).toEqual([]);
    expect(await findEverywhere(database(), "+15555550123")).toEqual([]);
    expect(
      await database().db.select().from(customers).where(eq(customers.id, "7001002003")),
    ).toEqual([]);
    expect(await database().db.select().from(orders).where(eq(orders.id, "5812345678901"))).toEqual(
      [],
    );
    expect(await janesRefunds()).toEqual([]);
    expect(await findEverywhere(database(), "other@example.com")).not.toEqual([]);

    // Redacting again is harmless.
    await deliver("customers/redact", customersRedactPayload(), { webhookId: "p-redact-again" });
    expect((await processed(database(), "p-redact-again")).status).toBe("processed");
  });

  it("shop/redact deletes all of the shop's data and nothing of other shops", async () => {
    const gone = "gone.myshopify.com";
    await database().db.insert(shops).values({ domain: gone });
    await database()
      .db.insert(sessions)
      .values({ id: `offline_${gone}`, shop: gone, state: "s", accessToken: "shpat_gone" });
    await deliver(
      "orders/create",
      orderPayload({ id: 5_700_000_000_001, refunds: [refundOf(82, 5_700_000_000_001)] }),
      {
        shop: gone,
        webhookId: "p-gone-order",
      },
    );
    await processed(database(), "p-gone-order");
    expect(
      await database().db.select().from(orderRefunds).where(eq(orderRefunds.shop, gone)),
    ).toHaveLength(1);

    await deliver("shop/redact", shopRedactPayload({ shop_domain: gone }), {
      shop: gone,
      webhookId: "p-shop-redact",
    });
    await waitFor(
      async () =>
        (await database().db.select().from(shops).where(eq(shops.domain, gone))).length === 0,
    );
    expect(await findEverywhere(database(), gone)).toEqual([]);
    // The job queue too: the redact job's own row goes once it has finished (forget-job).
    await waitFor(async () => (await findEverywhere(database(), gone, ["pgboss"])).length === 0, {
      timeoutMs: 20_000,
      intervalMs: 250,
    });
    expect(
      (await database().db.select().from(orders).where(eq(orders.shop, SHOP))).length,
    ).toBeGreaterThan(0);
  });
});
