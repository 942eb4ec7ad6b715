import { and, asc, desc, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import {
  customers,
  fulfillments,
  inventoryLevels,
  orders,
  productFacts,
  recipeState,
  variants,
  variantStockChecks,
} from "../../../db/schema/index";
import type { Database } from "../../db.server";
import { hasOpenTicket } from "../../models/gorgias-tickets.server";
import { linkVariantToInventoryItem } from "../../models/read-model.server";
import { log } from "../../utils/log.server";
import type {
  CustomerView,
  FulfillmentView,
  GuardVerdict,
  OrderView,
  ProductFacts,
  RecipeContext,
  StateReader,
  StateRow,
  StockLevel,
  VariantView,
} from "./context";
import type { Channel, CustomerRef } from "./define-recipe";
import { type GuardConfig } from "./guards";
import { customerKey, GuardLedger } from "./guards.server";
import { LiveReadUnavailable, type EngineServices } from "./services";

/** Product facts are re-read from Shopify after a day. */
export const PRODUCT_FACTS_MAX_AGE_MS = 86_400_000;

const num = (value: string | null | undefined) => (value === null || value === undefined ? null : Number(value));

function orderView(row: typeof orders.$inferSelect): OrderView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    customerId: row.customerId,
    currency: row.currency,
    presentmentCurrency: row.presentmentCurrency,
    totalPrice: Number(row.totalPrice),
    currentTotalPrice: Number(row.currentTotalPrice),
    presentmentTotalPrice: num(row.presentmentTotalPrice),
    financialStatus: row.financialStatus,
    fulfillmentStatus: row.fulfillmentStatus,
    tags: row.tags,
    lineItems: row.lineItems,
    refundCount: row.refundCount,
    cancelledAt: row.cancelledAt,
    processedAt: row.processedAt,
    createdAt: row.createdAt,
    updatedAt: row.sourceUpdatedAt,
  };
}

function customerView(row: typeof customers.$inferSelect): CustomerView {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    tags: row.tags,
    acceptsMarketing: row.acceptsMarketing,
    lifetimeSpend: Number(row.lifetimeSpend),
    orderCount: row.orderCount,
    firstOrderAt: row.firstOrderAt,
    lastOrderAt: row.lastOrderAt,
  };
}

function fulfillmentView(row: typeof fulfillments.$inferSelect): FulfillmentView {
  return {
    id: row.id,
    orderId: row.orderId,
    status: row.status,
    shipmentStatus: row.shipmentStatus,
    trackingCompany: row.trackingCompany,
    trackingNumbers: row.trackingNumbers,
    trackingUrls: row.trackingUrls,
    estimatedDeliveryAt: row.estimatedDeliveryAt,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}

/** Rows as `row_to_json` gives them (snake_case; timestamps as text). */
type JsonRow = Record<string, any>;
const jsonDate = (value: unknown) => (value === null || value === undefined ? null : new Date(String(value)));

function orderFromJson(r: JsonRow): OrderView {
  return orderView({
    ...r,
    shop: r.shop,
    customerId: r.customer_id,
    presentmentCurrency: r.presentment_currency,
    totalPrice: String(r.total_price),
    subtotalPrice: r.subtotal_price === null ? null : String(r.subtotal_price),
    totalTax: r.total_tax === null ? null : String(r.total_tax),
    currentTotalPrice: String(r.current_total_price),
    presentmentTotalPrice: r.presentment_total_price === null ? null : String(r.presentment_total_price),
    financialStatus: r.financial_status,
    fulfillmentStatus: r.fulfillment_status,
    lineItems: r.line_items ?? [],
    refundCount: r.refund_count,
    cancelledAt: jsonDate(r.cancelled_at),
    processedAt: jsonDate(r.processed_at),
    createdAt: jsonDate(r.created_at)!,
    sourceUpdatedAt: jsonDate(r.source_updated_at)!,
  } as typeof orders.$inferSelect);
}

function customerFromJson(r: JsonRow): CustomerView {
  return customerView({
    ...r,
    firstName: r.first_name,
    lastName: r.last_name,
    emailMarketingState: r.email_marketing_state,
    acceptsMarketing: r.accepts_marketing,
    lifetimeSpend: String(r.lifetime_spend),
    orderCount: r.order_count,
    firstOrderAt: jsonDate(r.first_order_at),
    lastOrderAt: jsonDate(r.last_order_at),
    sourceUpdatedAt: jsonDate(r.source_updated_at),
  } as typeof customers.$inferSelect);
}

function fulfillmentFromJson(r: JsonRow): FulfillmentView {
  return fulfillmentView({
    ...r,
    orderId: r.order_id,
    shipmentStatus: r.shipment_status,
    trackingCompany: r.tracking_company,
    trackingNumbers: r.tracking_numbers ?? [],
    trackingUrls: r.tracking_urls ?? [],
    estimatedDeliveryAt: jsonDate(r.estimated_delivery_at),
    deliveredAt: jsonDate(r.delivered_at),
    createdAt: jsonDate(r.created_at),
  } as typeof fulfillments.$inferSelect);
}

/** What an event is about, read before the recipes run (see `prefetchSql`). */
export interface Prefetched {
  orderId: number | null;
  customerId: number | null;
  fulfillmentId: number | null;
  order: JsonRow | null;
  customer: JsonRow | null;
  fulfillment: JsonRow | null;
  /** Recipe memory under the event's subjects (`order:…`, `customer:…`, `fulfillment:…`, `variant:…`). */
  state: { recipe: string; subject: string; value: Record<string, unknown> }[];
  subjects: string[];
  /** inventory_levels/update: the item's variants and its cached levels summed. */
  inventoryItemId: number | null;
  variants: JsonRow[];
  itemLevel: { total: number; known: number } | null;
  /**
   * The guards' facts for the order's customer and email: an open ticket, the newest refund,
   * touches of the last 366 days (counted against the shop's windows when seeding).
   */
  guard: { email: string; ticket: boolean; last_refund_at: string | null; touches: { channel: string; at: string }[] } | null;
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
       (select coalesce(json_agg(json_build_object('channel', t.channel, 'at', t.at)), '[]'::json) from recipe_touches t
          where t.shop = $1 and t.customer_key = 'id:' || o.customer_id and t.at > $6::timestamptz - interval '366 days') as touches
     from orders o where o.shop = $1 and o.id = $2::bigint and o.customer_id is not null and o.email is not null) g) as p_guard`;

const variantView = (row: typeof variants.$inferSelect): VariantView => ({
  id: row.id,
  productId: row.productId,
  inventoryItemId: row.inventoryItemId,
  sku: row.sku,
  title: row.title,
  price: row.price,
});

/**
 * Cached stock of variants: the sum of their inventory levels (kept by webhooks) and the last live
 * read, one row per variant id. `shop` and `variantIds` are the SQL parameters to use (the
 * checkout's offer endpoint embeds this in its one query).
 */
export function cachedStockSql(shop: string, variantIds: string): string {
  return `select v.id as variant_id,
                rv.product_id as product_id,
                sum(l.available) as available,
                count(l.available)::int as known,
                count(l.inventory_item_id)::int as levels,
                min(l.refreshed_at) as refreshed_at,
                c.available as checked_available,
                c.checked_at as checked_at
           from unnest(${variantIds}::bigint[]) as v(id)
           left join variants rv on rv.shop = ${shop} and rv.id = v.id
           left join inventory_levels l on l.shop = ${shop} and l.inventory_item_id = rv.inventory_item_id
           left join variant_stock_checks c on c.shop = ${shop} and c.variant_id = v.id
          group by v.id, rv.product_id, c.available, c.checked_at`;
}

/** A row of cachedStockSql (timestamps as Date or JSON strings) as a level: the newer of the two sources wins. */
export function cachedStockLevel(row: Record<string, any>): StockLevel {
  const variantId = Number(row.variant_id);
  const productId = row.product_id === null || row.product_id === undefined ? null : Number(row.product_id);
  const levelsAt = row.levels > 0 && row.known === row.levels && row.refreshed_at ? new Date(row.refreshed_at) : null;
  const checkedAt = row.checked_at ? new Date(row.checked_at) : null;
  const useLevels = levelsAt && (!checkedAt || levelsAt >= checkedAt);
  if (useLevels) return { variantId, productId, available: Number(row.available), source: "cache", checkedAt: levelsAt };
  if (checkedAt) return { variantId, productId, available: row.checked_available === null ? null : Number(row.checked_available), source: "cache", checkedAt };
  return { variantId, productId, available: null, source: "unknown", checkedAt: null };
}

/** Too old to decide on (the shop's inventory age limit): read live. */
export function isStale(level: StockLevel, nowMs: number, maxAgeMs: number): boolean {
  return !level.checkedAt || nowMs - level.checkedAt.getTime() > maxAgeMs;
}

/** Memoizes async lookups by key for one evaluation (every recipe of an event shares it). */
class Memo {
  private readonly values = new Map<string, Promise<unknown>>();
  set(key: string, value: unknown) {
    this.values.set(key, Promise.resolve(value));
  }
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.values.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.values.set(key, value);
    }
    return value;
  }
}

export interface ContextOptions {
  now: Date;
  dryRun: boolean;
  guards: GuardConfig;
  connected: Set<string>;
  shopCurrency: string;
  services: Pick<EngineServices, "catalog">;
  ledger: GuardLedger;
}

/**
 * The read side every recipe of one event shares: lookups are memoized, so nine recipes reading
 * the same order cost one query. `forRecipe` gives a recipe its own view (its memory).
 */
export class SharedContext {
  private readonly memo = new Memo();
  constructor(
    readonly database: Database,
    readonly shop: string,
    readonly options: ContextOptions,
  ) {}

  private get db() {
    return this.database.db;
  }

  /**
   * Fills the lookups with what was read up front, so recipes asking for the event's order,
   * customer, fulfillment or their memory of them cost no query. Absent memory is known absent.
   */
  seed(prefetched: Prefetched, recipeIds: readonly string[]) {
    const { orderId, fulfillmentId } = prefetched;
    if (orderId !== null) this.memo.set(`order:${orderId}`, prefetched.order ? orderFromJson(prefetched.order) : undefined);
    const customer = prefetched.customer ? customerFromJson(prefetched.customer) : undefined;
    const customerId = prefetched.customerId ?? customer?.id ?? null;
    if (customerId !== null) this.memo.set(`customer:${customerId}`, customerId === customer?.id ? customer : undefined);
    if (fulfillmentId !== null) this.memo.set(`fulfillment:${fulfillmentId}`, prefetched.fulfillment ? fulfillmentFromJson(prefetched.fulfillment) : undefined);
    const subjects = [...prefetched.subjects, ...(customerId !== null ? [`customer:${customerId}`] : [])];
    const found = new Map(prefetched.state.map((row) => [`${row.recipe}|${row.subject}`, row.value]));
    for (const recipeId of recipeIds) {
      for (const subject of subjects) this.memo.set(`state:${recipeId}:${subject}`, found.get(`${recipeId}|${subject}`));
    }
    const itemId = prefetched.inventoryItemId;
    if (itemId !== null) {
      this.memo.set(`variants-of-item:${itemId}`, prefetched.variants.map((v) => variantView({ ...v, productId: v.product_id, inventoryItemId: v.inventory_item_id, price: v.price === null ? null : String(v.price) } as typeof variants.$inferSelect)));
      const level = prefetched.itemLevel;
      this.memo.set(`cached-available:${itemId}`, level && level.known > 0 ? Number(level.total) : null);
    }
    const guard = prefetched.guard;
    const order = prefetched.order;
    if (guard && order) {
      const { guards, now } = this.options;
      const after = (ms: number) => now.getTime() - ms;
      const count = (channel: string, ms: number) => guard.touches.filter((t) => t.channel === channel && new Date(t.at).getTime() > after(ms)).length;
      const email = guard.email.trim().toLowerCase();
      this.memo.set(`guard-facts:${order.customer_id}:${email}`, {
        email: guard.email,
        ticket: guard.ticket,
        refund: guard.last_refund_at !== null && new Date(guard.last_refund_at).getTime() >= after(guards.refundWindowDays * 86_400_000),
        touches: { marketing: count("marketing", guards.marketingWindowHours * 3_600_000), upsell: count("upsell", guards.upsellWindowDays * 86_400_000) },
      });
      this.memo.set(`ticket:${guard.email.toLowerCase()}`, guard.ticket);
    }
  }

  forRecipe(recipeId: string): RecipeContext {
    const { shop, options } = this;
    return {
      shop,
      now: options.now,
      dryRun: options.dryRun,
      shopCurrency: options.shopCurrency,
      order: (id) => this.order(id),
      ordersOfCustomer: (customerId, o) => this.ordersOfCustomer(customerId, o),
      customer: (id) => this.customer(id),
      customerByEmail: (email) => this.customerByEmail(email),
      lapsedCustomers: (before, o) => this.lapsedCustomers(before, o),
      fulfillment: (id) => this.fulfillment(id),
      fulfillmentsOfOrder: (orderId) => this.fulfillmentsOfOrder(orderId),
      variant: (id) => this.variant(id),
      variantsOfInventoryItem: (itemId) => this.variantsOfInventoryItem(itemId),
      variantsBySku: (skus) => this.variantsBySku(skus),
      stock: (ids) => this.stock(ids),
      cachedAvailable: (itemId) => this.cachedAvailable(itemId),
      productFacts: (ids) => this.productFacts(ids),
      hasOpenTicket: (email) => this.hasOpenTicket(email),
      guard: (customer, channel) => this.guard(customer, channel),
      connected: (integration) => options.connected.has(integration),
      state: this.stateReader(recipeId),
    };
  }

  order(id: number) {
    return this.memo.get(`order:${id}`, async () => {
      const [row] = await this.db.select().from(orders).where(and(eq(orders.shop, this.shop), eq(orders.id, id)));
      return row ? orderView(row) : undefined;
    });
  }

  ordersOfCustomer(customerId: number, { since, limit = 50 }: { since?: Date; limit?: number } = {}) {
    return this.memo.get(`orders-of:${customerId}:${since?.getTime() ?? ""}:${limit}`, async () => {
      const rows = await this.db
        .select()
        .from(orders)
        .where(and(eq(orders.shop, this.shop), eq(orders.customerId, customerId), since ? gte(orders.createdAt, since) : undefined))
        .orderBy(desc(orders.createdAt))
        .limit(limit);
      return rows.map(orderView);
    });
  }

  customer(id: number) {
    return this.memo.get(`customer:${id}`, async () => {
      const [row] = await this.db.select().from(customers).where(and(eq(customers.shop, this.shop), eq(customers.id, id)));
      return row ? customerView(row) : undefined;
    });
  }

  customerByEmail(email: string) {
    return this.memo.get(`customer-email:${email.toLowerCase()}`, async () => {
      const [row] = await this.db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, this.shop), sql`lower(${customers.email}) = ${email.toLowerCase()}`))
        .orderBy(desc(customers.lastOrderAt))
        .limit(1);
      return row ? customerView(row) : undefined;
    });
  }

  async lapsedCustomers(lastOrderBefore: Date, { limit = 5000 }: { limit?: number } = {}) {
    const rows = await this.db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, this.shop), isNotNull(customers.lastOrderAt), lt(customers.lastOrderAt, lastOrderBefore)))
      .orderBy(asc(customers.lastOrderAt))
      .limit(limit);
    return rows.map(customerView);
  }

  fulfillment(id: number) {
    return this.memo.get(`fulfillment:${id}`, async () => {
      const [row] = await this.db.select().from(fulfillments).where(and(eq(fulfillments.shop, this.shop), eq(fulfillments.id, id)));
      return row ? fulfillmentView(row) : undefined;
    });
  }

  fulfillmentsOfOrder(orderId: number) {
    return this.memo.get(`fulfillments-of:${orderId}`, async () => {
      const rows = await this.db
        .select()
        .from(fulfillments)
        .where(and(eq(fulfillments.shop, this.shop), eq(fulfillments.orderId, orderId)))
        .orderBy(asc(fulfillments.id));
      return rows.map(fulfillmentView);
    });
  }

  variant(id: number) {
    return this.memo.get(`variant:${id}`, async () => {
      const [row] = await this.db.select().from(variants).where(and(eq(variants.shop, this.shop), eq(variants.id, id)));
      return row ? variantView(row) : undefined;
    });
  }

  variantsOfInventoryItem(inventoryItemId: number) {
    return this.memo.get(`variants-of-item:${inventoryItemId}`, async () => {
      const rows = await this.db
        .select()
        .from(variants)
        .where(and(eq(variants.shop, this.shop), eq(variants.inventoryItemId, inventoryItemId)));
      return rows.map(variantView);
    });
  }

  async variantsBySku(skus: string[]) {
    if (skus.length === 0) return [];
    const rows = await this.db
      .select()
      .from(variants)
      .where(and(eq(variants.shop, this.shop), inArray(variants.sku, skus)));
    return rows.map(variantView);
  }

  cachedAvailable(inventoryItemId: number) {
    return this.memo.get(`cached-available:${inventoryItemId}`, async () => {
      const [row] = await this.db
        .select({ total: sql<string | null>`sum(${inventoryLevels.available})`, known: sql<number>`count(${inventoryLevels.available})::int` })
        .from(inventoryLevels)
        .where(and(eq(inventoryLevels.shop, this.shop), eq(inventoryLevels.inventoryItemId, inventoryItemId)));
      return row && row.known > 0 ? Number(row.total) : null;
    });
  }

  /**
   * Stock per variant. The read model (inventory levels summed over locations, or an earlier
   * live read) is used when its oldest piece is younger than the shop's limit; otherwise one
   * batched Admin read (3 cost points per variant) refreshes every stale variant at once.
   */
  async stock(variantIds: number[]): Promise<Map<number, StockLevel>> {
    const ids = [...new Set(variantIds)];
    const result = new Map<number, StockLevel>();
    if (ids.length === 0) return result;
    const key = `stock:${ids.sort((a, b) => a - b).join(",")}`;
    return this.memo.get(key, async () => {
      const maxAgeMs = this.options.guards.inventoryMaxAgeMinutes * 60_000;
      const now = this.options.now.getTime();
      const cached = await this.database.executeSql(cachedStockSql("$1", "$2"), [this.shop, ids], { prepare: true });
      const stale: number[] = [];
      for (const row of cached.rows) {
        const level = cachedStockLevel(row);
        if (isStale(level, now, maxAgeMs)) stale.push(level.variantId);
        result.set(level.variantId, level);
      }
      if (stale.length === 0) return result;
      const catalog = this.options.services.catalog;
      const markStale = (note: string) => {
        for (const id of stale) {
          const level = result.get(id)!;
          result.set(id, { ...level, source: level.checkedAt ? "stale" : "unknown", note });
        }
      };
      if (!catalog) {
        markStale("no live stock reader");
        return result;
      }
      try {
        const live = await catalog.variants(this.shop, stale);
        const checkedAt = this.options.now;
        for (const id of stale) {
          const variant = live.get(id);
          result.set(id, variant ? { variantId: id, productId: variant.productId, available: variant.available, source: "live", checkedAt } : { variantId: id, available: null, source: "unknown", checkedAt, note: "Shopify has no such variant" });
        }
        await this.rememberLiveVariants([...live.values()], checkedAt);
      } catch (error) {
        if (!(error instanceof LiveReadUnavailable)) throw error;
        log.info(`[recipes] ${this.shop}: live stock read skipped: ${error.message}`);
        markStale(error.message);
      }
      return result;
    });
  }

  private async rememberLiveVariants(live: { id: number; available: number | null; inventoryItemId: number | null; productId: number | null; sku: string | null; title: string | null; price: string | null }[], checkedAt: Date) {
    if (live.length === 0) return;
    await this.db
      .insert(variantStockChecks)
      .values(live.map((v) => ({ shop: this.shop, variantId: v.id, available: v.available, checkedAt })))
      .onConflictDoUpdate({
        target: [variantStockChecks.shop, variantStockChecks.variantId],
        set: { available: sql`excluded.available`, checkedAt: sql`excluded.checked_at` },
      });
    // Learning the variant ↔ inventory item link lets later inventory webhooks join.
    for (const v of live) {
      if (v.inventoryItemId) {
        await linkVariantToInventoryItem(this.db, this.shop, { id: v.id, productId: v.productId, inventoryItemId: v.inventoryItemId, sku: v.sku, title: v.title, price: v.price });
      }
    }
  }

  /** Tags and collections of products, from a day-old cache or one batched Admin read. */
  async productFacts(productIds: number[]): Promise<Map<number, ProductFacts>> {
    const ids = [...new Set(productIds)];
    const result = new Map<number, ProductFacts>();
    if (ids.length === 0) return result;
    return this.memo.get(`facts:${ids.sort((a, b) => a - b).join(",")}`, async () => {
      const rows = await this.db
        .select()
        .from(productFacts)
        .where(and(eq(productFacts.shop, this.shop), inArray(productFacts.productId, ids)));
      const fresh = new Set<number>();
      for (const row of rows) {
        result.set(row.productId, { productId: row.productId, title: row.title, tags: row.tags, collectionIds: row.collectionIds });
        if (this.options.now.getTime() - row.fetchedAt.getTime() < PRODUCT_FACTS_MAX_AGE_MS) fresh.add(row.productId);
      }
      const missing = ids.filter((id) => !fresh.has(id));
      const catalog = this.options.services.catalog;
      if (missing.length === 0 || !catalog) return result;
      try {
        const live = await catalog.products(this.shop, missing);
        const fetchedAt = this.options.now;
        for (const product of live.values()) result.set(product.id, { productId: product.id, title: product.title, tags: product.tags, collectionIds: product.collectionIds });
        if (live.size > 0) {
          await this.db
            .insert(productFacts)
            .values([...live.values()].map((p) => ({ shop: this.shop, productId: p.id, title: p.title, tags: p.tags, collectionIds: p.collectionIds, fetchedAt })))
            .onConflictDoUpdate({
              target: [productFacts.shop, productFacts.productId],
              set: { title: sql`excluded.title`, tags: sql`excluded.tags`, collectionIds: sql`excluded.collection_ids`, fetchedAt: sql`excluded.fetched_at` },
            });
        }
      } catch (error) {
        if (!(error instanceof LiveReadUnavailable)) throw error;
        log.info(`[recipes] ${this.shop}: product facts read skipped: ${error.message}`);
      }
      return result;
    });
  }

  hasOpenTicket(email: string) {
    return this.memo.get(`ticket:${email.toLowerCase()}`, () => hasOpenTicket(this.db, this.shop, email));
  }

  /**
   * Everything the shared guards need about a customer, in one query: an open ticket, a pending
   * or recent refund, and their marketing and upsell touches within each cap's window.
   */
  guardFacts(customer: CustomerRef) {
    const id = customer.id ?? null;
    const given = customer.email?.trim() || null;
    return this.memo.get(`guard-facts:${id}:${given?.toLowerCase()}`, async () => {
      const email = given ?? (id ? ((await this.customer(id))?.email ?? null) : null);
      const { guards, now } = this.options;
      const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
      const { rows } = await this.database.executeSql(
        `select
           exists(select 1 from gorgias_tickets where shop = $1 and customer_email = $2 and status = 'open') as ticket,
           exists(select 1 from orders where shop = $1 and (customer_id = $3 or ($3::bigint is null and email = $4))
                    and (refund_count > 0 or financial_status in ('refunded', 'partially_refunded')) and source_updated_at >= $5) as refund,
           (select count(*) from recipe_touches where shop = $1 and customer_key = $6 and channel = 'marketing' and at > $7)::int as marketing,
           (select count(*) from recipe_touches where shop = $1 and customer_key = $6 and channel = 'upsell' and at > $8)::int as upsell`,
        [
          this.shop,
          email?.toLowerCase() ?? "",
          id,
          email,
          at(guards.refundWindowDays * 86_400_000),
          customerKey({ id, email }) ?? "",
          at(guards.marketingWindowHours * 3_600_000),
          at(guards.upsellWindowDays * 86_400_000),
        ],
      );
      const row = rows[0] ?? {};
      return { email, ticket: Boolean(row.ticket), refund: Boolean(row.refund), touches: { marketing: Number(row.marketing ?? 0), upsell: Number(row.upsell ?? 0) } as Record<string, number> };
    });
  }

  /** Why an action for this customer would be suppressed now (open ticket, refund), if it would. */
  async suppression(customer: CustomerRef): Promise<string | null> {
    const guards = this.options.guards;
    if (!guards.suppressWhileTicketOpen && !guards.suppressAfterRefund) return null;
    if (!customer.id && !customer.email) return null;
    const facts = await this.guardFacts(customer);
    if (guards.suppressWhileTicketOpen && facts.ticket) return "the customer has an open Gorgias ticket";
    if (guards.suppressAfterRefund && facts.refund) return `a refund is pending or was made in the last ${guards.refundWindowDays} days`;
    return null;
  }

  async guard(customer: CustomerRef, channel: Channel): Promise<GuardVerdict> {
    const facts = customer.id || customer.email ? this.guardFacts(customer) : undefined;
    return this.options.ledger.verdict(customer, channel, () => this.suppression(customer), {
      readOnly: true,
      stored: facts ? async () => (await facts).touches[channel] ?? 0 : undefined,
    });
  }

  private stateReader(recipeId: string): StateReader {
    const reader: StateReader = {
      get: (subject) =>
        this.memo.get(`state:${recipeId}:${subject}`, async () => {
          const [row] = await this.db
            .select({ value: recipeState.value })
            .from(recipeState)
            .where(and(eq(recipeState.shop, this.shop), eq(recipeState.recipeId, recipeId), eq(recipeState.subject, subject)));
          return row?.value;
        }),
      getMany: async (subjects) => {
        const found = new Map<string, Record<string, unknown>>();
        if (subjects.length === 0) return found;
        const rows = await this.db
          .select({ subject: recipeState.subject, value: recipeState.value })
          .from(recipeState)
          .where(and(eq(recipeState.shop, this.shop), eq(recipeState.recipeId, recipeId), inArray(recipeState.subject, subjects)));
        for (const row of rows) found.set(row.subject, row.value);
        return found;
      },
      matching: async (partial, { since, limit = 500 } = {}) => {
        const rows = await this.db
          .select()
          .from(recipeState)
          .where(
            and(
              eq(recipeState.shop, this.shop),
              eq(recipeState.recipeId, recipeId),
              sql`${recipeState.value} @> ${JSON.stringify(partial)}::jsonb`,
              since ? gte(recipeState.updatedAt, since) : undefined,
            ),
          )
          .orderBy(desc(recipeState.updatedAt))
          .limit(limit);
        return rows.map((r): StateRow => ({ subject: r.subject, customerId: r.customerId, value: r.value, updatedAt: r.updatedAt }));
      },
      of: (other) => this.stateReader(other),
    };
    return reader;
  }
}
