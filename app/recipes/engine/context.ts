import type { CheckoutLineItem, OrderLineItem } from "../../../db/schema/read-model";
import type { ShopifyId } from "../../utils/shopify-id";
import type { Channel, CustomerRef } from "./channel";
import type { ShopTime } from "../../utils/shop-time";

/**
 * The narrow view of a shop a recipe gets: the read model (orders, customers, fulfillments,
 * inventory), ticket state, its own memory, and the shared guards. Money is a number in the
 * shop's currency unless named `presentment…`. Everything is per shop; nothing reaches
 * another shop's rows.
 */

export interface OrderView {
  id: ShopifyId;
  name: string;
  email: string | null;
  customerId: ShopifyId | null;
  currency: string;
  presentmentCurrency: string | null;
  totalPrice: number;
  /** After refunds and edits. */
  currentTotalPrice: number;
  presentmentTotalPrice: number | null;
  /** The shipping address's ISO country code; null without one. */
  shippingCountry: string | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  tags: string[];
  lineItems: OrderLineItem[];
  refundCount: number;
  cancelledAt: Date | null;
  processedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerView {
  id: ShopifyId;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  tags: string[];
  acceptsMarketing: boolean;
  lifetimeSpend: number;
  orderCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

export interface FulfillmentView {
  id: ShopifyId;
  orderId: ShopifyId;
  status: string | null;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date | null;
}

export interface CheckoutView {
  /** The checkout's key; an order placed from it names it as `checkout_token`. */
  token: string;
  id: ShopifyId;
  customerId: ShopifyId | null;
  email: string | null;
  lineItems: CheckoutLineItem[];
  /** In `currency`, the shop's. */
  subtotalPrice: number;
  currency: string;
  presentmentCurrency: string | null;
  abandonedCheckoutUrl: string | null;
  completedAt: Date | null;
  /** The order placed from it, once one was. */
  orderId: ShopifyId | null;
  orderedAt: Date | null;
  createdAt: Date;
  /** The newest update while it was open: abandonment is counted from here. */
  lastActivityAt: Date;
}

export interface VariantView {
  id: ShopifyId;
  productId: ShopifyId | null;
  inventoryItemId: ShopifyId | null;
  sku: string | null;
  title: string | null;
  price: string | null;
}

export interface StockLevel {
  variantId: ShopifyId;
  /** The variant's product, when known. */
  productId?: ShopifyId | null;
  /** Units available across locations; null when unknown. */
  available: number | null;
  /** cache: inventory_levels (webhooks) or an earlier live read, young enough; live: read just now. */
  source: "cache" | "live" | "stale" | "unknown";
  checkedAt: Date | null;
  /** Why a live read was not made or failed, when that matters. */
  note?: string;
}

export interface ProductFacts {
  productId: ShopifyId;
  title: string | null;
  tags: string[];
  collectionIds: ShopifyId[];
}

export type GuardVerdict =
  { ok: true } | { ok: false; status: "capped" | "suppressed"; reason: string };

export interface StateRow {
  subject: string;
  customerId: ShopifyId | null;
  value: Record<string, unknown>;
  updatedAt: Date;
}

export interface StateReader {
  get(subject: string): Promise<Record<string, unknown> | undefined>;
  /** Several subjects in one read; absent ones are missing from the map. */
  getMany(subjects: string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Rows whose value contains `partial` (JSON containment), newest first. */
  matching(
    partial: Record<string, unknown>,
    options?: { since?: Date; limit?: number },
  ): Promise<StateRow[]>;
  /** Another recipe's memory, read-only (e.g. which variants low-stock-promo-pause has paused). */
  of(recipeId: string): StateReader;
}

export interface RecipeContext {
  shop: string;
  /** The evaluation's "now" (a dry run moves it to when a follow-up would have fired). */
  now: Date;
  dryRun: boolean;
  /**
   * The shop's currency (ISO 4217), or null while the install's shop lookup has not succeeded:
   * an order's own `currency` is the one to format its money in.
   */
  shopCurrency: string | null;
  /**
   * Dates and times as the merchant reads them (the shop's time zone, UTC until Shopify told us
   * it): for every date a recipe writes in a reason, a note or a message.
   */
  time: ShopTime;
  order(id: ShopifyId): Promise<OrderView | undefined>;
  /** The customer's orders, newest first; `since` inclusive, `before` exclusive (created_at). */
  ordersOfCustomer(
    customerId: ShopifyId,
    options?: { since?: Date; before?: Date; limit?: number },
  ): Promise<OrderView[]>;
  customer(id: ShopifyId): Promise<CustomerView | undefined>;
  customerByEmail(email: string): Promise<CustomerView | undefined>;
  /** Customers who ordered at least once and not since `lastOrderBefore`, oldest lapse first. */
  lapsedCustomers(lastOrderBefore: Date, options?: { limit?: number }): Promise<CustomerView[]>;
  fulfillment(id: ShopifyId): Promise<FulfillmentView | undefined>;
  /** A checkout by its token (checkouts/create and checkouts/update keep them). */
  checkout(token: string): Promise<CheckoutView | undefined>;
  fulfillmentsOfOrder(orderId: ShopifyId): Promise<FulfillmentView[]>;
  variant(id: ShopifyId): Promise<VariantView | undefined>;
  variantsOfInventoryItem(inventoryItemId: ShopifyId): Promise<VariantView[]>;
  variantsBySku(skus: string[]): Promise<VariantView[]>;
  /** The variants of a product the read model knows (learnt from orders and the Admin API). */
  variantsOfProduct(productId: ShopifyId): Promise<VariantView[]>;
  /** Units available per variant: the read model, or a live Admin read when it is too old. */
  stock(variantIds: ShopifyId[]): Promise<Map<ShopifyId, StockLevel>>;
  /** Sum of the cached levels of an inventory item (what inventory_levels/update just wrote). */
  cachedAvailable(inventoryItemId: ShopifyId): Promise<number | null>;
  productFacts(productIds: ShopifyId[]): Promise<Map<ShopifyId, ProductFacts>>;
  hasOpenTicket(email: string): Promise<boolean>;
  /** Would an action on this channel for this customer pass the shared guards now? */
  guard(customer: CustomerRef, channel: Channel): Promise<GuardVerdict>;
  /** Whether the shop has connected this integration. */
  connected(integration: string): boolean;
  /** This recipe's memory. */
  state: StateReader;
}
