import type { Database } from "../../db.server";
import type { ShopifyId } from "../../utils/shopify-id";
import { shownUpsellsSql, UPSELL_OWN_PURCHASE_WINDOW_MS, type GuardConfig } from "./guards";
import { customerKey } from "./guards.server";

/** What the shared guards need to know about a customer. */
export interface GuardFacts {
  email: string | null;
  /** An open Gorgias ticket. */
  ticket: boolean;
  /** A refund pending or made within the shop's refund window. */
  refund: boolean;
  /** Touches per channel within that channel's cap window. */
  touches: Record<string, number>;
}

/**
 * The guards' facts for an order's customer and email as the prefetch reads them: an open
 * ticket, the newest refund, touches of the last 366 days (counted against the shop's windows;
 * the upsell channel's are the offers shown, from `upsell_offers`).
 */
export interface PrefetchedGuardFacts {
  email: string;
  ticket: boolean;
  last_refund_at: string | null;
  touches: { channel: string; at: string }[];
}

/** The prefetched facts counted against the shop's windows, as readGuardFacts would answer. */
export function guardFactsFromPrefetch(
  guard: PrefetchedGuardFacts,
  guards: GuardConfig,
  now: Date,
): GuardFacts {
  const after = (ms: number) => now.getTime() - ms;
  const count = (channel: string, ms: number) =>
    guard.touches.filter(
      (t) =>
        t.channel === channel &&
        new Date(t.at).getTime() > after(ms) &&
        // An upsell shown this recently is the event's own purchase (guards.ts).
        (channel !== "upsell" || new Date(t.at).getTime() <= after(UPSELL_OWN_PURCHASE_WINDOW_MS)),
    ).length;
  return {
    email: guard.email,
    ticket: guard.ticket,
    refund:
      guard.last_refund_at !== null &&
      new Date(guard.last_refund_at).getTime() >= after(guards.refundWindowDays * 86_400_000),
    touches: {
      marketing: count("marketing", guards.marketingWindowHours * 3_600_000),
      upsell: count("upsell", guards.upsellWindowDays * 86_400_000),
    },
  };
}

/**
 * Everything the shared guards need about a customer, in one query: an open ticket, a pending
 * or recent refund, their marketing touches and the upsell offers they were shown within each
 * cap's window.
 */
export async function readGuardFacts(
  database: Database,
  shop: string,
  guards: GuardConfig,
  now: Date,
  id: ShopifyId | null,
  email: string | null,
): Promise<GuardFacts> {
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const { rows } = await database.executeSql(
    `select
       exists(select 1 from gorgias_tickets where shop = $1 and customer_email = $2 and status = 'open') as ticket,
       exists(select 1 from orders where shop = $1 and (customer_id = $3 or ($3::bigint is null and email = $4))
                and (refund_count > 0 or financial_status in ('refunded', 'partially_refunded')) and source_updated_at >= $5) as refund,
       (select count(*) from recipe_touches where shop = $1 and customer_key = $6 and channel = 'marketing' and at > $7)::int as marketing,
       ${shownUpsellsSql("$1", "$3::bigint", "$8::timestamptz", "$9::timestamptz")} as upsell`,
    [
      shop,
      email?.toLowerCase() ?? "",
      id,
      email,
      at(guards.refundWindowDays * 86_400_000),
      customerKey({ id, email }) ?? "",
      at(guards.marketingWindowHours * 3_600_000),
      at(guards.upsellWindowDays * 86_400_000),
      now.toISOString(),
    ],
  );
  const row = rows[0] ?? {};
  return {
    email,
    ticket: Boolean(row.ticket),
    refund: Boolean(row.refund),
    touches: { marketing: Number(row.marketing ?? 0), upsell: Number(row.upsell ?? 0) },
  };
}

/** Why the guards hold back marketing and offers for a customer with these facts, if they do. */
export function suppressionReason(
  guards: GuardConfig,
  facts: { ticket: boolean; refund: boolean },
): string | null {
  if (guards.suppressWhileTicketOpen && facts.ticket)
    return "the customer has an open Gorgias ticket";
  if (guards.suppressAfterRefund && facts.refund)
    return `a refund is pending or was made in the last ${guards.refundWindowDays} days`;
  return null;
}
