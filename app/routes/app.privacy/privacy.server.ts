import { z } from "zod";
import type { Db } from "../../db.server";
import {
  getPrivacyExport,
  listDataRequests,
  listRedactions,
  shopTimeZone,
} from "../../models/privacy-requests.server";
import { formatMoney, plural } from "../../recipes/shared";
import { RECIPES } from "../../recipes/registry";
import { shopTime } from "../../utils/shop-time";
import { vendorName } from "../../utils/vendor-names";

/** A delivery's state in a customer's data export. */
const EXPORT_DELIVERY_STATUS = {
  queued: "Queued",
  waiting: "Waiting for the integration to be connected",
  succeeded: "Delivered",
  dead: "Failed",
  dropped: "Dropped (waited too long)",
} as const;

const customerName = (first: string | null, last: string | null) =>
  [first, last].filter(Boolean).join(" ") || null;

/** Everything the Privacy screen lists, as plain JSON with times already in the shop's zone. */
export async function loadPrivacyScreen(db: Db, shop: string) {
  const [zone, requests, redactions] = await Promise.all([
    shopTimeZone(db, shop),
    listDataRequests(db, shop),
    listRedactions(db, shop),
  ]);
  const time = shopTime({ timeZone: zone });
  const at = time.dateTime;
  return {
    timeZone: time.timeZone,
    dataRequests: requests.map((r) => ({
      exportId: r.exportId,
      customer:
        customerName(r.firstName, r.lastName) ?? r.email ?? "A customer (no name or email on file)",
      email: customerName(r.firstName, r.lastName) ? r.email : null,
      customerId: r.customerId,
      received: at(r.receivedAt),
      status: r.status,
      error: r.error,
    })),
    redactions: redactions.map((r) => ({
      id: r.id,
      customerId: r.customerId,
      received: at(r.receivedAt),
      removedOrders: r.removed.ordersRemoved ?? 0,
      removedHere: removedSentence(r.removed),
      vendors: r.vendors.map((v) => ({ vendor: vendorName(v.vendor), ...redactionReach(v) })),
    })),
  };
}

export type PrivacyScreen = Awaited<ReturnType<typeof loadPrivacyScreen>>;

/** What a redaction deleted here, from its counts. */
function removedSentence(removed: Record<string, number>): string {
  const parts = [
    removed.customersRemoved ? "their profile" : null,
    removed.ordersRemoved ? plural(removed.ordersRemoved, "order", "orders") : null,
    removed.deliveriesRemoved
      ? plural(removed.deliveriesRemoved, "record of what was sent", "records of what was sent")
      : null,
    removed.webhooksScrubbed
      ? plural(removed.webhooksScrubbed, "Shopify notification", "Shopify notifications")
      : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0) return "Switchboard held nothing else on them.";
  const list =
    parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  return `Deleted here: ${list}, with anything recipes remembered about them.`;
}

/** One vendor's part in a redaction, as a sentence and a tone. */
function redactionReach(v: Awaited<ReturnType<typeof listRedactions>>[number]["vendors"][number]): {
  tone: "success" | "info" | "critical" | undefined;
  text: string;
} {
  if (v.outcome === "not-connected")
    return {
      tone: undefined,
      text: "Not connected when the request came: nothing to delete there",
    };
  if (v.outcome === "no-identifier")
    return {
      tone: undefined,
      text: "Shopify sent no email or phone number to find the customer by: nothing sent",
    };
  if (!v.delivery) return { tone: undefined, text: "Deletion requested (record no longer kept)" };
  if (v.delivery.status === "succeeded") return { tone: "success", text: "Deletion requested" };
  if (v.delivery.status === "queued") return { tone: "info", text: "Deletion request queued" };
  return {
    tone: "critical",
    text: `Deletion failed: ${v.delivery.lastError ?? "unknown error"}. Retry it under Activity.`,
  };
}

// The stored export, read defensively: its shape is what exportCustomerData wrote at the time.
const text = z.string().nullish().catch(null);
const list = <T extends z.ZodType>(item: T) => z.array(item).catch([]);
const exportSchema = z.looseObject({
  generatedAt: text,
  customer: z
    .looseObject({
      firstName: text,
      lastName: text,
      email: text,
      phone: text,
      tags: list(z.string()),
      emailMarketingState: text,
      orderCount: z.number().nullish().catch(null),
    })
    .nullish()
    .catch(null),
  orders: list(
    z.looseObject({
      id: z.coerce.string(),
      name: z.string(),
      currency: z.string().catch("USD"),
      totalPrice: z.coerce.number().catch(0),
      financialStatus: text,
      fulfillmentStatus: text,
      createdAt: text,
      cancelledAt: text,
    }),
  ),
  fulfillments: list(z.looseObject({ orderId: z.coerce.string(), shipmentStatus: text })),
  webhooks: list(z.unknown()),
  integrations: z
    .looseObject({
      connected: z
        .looseObject({ klaviyo: z.boolean(), gorgias: z.boolean() })
        .nullish()
        .catch(null),
      deliveries: list(
        z.looseObject({
          vendor: z.string(),
          operation: z.string(),
          status: z.string(),
          recipe: z.string(),
          createdAt: text,
        }),
      ),
      gorgiasTickets: list(z.looseObject({ ticketId: z.number(), status: z.string() })),
      klaviyoListMemberships: list(z.looseObject({ listId: z.string() })),
    })
    .catch({ connected: null, deliveries: [], gorgiasTickets: [], klaviyoListMemberships: [] }),
  upsellOffers: list(z.unknown()),
  recipes: z
    .looseObject({
      runs: list(
        z.looseObject({
          recipeId: z.string(),
          subject: text,
          outcome: z.string(),
          reasons: list(z.string()),
          createdAt: text,
        }),
      ),
      frequencyCapTouches: list(z.looseObject({ recipeId: z.string(), channel: z.string() })),
      memory: list(z.unknown()),
    })
    .catch({ runs: [], frequencyCapTouches: [], memory: [] }),
});

const recipeTitle = (id: string) =>
  id === "privacy" ? "Privacy request" : (RECIPES.find((r) => r.id === id)?.title ?? id);

const OPERATION_LABEL: Record<string, string> = {
  "klaviyo-event": "Event",
  "klaviyo-profile": "Profile update",
  "klaviyo-list-add": "Added to a list",
  "klaviyo-list-remove": "Removed from a list",
  "gorgias-ticket": "Ticket opened",
  "gorgias-tag": "Ticket tagged",
  "gorgias-note": "Note on a ticket",
  "shopify-tags-add": "Tags added in Shopify",
};

const MARKETING: Record<string, string> = {
  subscribed: "Subscribed to email marketing",
  not_subscribed: "Not subscribed to email marketing",
  unsubscribed: "Unsubscribed from email marketing",
  pending: "Email marketing confirmation pending",
};

/** The readable summary of one export: what Switchboard holds on the customer, in merchant words. */
export function summarizeExport(
  row: { id: number; customerId: string | null; createdAt: Date; data: unknown },
  zone: string | null,
) {
  const time = shopTime({ timeZone: zone });
  const at = time.dateTime;
  const data = exportSchema.parse(row.data ?? {});
  const c = data.customer;
  const name = c ? customerName(c.firstName ?? null, c.lastName ?? null) : null;
  const profile: [string, string][] = c
    ? [
        ["Name", name ?? "—"],
        ["Email", c.email ?? "—"],
        ["Phone", c.phone ?? "—"],
        [
          "Email marketing",
          c.emailMarketingState ? (MARKETING[c.emailMarketingState] ?? c.emailMarketingState) : "—",
        ],
        ["Tags", c.tags.length ? c.tags.join(", ") : "—"],
      ]
    : [];
  const shipments = new Map<string, string[]>();
  for (const f of data.fulfillments) {
    shipments.set(f.orderId, [...(shipments.get(f.orderId) ?? []), f.shipmentStatus ?? "shipped"]);
  }
  return {
    id: row.id,
    customer: name ?? c?.email ?? data.orders[0]?.name ?? "A customer",
    customerId: row.customerId,
    prepared: at(data.generatedAt ?? row.createdAt),
    timeZone: time.timeZone,
    profile,
    orders: data.orders.map((o) => ({
      name: o.name,
      placed: o.createdAt ? at(o.createdAt) : "—",
      total: formatMoney(o.totalPrice, o.currency),
      status: [
        o.cancelledAt ? "cancelled" : null,
        o.financialStatus,
        o.fulfillmentStatus ?? "unfulfilled",
        ...(shipments.get(o.id) ?? []).map((s) => `shipment ${s.replace(/_/g, " ")}`),
      ]
        .filter(Boolean)
        .join(" · "),
    })),
    recipeRuns: data.recipes.runs.map((r) => ({
      recipe: recipeTitle(r.recipeId),
      subject: r.subject ?? "—",
      outcome: r.outcome,
      why: r.reasons.join("; "),
      at: r.createdAt ? at(r.createdAt) : "—",
    })),
    touches: data.recipes.frequencyCapTouches.length
      ? plural(data.recipes.frequencyCapTouches.length, "message counted", "messages counted") +
        " against frequency caps"
      : null,
    memory: data.recipes.memory.length
      ? plural(data.recipes.memory.length, "thing a recipe remembers", "things recipes remember")
      : null,
    deliveries: data.integrations.deliveries.map((d) => ({
      what: `${vendorName(d.vendor as "klaviyo")} · ${OPERATION_LABEL[d.operation] ?? d.operation}`,
      recipe: recipeTitle(d.recipe),
      status: EXPORT_DELIVERY_STATUS[d.status as keyof typeof EXPORT_DELIVERY_STATUS] ?? d.status,
      at: d.createdAt ? at(d.createdAt) : "—",
    })),
    helpdesk: data.integrations.gorgiasTickets.length
      ? `${plural(data.integrations.gorgiasTickets.length, "Gorgias ticket", "Gorgias tickets")} (${data.integrations.gorgiasTickets.filter((t) => t.status === "open").length} open)`
      : null,
    lists: data.integrations.klaviyoListMemberships.length
      ? plural(data.integrations.klaviyoListMemberships.length, "Klaviyo list", "Klaviyo lists")
      : null,
    offers: data.upsellOffers.length
      ? plural(data.upsellOffers.length, "post-purchase offer", "post-purchase offers")
      : null,
    vendors: vendorsAtExport(data.integrations.connected ?? null),
    webhooks: data.webhooks.length
      ? `${plural(data.webhooks.length, "Shopify notification", "Shopify notifications")} (kept 30 days)`
      : null,
  };
}

export type ExportSummary = ReturnType<typeof summarizeExport>;

/** Whether Klaviyo and Gorgias could hold anything Switchboard sent (exports made before this knew nothing). */
function vendorsAtExport(connected: { klaviyo: boolean; gorgias: boolean } | null): string[] {
  if (!connected) return [];
  return (["klaviyo", "gorgias"] as const).map((vendor) =>
    connected[vendor]
      ? `${vendorName(vendor)} was connected: what Switchboard sent there is listed above.`
      : `${vendorName(vendor)} was not connected: Switchboard sent nothing there.`,
  );
}

/** The export's summary for the View page; null for an id this shop does not have. */
export async function loadExportSummary(db: Db, shop: string, id: number) {
  const row = await getPrivacyExport(db, shop, id);
  if (!row) return null;
  return summarizeExport(row, await shopTimeZone(db, shop));
}

/** The export as a JSON file download; 404 for an id this shop does not have. */
export async function exportDownload(db: Db, shop: string, id: number): Promise<Response> {
  const row = await getPrivacyExport(db, shop, id);
  if (!row) return new Response("Not found", { status: 404 });
  const file = {
    shop,
    exportId: row.id,
    customerId: row.customerId,
    dataRequestId: row.dataRequestId,
    receivedAt: row.createdAt.toISOString(),
    data: row.data,
  };
  const name = `customer-${row.customerId ?? "unknown"}-data-export-${row.id}.json`;
  return new Response(JSON.stringify(file, null, 2), {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}

/** An export id from the URL, or null when it is not one. */
export function parseExportId(value: string | undefined): number | null {
  const parsed = z.coerce.number().int().positive().safeParse(value);
  return parsed.success ? parsed.data : null;
}
