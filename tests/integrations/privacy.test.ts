import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import {
  deliveries,
  deliveryAttempts,
  gorgiasTickets,
  integrations,
  klaviyoListMembers,
  klaviyoLists,
  privacyExports,
} from "../../db/schema/index";
import type { Database } from "../../app/db.server";
import { saveGorgiasConnection, saveKlaviyoConnection } from "../../app/models/integrations.server";
import { exportCustomerData, redactCustomer, redactShop } from "../../app/models/privacy.server";
import { describeEachDatabase } from "../helpers/database";

const SHOP = "privacy-shop.myshopify.com";
const OTHER_SHOP = "elsewhere.myshopify.com";
const JANE = { id: "7001", email: "Jane.Doe@example.com", phone: "+15555550123" };

/** Every text/jsonb column of every public table, searched for `needle` (case-insensitive). */
async function findEverywhere(database: Database, needle: string) {
  const { rows: columns } = await database.executeSql(
    `select table_name, column_name from information_schema.columns
     where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
  );
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await database.executeSql(
      `select count(*)::int as n from "${table_name}" where strpos(lower("${column_name}"::text), lower($1)) > 0`,
      [needle],
    );
    if (rows[0].n > 0) hits.push(`${table_name}.${column_name}`);
  }
  return hits.sort();
}

async function seed(database: Database, shop: string, email: string, phone: string, order: number) {
  const db = database.db;
  const [delivery] = await db
    .insert(deliveries)
    .values({
      shop,
      vendor: "klaviyo",
      operation: "klaviyo-event",
      idempotencyKey: `deliver-klaviyo:${shop}:review-request-timing:order/${order}:klaviyo-event:Review Requested`,
      recipe: "review-request-timing",
      source: `order/${order}`,
      payload: { kind: "klaviyo-event", profile: { email, phoneNumber: phone } },
      status: "dead",
      lastError: `Klaviyo create-event failed 400: Invalid email address: '${email}'`,
    })
    .returning();
  await db.insert(deliveryAttempts).values({
    deliveryId: delivery!.id,
    shop,
    vendor: "klaviyo",
    operation: "create-event",
    httpStatus: 400,
    latencyMs: 12,
    error: `Invalid email address: '${email}'`,
    attempt: 1,
  });
  await db.insert(gorgiasTickets).values({
    shop,
    ticketId: 500_000 + order,
    customerEmail: email.toLowerCase(),
    status: "open",
    sourceUpdatedAt: new Date(),
  });
  await db
    .insert(klaviyoLists)
    .values({ shop, name: "VIP", listId: "LIST01" })
    .onConflictDoNothing();
  await db
    .insert(klaviyoListMembers)
    .values({ shop, listId: "LIST01", email: email.toLowerCase(), profileId: "01PROFILE" });
}

describeEachDatabase("privacy of integration data", ({ use: testDatabase }) => {
  const database = () => testDatabase().database;

  it("exports what the integrations hold on a customer", async () => {
    await seed(database(), SHOP, JANE.email, JANE.phone, 1);
    await exportCustomerData(database().db, SHOP, JANE, [], {
      generatedAt: new Date(),
      webhookId: "export-1",
      dataRequestId: "1",
    });
    const [row] = await database()
      .db.select()
      .from(privacyExports)
      .where(eq(privacyExports.webhookId, "export-1"));
    const data = row!.data as {
      integrations: {
        connected: { klaviyo: boolean; gorgias: boolean };
        deliveries: unknown[];
        gorgiasTickets: unknown[];
        klaviyoListMemberships: unknown[];
      };
    };
    // Nothing connected in this shop: the export says so.
    expect(data.integrations.connected).toEqual({ klaviyo: false, gorgias: false });
    expect(data.integrations.deliveries).toHaveLength(1);
    expect(data.integrations.gorgiasTickets).toMatchObject([{ ticketId: 500_001, status: "open" }]);
    expect(data.integrations.klaviyoListMemberships).toMatchObject([
      { listId: "LIST01", profileId: "01PROFILE" },
    ]);
  });

  it("customers/redact leaves no trace of the customer in the integration tables, and other customers' data alone", async () => {
    await seed(database(), SHOP, "other@example.com", "+15555550999", 2);
    expect(await findEverywhere(database(), JANE.email)).not.toEqual([]);
    await redactCustomer(database().db, SHOP, JANE, []);
    expect(await findEverywhere(database(), JANE.email)).toEqual([]);
    expect(await findEverywhere(database(), JANE.phone)).toEqual([]);
    expect(await findEverywhere(database(), "other@example.com")).toEqual(
      [
        "deliveries.last_error",
        "deliveries.payload",
        "delivery_attempts.error",
        "gorgias_tickets.customer_email",
        "klaviyo_list_members.email",
      ].sort(),
    );
  });

  it("shop/redact deletes the shop's connections and everything learnt through them", async () => {
    await saveKlaviyoConnection(database().db, SHOP, {
      apiKey: "pk_privacy_1234567890abcdef",
      accountId: "ACC",
      accountName: "Privacy",
      granted: [],
      missing: [],
    });
    await saveGorgiasConnection(database().db, SHOP, {
      domain: "privacy",
      email: "agent@privacy.test",
      apiKey: "g-key-1234567890",
      webhookSecret: "s",
      httpIntegrationId: 1,
    });
    await seed(database(), OTHER_SHOP, "kept@example.com", "+15555550888", 3);
    await redactShop(database().db, SHOP);
    expect(await findEverywhere(database(), SHOP)).toEqual([]);
    expect(
      await database().db.select().from(integrations).where(eq(integrations.shop, SHOP)),
    ).toEqual([]);
    expect(await findEverywhere(database(), "kept@example.com")).not.toEqual([]);
  });
});
