import type { ShopifyId } from "../../utils/shopify-id";
import { guardFactsFromPrefetch, type PrefetchedGuardFacts } from "./guard-facts.server";
import type { GuardConfig } from "./guards";
import { memoKey, type Memo } from "./memo";
import {
  customerFromJson,
  fulfillmentFromJson,
  orderFromJson,
  variantFromJson,
  type JsonRow,
} from "./views.server";

/** What an event is about, read before the recipes run (see `PREFETCH_COLUMNS`). */
export interface Prefetched {
  orderId: ShopifyId | null;
  customerId: ShopifyId | null;
  fulfillmentId: ShopifyId | null;
  order: JsonRow | null;
  customer: JsonRow | null;
  fulfillment: JsonRow | null;
  /** Recipe memory under the event's subjects (`order:…`, `customer:…`, `fulfillment:…`, `variant:…`). */
  state: { recipe: string; subject: string; value: Record<string, unknown> }[];
  subjects: string[];
  /** inventory_levels/update: the item's variants and its cached levels summed. */
  inventoryItemId: ShopifyId | null;
  variants: JsonRow[];
  itemLevel: { total: number; known: number } | null;
  /**
   * The guards' facts for the order's customer and email: an open ticket, the newest refund,
   * touches of the last 366 days (counted against the shop's windows when seeding).
   */
  guard: PrefetchedGuardFacts | null;
}

/**
 * SQL that reads, in the same round trip as the shop's settings, what an event is about: the
 * order, customer and fulfillment, every recipe's memory of them, an inventory item's variants
 * and levels, and the guards' facts for the order's customer. $1 shop, $2 order id, $3 customer
 * id, $4 fulfillment id, $5 inventory item id (each may be null), $6 now.
 */
export const PREFETCH_COLUMNS = `
  (select row_to_json(o) from orders o where o.shop = $1 and o.id = $2::bigint) as p_order,
  (select row_to_json(c) from customers c where c.shop = $1
      and c.id = coalesce($3::bigint, (select customer_id from orders where shop = $1 and id = $2::bigint))) as p_customer,
  (select row_to_json(f) from fulfillments f where f.shop = $1 and f.id = $4::bigint) as p_fulfillment,
  (select coalesce(json_agg(json_build_object('recipe', s.recipe_id, 'subject', s.subject, 'value', s.value)), '[]'::json)
     from recipe_state s where s.shop = $1 and (
       s.subject = 'order:' || ($2::bigint)::text
       or s.subject = 'customer:' || (coalesce($3::bigint, (select customer_id from orders where shop = $1 and id = $2::bigint)))::text
       or s.subject = 'fulfillment:' || ($4::bigint)::text
       or s.subject in (select 'variant:' || v.id from variants v where v.shop = $1 and v.inventory_item_id = $5::bigint))) as p_state,
  (select coalesce(json_agg(row_to_json(v)), '[]'::json) from variants v where v.shop = $1 and v.inventory_item_id = $5::bigint) as p_variants,
  (select row_to_json(x) from (select coalesce(sum(l.available), 0) as total, count(l.available)::int as known
     from inventory_levels l where l.shop = $1 and l.inventory_item_id = $5::bigint) x where $5::bigint is not null) as p_item_level,
  (select row_to_json(g) from (
     select o.email,
       exists(select 1 from gorgias_tickets t where t.shop = $1 and t.customer_email = lower(o.email) and t.status = 'open') as ticket,
       (select max(r.source_updated_at) from orders r where r.shop = $1 and r.customer_id = o.customer_id
          and (r.refund_count > 0 or r.financial_status in ('refunded', 'partially_refunded'))) as last_refund_at,
       (select coalesce(json_agg(json_build_object('channel', t.channel, 'at', t.at)), '[]'::json) from (
          select channel, at from recipe_touches
           where shop = $1 and customer_key = 'id:' || o.customer_id and channel <> 'upsell' and at > $6::timestamptz - interval '366 days'
          union all
          -- The upsell cap counts purchases shown an offer (guards.ts), not the recipe's decisions.
          select 'upsell', min(shown_at) from upsell_offers
           where shop = $1 and customer_id = o.customer_id and shown_at > $6::timestamptz - interval '366 days'
           group by reference_id) t) as touches
     from orders o where o.shop = $1 and o.id = $2::bigint and o.customer_id is not null and o.email is not null) g) as p_guard`;

/**
 * Fills an evaluation's lookups with what was read up front, so recipes asking for the event's
 * order, customer, fulfillment or their memory of them cost no query. Absent memory is known absent.
 */
export function seedPrefetched(
  memo: Memo,
  prefetched: Prefetched,
  recipeIds: readonly string[],
  { guards, now }: { guards: GuardConfig; now: Date },
) {
  const { orderId, fulfillmentId } = prefetched;
  if (orderId !== null)
    memo.set(
      memoKey.order(orderId),
      prefetched.order ? orderFromJson(prefetched.order) : undefined,
    );
  const customer = prefetched.customer ? customerFromJson(prefetched.customer) : undefined;
  const customerId = prefetched.customerId ?? customer?.id ?? null;
  if (customerId !== null)
    memo.set(memoKey.customer(customerId), customerId === customer?.id ? customer : undefined);
  if (fulfillmentId !== null)
    memo.set(
      memoKey.fulfillment(fulfillmentId),
      prefetched.fulfillment ? fulfillmentFromJson(prefetched.fulfillment) : undefined,
    );
  const subjects = [
    ...prefetched.subjects,
    ...(customerId !== null ? [`customer:${customerId}`] : []),
  ];
  const found = new Map(prefetched.state.map((row) => [`${row.recipe}|${row.subject}`, row.value]));
  for (const recipeId of recipeIds) {
    for (const subject of subjects)
      memo.set(memoKey.state(recipeId, subject), found.get(`${recipeId}|${subject}`));
  }
  const itemId = prefetched.inventoryItemId;
  if (itemId !== null) {
    memo.set(memoKey.variantsOfItem(itemId), prefetched.variants.map(variantFromJson));
    const level = prefetched.itemLevel;
    memo.set(
      memoKey.cachedAvailable(itemId),
      level && level.known > 0 ? Number(level.total) : null,
    );
  }
  const guard = prefetched.guard;
  const order = prefetched.order;
  if (guard && order) {
    memo.set(
      memoKey.guardFacts(order.customer_id, guard.email.trim().toLowerCase()),
      guardFactsFromPrefetch(guard, guards, now),
    );
    memo.set(memoKey.ticket(guard.email), guard.ticket);
  }
}
