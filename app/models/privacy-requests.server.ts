import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import {
  deliveries,
  privacyExports,
  privacyRedactions,
  shops,
  webhookEvents,
  type DeliveryStatus,
} from "../../db/schema/index";
import type { Db } from "../db.server";
import { newestFirst } from "../utils/newest-first";

/**
 * The privacy requests Shopify sent for a shop, as the Privacy screen lists them: data requests
 * (their exports, and any still being prepared or that failed) and redactions. Every query is
 * scoped by shop; an export id of another shop is simply not found.
 */

const LIST_LIMIT = 100;

export interface DataRequestRow {
  /** The export's id; null while it is being prepared or when preparing it failed. */
  exportId: number | null;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  receivedAt: Date;
  status: "ready" | "preparing" | "failed";
  error: string | null;
}

/** Data requests, newest first: exports ready, and requests not (yet) exported. */
export async function listDataRequests(db: Db, shop: string): Promise<DataRequestRow[]> {
  const ready = await db
    .select({
      exportId: privacyExports.id,
      customerId: privacyExports.customerId,
      firstName: sql<string | null>`${privacyExports.data} -> 'customer' ->> 'firstName'`,
      lastName: sql<string | null>`${privacyExports.data} -> 'customer' ->> 'lastName'`,
      email: sql<
        string | null
      >`coalesce(${privacyExports.data} -> 'customer' ->> 'email', ${privacyExports.data} -> 'orders' -> 0 ->> 'email')`,
      receivedAt: privacyExports.createdAt,
    })
    .from(privacyExports)
    .where(eq(privacyExports.shop, shop))
    .orderBy(desc(privacyExports.createdAt), desc(privacyExports.id))
    .limit(LIST_LIMIT);
  // A request whose export is missing: not processed yet, or processing failed for good.
  const waiting = await db
    .select({
      customerId: sql<string | null>`${webhookEvents.payload} -> 'customer' ->> 'id'`,
      email: sql<string | null>`${webhookEvents.payload} -> 'customer' ->> 'email'`,
      receivedAt: webhookEvents.receivedAt,
      status: webhookEvents.status,
      error: webhookEvents.error,
    })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.shop, shop),
        eq(webhookEvents.topic, "customers/data_request"),
        inArray(webhookEvents.status, ["received", "failed", "rejected"]),
      ),
    )
    .orderBy(newestFirst(webhookEvents.receivedAt))
    .limit(LIST_LIMIT);
  const rows: DataRequestRow[] = [
    ...ready.map((r) => ({ ...r, status: "ready" as const, error: null })),
    ...waiting.map((w) => ({
      exportId: null,
      customerId: w.customerId,
      firstName: null,
      lastName: null,
      email: w.email,
      receivedAt: w.receivedAt,
      status: w.status === "received" ? ("preparing" as const) : ("failed" as const),
      error: w.status === "received" ? null : w.error,
    })),
  ];
  return rows.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime()).slice(0, LIST_LIMIT);
}

/** One export of this shop (undefined for another shop's id, or none). */
export async function getPrivacyExport(db: Db, shop: string, id: number) {
  const [row] = await db
    .select()
    .from(privacyExports)
    .where(and(eq(privacyExports.shop, shop), eq(privacyExports.id, id)));
  return row;
}

export interface RedactionRow {
  id: number;
  customerId: string;
  receivedAt: Date;
  removed: Record<string, number>;
  vendors: {
    vendor: "klaviyo" | "gorgias";
    outcome: "requested" | "not-connected" | "no-identifier";
    /** The deletion delivery's state (requested only); null once shop data no longer has it. */
    delivery: { status: DeliveryStatus; lastError: string | null } | null;
  }[];
}

/** Redactions, newest first, each vendor with the state of its deletion delivery. */
export async function listRedactions(db: Db, shop: string): Promise<RedactionRow[]> {
  const rows = await db
    .select()
    .from(privacyRedactions)
    .where(eq(privacyRedactions.shop, shop))
    .orderBy(desc(privacyRedactions.createdAt), desc(privacyRedactions.id))
    .limit(LIST_LIMIT);
  const keys = rows.flatMap((r) =>
    r.vendors.flatMap((v) => (v.deliveryKey ? [v.deliveryKey] : [])),
  );
  const states = keys.length
    ? await db
        .select({
          key: deliveries.idempotencyKey,
          status: deliveries.status,
          lastError: deliveries.lastError,
        })
        .from(deliveries)
        .where(and(eq(deliveries.shop, shop), inArray(deliveries.idempotencyKey, keys)))
    : [];
  const byKey = new Map(states.map((s) => [s.key, s]));
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    receivedAt: r.createdAt,
    removed: r.removed,
    vendors: r.vendors.map((v) => {
      const state = v.deliveryKey ? byKey.get(v.deliveryKey) : undefined;
      return {
        vendor: v.vendor,
        outcome: v.outcome,
        delivery: state ? { status: state.status, lastError: state.lastError } : null,
      };
    }),
  }));
}

/** The shop's IANA time zone, when Shopify told us one. */
export async function shopTimeZone(db: Db, shop: string): Promise<string | null> {
  const [row] = await db
    .select({ zone: shops.ianaTimezone })
    .from(shops)
    .where(and(eq(shops.domain, shop), ne(shops.ianaTimezone, "")));
  return row?.zone ?? null;
}
