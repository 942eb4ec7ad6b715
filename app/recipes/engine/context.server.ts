import type { Database } from "../../db.server";
import { hasOpenTicket } from "../../models/gorgias-tickets.server";
import type { ShopifyId } from "../../utils/shopify-id";
import type { GuardVerdict, ProductFacts, RecipeContext, StockLevel } from "./context";
import type { Channel, CustomerRef } from "./define-recipe";
import { readGuardFacts, suppressionReason } from "./guard-facts.server";
import { type GuardConfig } from "./guards";
import { type GuardLedger } from "./guards.server";
import {
  readCachedAvailable,
  readCheckout,
  readCustomer,
  readCustomerByEmail,
  readFulfillment,
  readFulfillmentsOfOrder,
  readLapsedCustomers,
  readOrder,
  readOrdersOfCustomer,
  readVariant,
  readVariantsBySku,
  readVariantsOfProduct,
  readVariantsOfInventoryItem,
} from "./lookups.server";
import { Memo, memoKey } from "./memo";
import { seedPrefetched, type Prefetched } from "./prefetch.server";
import { readProductFacts } from "./product-facts.server";
import { recipeStateReader } from "./recipe-state.server";
import type { EngineServices } from "./services";
import { readStock } from "./stock.server";
import { shopTime } from "../../utils/shop-time";

export interface ContextOptions {
  now: Date;
  dryRun: boolean;
  guards: GuardConfig;
  connected: Set<string>;
  shopCurrency: string | null;
  /** The shop's IANA zone (null: not known yet, UTC). */
  shopTimeZone: string | null;
  services: Pick<EngineServices, "catalog">;
  ledger: GuardLedger;
}

/**
 * The read side every recipe of one event shares: lookups are memoized, so ten recipes reading
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

  /** Fills the lookups with what was read up front (see seedPrefetched). */
  seed(prefetched: Prefetched, recipeIds: readonly string[]) {
    seedPrefetched(this.memo, prefetched, recipeIds, this.options);
  }

  forRecipe(recipeId: string): RecipeContext {
    const { shop, options } = this;
    return {
      shop,
      now: options.now,
      dryRun: options.dryRun,
      shopCurrency: options.shopCurrency,
      time: shopTime({ timeZone: options.shopTimeZone }),
      order: (id) => this.order(id),
      ordersOfCustomer: (customerId, o) => this.ordersOfCustomer(customerId, o),
      customer: (id) => this.customer(id),
      customerByEmail: (email) => this.customerByEmail(email),
      lapsedCustomers: (before, o) => this.lapsedCustomers(before, o),
      fulfillment: (id) => this.fulfillment(id),
      checkout: (token) => this.checkout(token),
      fulfillmentsOfOrder: (orderId) => this.fulfillmentsOfOrder(orderId),
      variant: (id) => this.variant(id),
      variantsOfInventoryItem: (itemId) => this.variantsOfInventoryItem(itemId),
      variantsBySku: (skus) => this.variantsBySku(skus),
      variantsOfProduct: (productId) => this.variantsOfProduct(productId),
      stock: (ids) => this.stock(ids),
      cachedAvailable: (itemId) => this.cachedAvailable(itemId),
      productFacts: (ids) => this.productFacts(ids),
      hasOpenTicket: (email) => this.hasOpenTicket(email),
      guard: (customer, channel) => this.guard(customer, channel),
      connected: (integration) => options.connected.has(integration),
      state: recipeStateReader(this.db, shop, this.memo, recipeId),
    };
  }

  order(id: ShopifyId) {
    return this.memo.get(memoKey.order(id), () => readOrder(this.db, this.shop, id));
  }

  ordersOfCustomer(
    customerId: ShopifyId,
    { since, before, limit = 50 }: { since?: Date; before?: Date; limit?: number } = {},
  ) {
    const window = `${since?.getTime() ?? ""}:${before?.getTime() ?? ""}`;
    return this.memo.get(`orders-of:${customerId}:${window}:${limit}`, () =>
      readOrdersOfCustomer(this.db, this.shop, customerId, { since, before, limit }),
    );
  }

  customer(id: ShopifyId) {
    return this.memo.get(memoKey.customer(id), () => readCustomer(this.db, this.shop, id));
  }

  customerByEmail(email: string) {
    return this.memo.get(`customer-email:${email.toLowerCase()}`, () =>
      readCustomerByEmail(this.db, this.shop, email),
    );
  }

  lapsedCustomers(lastOrderBefore: Date, { limit = 5000 }: { limit?: number } = {}) {
    return readLapsedCustomers(this.db, this.shop, lastOrderBefore, limit);
  }

  fulfillment(id: ShopifyId) {
    return this.memo.get(memoKey.fulfillment(id), () => readFulfillment(this.db, this.shop, id));
  }

  checkout(token: string) {
    return this.memo.get(`checkout:${token}`, () => readCheckout(this.db, this.shop, token));
  }

  fulfillmentsOfOrder(orderId: ShopifyId) {
    return this.memo.get(`fulfillments-of:${orderId}`, () =>
      readFulfillmentsOfOrder(this.db, this.shop, orderId),
    );
  }

  variant(id: ShopifyId) {
    return this.memo.get(`variant:${id}`, () => readVariant(this.db, this.shop, id));
  }

  variantsOfInventoryItem(inventoryItemId: ShopifyId) {
    return this.memo.get(memoKey.variantsOfItem(inventoryItemId), () =>
      readVariantsOfInventoryItem(this.db, this.shop, inventoryItemId),
    );
  }

  variantsBySku(skus: string[]) {
    return readVariantsBySku(this.db, this.shop, skus);
  }

  variantsOfProduct(productId: ShopifyId) {
    return this.memo.get(`variants-of-product:${productId}`, () =>
      readVariantsOfProduct(this.db, this.shop, productId),
    );
  }

  cachedAvailable(inventoryItemId: ShopifyId) {
    return this.memo.get(memoKey.cachedAvailable(inventoryItemId), () =>
      readCachedAvailable(this.db, this.shop, inventoryItemId),
    );
  }

  /** Stock per variant: cached, or read live when older than the shop's limit (see readStock). */
  async stock(variantIds: ShopifyId[]): Promise<Map<ShopifyId, StockLevel>> {
    const ids = [...new Set(variantIds)].sort();
    if (ids.length === 0) return new Map();
    const { database, shop, options } = this;
    return this.memo.get(`stock:${ids.join(",")}`, () =>
      readStock(
        {
          database,
          shop,
          now: options.now,
          maxAgeMs: options.guards.inventoryMaxAgeMinutes * 60_000,
          catalog: options.services.catalog,
        },
        ids,
      ),
    );
  }

  /** Tags and collections of products (see readProductFacts). */
  async productFacts(productIds: ShopifyId[]): Promise<Map<ShopifyId, ProductFacts>> {
    const ids = [...new Set(productIds)].sort();
    if (ids.length === 0) return new Map();
    return this.memo.get(`facts:${ids.join(",")}`, () =>
      readProductFacts(
        {
          db: this.db,
          shop: this.shop,
          now: this.options.now,
          catalog: this.options.services.catalog,
        },
        ids,
      ),
    );
  }

  hasOpenTicket(email: string) {
    return this.memo.get(memoKey.ticket(email), () => hasOpenTicket(this.db, this.shop, email));
  }

  /** The guards' facts about a customer (see readGuardFacts); by id, the email is looked up. */
  guardFacts(customer: CustomerRef) {
    const id = customer.id ?? null;
    const given = customer.email?.trim() || null;
    return this.memo.get(memoKey.guardFacts(id, given?.toLowerCase()), async () => {
      const email = given ?? (id ? ((await this.customer(id))?.email ?? null) : null);
      return readGuardFacts(
        this.database,
        this.shop,
        this.options.guards,
        this.options.now,
        id,
        email,
      );
    });
  }

  /** Why an action for this customer would be suppressed now (open ticket, refund), if it would. */
  async suppression(customer: CustomerRef): Promise<string | null> {
    const guards = this.options.guards;
    if (!guards.suppressWhileTicketOpen && !guards.suppressAfterRefund) return null;
    if (!customer.id && !customer.email) return null;
    return suppressionReason(guards, await this.guardFacts(customer));
  }

  async guard(customer: CustomerRef, channel: Channel): Promise<GuardVerdict> {
    const facts = customer.id || customer.email ? this.guardFacts(customer) : undefined;
    return this.options.ledger.verdict(customer, channel, () => this.suppression(customer), {
      readOnly: true,
      stored: facts ? async () => (await facts).touches[channel] ?? 0 : undefined,
    });
  }
}
