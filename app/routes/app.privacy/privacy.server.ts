import { z } from "zod";
import type { Db } from "../../db.server";
import {
  getPrivacyExport,
  listDataRequests,
  listRedactions,
  shopTimeZone,
} from "../../models/privacy-requests.server";
import { intlLocale, type Locale } from "../../i18n/locale";
import { translator, type Translate } from "../../i18n/messages";
import { RECIPES } from "../../recipes/registry";
import { shopTime, zoneName } from "../../utils/shop-time";
import { vendorName } from "../../utils/vendor-names";
import { messages, outcomeMessages } from "./messages";

type T = Translate<(typeof messages)["en"]>;
type Key = keyof (typeof messages)["en"];

/** `prefix.value` from the catalog when it has it, else the value as stored. */
function known(t: T, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in messages.en ? t(key as Key) : value;
}

function formatMoney(amount: number, currency: string, locale: Locale): string {
  try {
    return new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency }).format(
      amount,
    );
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

const customerName = (first: string | null, last: string | null) =>
  [first, last].filter(Boolean).join(" ") || null;

/** Everything the Privacy screen lists, as plain JSON with times already in the shop's zone. */
export async function loadPrivacyScreen(db: Db, shop: string, locale: Locale = "en") {
  const t = translator(messages, locale);
  const [zone, requests, redactions] = await Promise.all([
    shopTimeZone(db, shop),
    listDataRequests(db, shop),
    listRedactions(db, shop),
  ]);
  const time = shopTime({ timeZone: zone, locale: intlLocale(locale) });
  const at = time.dateTime;
  return {
    timeZone: zoneName(time.timeZone, intlLocale(locale)),
    dataRequests: requests.map((r) => ({
      exportId: r.exportId,
      customer: customerName(r.firstName, r.lastName) ?? r.email ?? t("anonymous"),
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
      removedHere: removedSentence(r.removed, t),
      vendors: r.vendors.map((v) => ({ vendor: vendorName(v.vendor), ...redactionReach(v, t) })),
    })),
  };
}

export type PrivacyScreen = Awaited<ReturnType<typeof loadPrivacyScreen>>;

/** What a redaction deleted here, from its counts. */
function removedSentence(removed: Record<string, number>, t: T): string {
  const parts = [
    removed.customersRemoved ? t("theirProfile") : null,
    removed.ordersRemoved ? t("orders", { count: removed.ordersRemoved }) : null,
    removed.deliveriesRemoved ? t("records", { count: removed.deliveriesRemoved }) : null,
    removed.webhooksScrubbed ? t("notifications", { count: removed.webhooksScrubbed }) : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0) return t("heldNothing");
  const list =
    parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")}${t("and")}${parts.at(-1)}`;
  return t("deletedHere", { list });
}

/** One vendor's part in a redaction, as a sentence and a tone. */
function redactionReach(
  v: Awaited<ReturnType<typeof listRedactions>>[number]["vendors"][number],
  t: T,
): {
  tone: "success" | "info" | "critical" | undefined;
  text: string;
} {
  if (v.outcome === "not-connected") return { tone: undefined, text: t("notConnected") };
  if (v.outcome === "no-identifier") return { tone: undefined, text: t("noIdentifier") };
  if (!v.delivery) return { tone: undefined, text: t("requestedNoRecord") };
  if (v.delivery.status === "succeeded") return { tone: "success", text: t("requested") };
  if (v.delivery.status === "queued") return { tone: "info", text: t("requestQueued") };
  return {
    tone: "critical",
    text: t("deletionFailed", { error: v.delivery.lastError ?? t("unknownError") }),
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

const recipeTitle = (id: string, t: T) =>
  id === "privacy" ? t("privacyRequest") : (RECIPES.find((r) => r.id === id)?.title ?? id);

/** The readable summary of one export: what Switchboard holds on the customer, in merchant words. */
export function summarizeExport(
  row: { id: number; customerId: string | null; createdAt: Date; data: unknown },
  zone: string | null,
  locale: Locale = "en",
) {
  const t = translator(messages, locale);
  const outcome = translator(outcomeMessages, locale);
  const time = shopTime({ timeZone: zone, locale: intlLocale(locale) });
  const at = time.dateTime;
  const data = exportSchema.parse(row.data ?? {});
  const c = data.customer;
  const name = c ? customerName(c.firstName ?? null, c.lastName ?? null) : null;
  const profile: [string, string][] = c
    ? [
        [t("name"), name ?? "—"],
        [t("email"), c.email ?? "—"],
        [t("phone"), c.phone ?? "—"],
        [
          t("emailMarketing"),
          c.emailMarketingState ? known(t, "marketing", c.emailMarketingState) : "—",
        ],
        [t("tags"), c.tags.length ? c.tags.join(", ") : "—"],
      ]
    : [];
  const shipments = new Map<string, string[]>();
  for (const f of data.fulfillments) {
    shipments.set(f.orderId, [...(shipments.get(f.orderId) ?? []), f.shipmentStatus ?? "shipped"]);
  }
  return {
    id: row.id,
    customer: name ?? c?.email ?? data.orders[0]?.name ?? t("aCustomer"),
    customerId: row.customerId,
    prepared: at(data.generatedAt ?? row.createdAt),
    timeZone: zoneName(time.timeZone, intlLocale(locale)),
    profile,
    orders: data.orders.map((o) => ({
      name: o.name,
      placed: o.createdAt ? at(o.createdAt) : "—",
      total: formatMoney(o.totalPrice, o.currency, locale),
      status: [
        o.cancelledAt ? t("cancelled") : null,
        o.financialStatus,
        o.fulfillmentStatus ?? t("unfulfilled"),
        ...(shipments.get(o.id) ?? []).map((s) => t("shipment", { status: s.replace(/_/g, " ") })),
      ]
        .filter(Boolean)
        .join(" · "),
    })),
    recipeRuns: data.recipes.runs.map((r) => ({
      recipe: recipeTitle(r.recipeId, t),
      subject: r.subject ?? "—",
      outcome: r.outcome in outcomeMessages.en ? outcome(r.outcome as "acted") : r.outcome,
      why: r.reasons.join("; "),
      at: r.createdAt ? at(r.createdAt) : "—",
    })),
    touches: data.recipes.frequencyCapTouches.length
      ? t("touches", { count: data.recipes.frequencyCapTouches.length })
      : null,
    memory: data.recipes.memory.length ? t("memory", { count: data.recipes.memory.length }) : null,
    deliveries: data.integrations.deliveries.map((d) => ({
      what: `${vendorName(d.vendor as "klaviyo")} · ${known(t, "op", d.operation)}`,
      recipe: recipeTitle(d.recipe, t),
      status: known(t, "delivery", d.status),
      at: d.createdAt ? at(d.createdAt) : "—",
    })),
    helpdesk: data.integrations.gorgiasTickets.length
      ? t("tickets", {
          count: data.integrations.gorgiasTickets.length,
          open: data.integrations.gorgiasTickets.filter((ticket) => ticket.status === "open")
            .length,
        })
      : null,
    lists: data.integrations.klaviyoListMemberships.length
      ? t("lists", { count: data.integrations.klaviyoListMemberships.length })
      : null,
    offers: data.upsellOffers.length ? t("offers", { count: data.upsellOffers.length }) : null,
    vendors: vendorsAtExport(data.integrations.connected ?? null, t),
    webhooks: data.webhooks.length ? t("webhooks", { count: data.webhooks.length }) : null,
  };
}

export type ExportSummary = ReturnType<typeof summarizeExport>;

/** Whether Klaviyo and Gorgias could hold anything Switchboard sent (exports made before this knew nothing). */
function vendorsAtExport(connected: { klaviyo: boolean; gorgias: boolean } | null, t: T): string[] {
  if (!connected) return [];
  return (["klaviyo", "gorgias"] as const).map((vendor) =>
    t(connected[vendor] ? "vendorConnected" : "vendorNotConnected", { vendor: vendorName(vendor) }),
  );
}

/** The export's summary for the View page; null for an id this shop does not have. */
export async function loadExportSummary(db: Db, shop: string, id: number, locale: Locale = "en") {
  const row = await getPrivacyExport(db, shop, id);
  if (!row) return null;
  return summarizeExport(row, await shopTimeZone(db, shop), locale);
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
