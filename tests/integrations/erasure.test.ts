import "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { deliveries, privacyRedactions } from "../../db/schema/index";
import { connectGorgias, connectKlaviyo } from "../../app/integrations/connections.server";
import { runDelivery } from "../../app/integrations/delivery/execute.server";
import type { TaskHelpers } from "../../app/jobs/define-task";
import { createKlaviyoClient } from "../../app/integrations/klaviyo/client.server";
import { customersRedactPayload } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import {
  GORGIAS_DOMAIN,
  GORGIAS_USERS,
  KLAVIYO_KEYS,
  SHOP_A,
  SHOP_B,
  withVendorFakes,
} from "../helpers/vendors";
import { deliver, settledEvent, waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes();

const JANE = "jane.doe@example.com";
const OTHER = "other@example.com";

describeWithRuntime("customers/redact reaches Klaviyo and Gorgias", ({ runtime }) => {
  const db = () => runtime().database.db;

  beforeAll(async () => {
    expect(await connectKlaviyo(db(), SHOP_A, KLAVIYO_KEYS[SHOP_A])).toMatchObject({ ok: true });
    const user = GORGIAS_USERS[SHOP_A]!;
    expect(
      await connectGorgias(db(), runtime().queue, SHOP_A, {
        domain: GORGIAS_DOMAIN,
        email: user.email,
        apiKey: user.apiKey,
      }),
    ).toMatchObject({ ok: true });
  });

  const erasureDeliveries = (shop: string) =>
    db()
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.shop, shop), eq(deliveries.recipe, "privacy")));

  const settledErasures = (shop: string, count: number) =>
    waitFor(
      async () => {
        const rows = await erasureDeliveries(shop);
        return rows.length === count && rows.every((r) => r.status !== "queued") ? rows : undefined;
      },
      { timeoutMs: 30_000 },
    );

  it("asks each connected vendor to delete the customer exactly once, through retries and redelivery", async () => {
    const { klaviyo, gorgias } = fakes();
    const klaviyoClient = createKlaviyoClient({ apiKey: KLAVIYO_KEYS[SHOP_A] });
    await klaviyoClient.upsertProfile({ email: JANE, firstName: "Jane" });
    await klaviyoClient.upsertProfile({ email: OTHER, firstName: "Olga" });
    const janeTickets = [
      gorgias.openTicket({ customer: { email: JANE, name: "Jane Doe" } }),
      gorgias.openTicket({ customer: { email: JANE, name: "Jane Doe" }, subject: "Again" }),
    ];
    gorgias.closeTicket(janeTickets[1]!.id);
    const otherTicket = gorgias.openTicket({ customer: { email: OTHER } });
    // The first calls to each vendor are throttled: the deliveries retry.
    klaviyo.setFaults({ burst429: 2, retryAfterSeconds: 1 });
    gorgias.setFaults({ burst429: 1, retryAfterSeconds: 1 });

    const payload = customersRedactPayload({ shop_domain: SHOP_A });
    await deliver("customers/redact", payload, { shop: SHOP_A, webhookId: "erase-1" });
    expect((await settledEvent(db(), "erase-1")).status).toBe("processed");
    // Shopify delivers the same webhook again.
    await deliver("customers/redact", payload, { shop: SHOP_A, webhookId: "erase-1" });

    const rows = await settledErasures(SHOP_A, 2);
    expect(rows.map((r) => [r.operation, r.status]).sort()).toEqual([
      ["gorgias-customer-deletion", "succeeded"],
      ["klaviyo-profile-deletion", "succeeded"],
    ]);
    // Once accepted, the rows no longer name her.
    expect(JSON.stringify(rows)).not.toContain(JANE);
    expect(JSON.stringify(rows)).not.toContain("+15555550123");

    expect(klaviyo.state.deletionRequests).toEqual([
      expect.objectContaining({ identifier: { email: JANE } }),
    ]);
    expect(klaviyo.findProfile({ email: JANE })).toBeUndefined();
    expect(klaviyo.findProfile({ email: OTHER })).toBeDefined();

    expect(gorgias.state.tickets.map((t) => t.id)).toEqual([otherTicket.id]);
    expect(gorgias.state.customers.map((c) => c.email)).toEqual([OTHER]);
    const deletes = gorgias.received.filter((r) => r.method === "DELETE" && r.status === 204);
    expect(deletes.map((r) => r.path).sort()).toEqual(
      [
        `/api/customers/${janeTickets[0]!.customer.id}`,
        ...janeTickets.map((t) => `/api/tickets/${t.id}`),
      ].sort(),
    );

    // A duplicate job (a replay of a delivery that already succeeded) sends nothing.
    const sentBefore = klaviyo.received.length + gorgias.received.length;
    const klaviyoRow = rows.find((r) => r.operation === "klaviyo-profile-deletion")!;
    await runDelivery(
      "klaviyo",
      klaviyoRow.idempotencyKey,
      { shop: SHOP_A, sourceId: klaviyoRow.idempotencyKey.split(`${SHOP_A}:`)[1]! },
      {
        database: runtime().database,
        queue: runtime().queue,
        clock: runtime().clock,
        attempt: 2,
        signal: new AbortController().signal,
      } as Partial<TaskHelpers> as TaskHelpers,
    );
    expect(klaviyo.received.length + gorgias.received.length).toBe(sentBefore);

    const [record] = await db()
      .select()
      .from(privacyRedactions)
      .where(eq(privacyRedactions.webhookId, "erase-1"));
    expect(record).toMatchObject({
      shop: SHOP_A,
      customerId: "7001002003",
      vendors: [
        { vendor: "klaviyo", outcome: "requested", deliveryKey: klaviyoRow.idempotencyKey },
        { vendor: "gorgias", outcome: "requested" },
      ],
    });
    expect(JSON.stringify(record)).not.toContain(JANE);
  });

  it("sends nothing for a shop with no vendor connected, and its record says so", async () => {
    const { klaviyo, gorgias } = fakes();
    await deliver("customers/redact", customersRedactPayload({ shop_domain: SHOP_B }), {
      shop: SHOP_B,
      webhookId: "erase-b",
    });
    expect((await settledEvent(db(), "erase-b")).status).toBe("processed");
    const [record] = await db()
      .select()
      .from(privacyRedactions)
      .where(eq(privacyRedactions.webhookId, "erase-b"));
    expect(record!.vendors).toEqual([
      { vendor: "klaviyo", outcome: "not-connected" },
      { vendor: "gorgias", outcome: "not-connected" },
    ]);
    expect(await erasureDeliveries(SHOP_B)).toEqual([]);
    expect(klaviyo.received).toEqual([]);
    expect(gorgias.received).toEqual([]);
  });

  it("a later redaction of the same customer does not cancel an erasure still queued", async () => {
    const { klaviyo } = fakes();
    // Klaviyo is down for now: the first erasure waits in the queue.
    klaviyo.setFaults({ burst429: 1, retryAfterSeconds: 2 });
    const payload = customersRedactPayload({ shop_domain: SHOP_A });
    await deliver("customers/redact", payload, { shop: SHOP_A, webhookId: "erase-2" });
    expect((await settledEvent(db(), "erase-2")).status).toBe("processed");
    await deliver("customers/redact", payload, { shop: SHOP_A, webhookId: "erase-3" });
    expect((await settledEvent(db(), "erase-3")).status).toBe("processed");
    const rows = await settledErasures(SHOP_A, 6);
    expect(rows.every((r) => r.status === "succeeded")).toBe(true);
    expect(klaviyo.state.deletionRequests).toHaveLength(2);
  });
});
