import type { OrderLineItem } from "../../../db/schema/read-model";
import type { Channel, CustomerRef } from "./define-recipe";

/**
 * The narrow view of a shop a recipe gets: the read model (orders, customers, fulfillments,
 * inventory), ticket state, its own memory, and the shared guards. Money is a number in the
 * shop's currency unless named `presentment…`. Everything is per shop; nothing reaches
 * another shop's rows.
 */

export interface OrderView {
  id: number;
  name: string;
  email: string | null;
  customerId: number | null;
  currency: string;
  presentmentCurrency: string | null;
  totalPrice: number;
  /** After refunds and edits. */
  currentTotalPrice: number;
  presentmentTotalPrice: number | null;
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
  id: number;
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
  id: number;
  orderId: number;
  status: string | null;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date | null;
}

export interface VariantView {
  id: number;
  productId: number | null;
  inventoryItemId: number | null;
  sku: string | null;
  title: string | null;
  price: string | null;
}

export interface StockLevel {
  variantId: number;
  /** The variant's product, when known. */
  productId?: number | null;
  /** Units available across locations; null when unknown. */
  available: number | null;
  /** cache: inventory_levels (webhooks) or an earlier live read, young enough; live: read just now. */
  source: "cache" | "live" | "stale" | "unknown";
  checkedAt: Date | null;
  /** Why a live read was not made or failed, when that matters. */
  note?: string;
}

export interface ProductFacts {
  productId: number;
  title: string | null;
  tags: string[];
  collectionIds: number[];
}

export type GuardVerdict = { ok: true } | { ok: false; status: "capped" | "suppressed"; reason: string };

export interface StateRow {
  subject: string;
  customerId: number | null;
  value: Record<string, unknown>;
  updatedAt: Date;
}

export interface StateReader {
  get(subject: string): Promise<Record<string, unknown> | undefined>;
  /** Several subjects in one read; absent ones are missing from the map. */
  getMany(subjects: string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Rows whose value contains `partial` (JSON containment), newest first. */
  matching(partial: Record<string, unknown>, options?: { since?: Date; limit?: number }): Promise<StateRow[]>;
  /** Another recipe's memory, read-only (e.g. which variants low-stock-promo-pause has paused). */
  of(recipeId: string): StateReader;
}

export interface RecipeContext {
  shop: string;
  /** The evaluation's "now" (a dry run moves it to when a follow-up would have fired). */
  now: Date;
  dryRun: boolean;
  /** The shop's currency (ISO 4217). */
  shopCurrency: string;
  order(id: number): Promise<OrderView | undefined>;
  /** The customer's orders, newest first. */
  ordersOfCustomer(customerId: number, options?: { since?: Date; limit?: number }): Promise<OrderView[]>;
  customer(id: number): Promise<CustomerView | undefined>;
  customerByEmail(email: string): Promise<CustomerView | undefined>;
  /** Customers who ordered at least once and not since `lastOrderBefore`, oldest lapse first. */
  lapsedCustomers(lastOrderBefore: Date, options?: { limit?: number }): Promise<CustomerView[]>;
  fulfillment(id: number): Promise<FulfillmentView | undefined>;
  fulfillmentsOfOrder(orderId: number): Promise<FulfillmentView[]>;
  variant(id: number): Promise<VariantView | undefined>;
  variantsOfInventoryItem(inventoryItemId: number): Promise<VariantView[]>;
  variantsBySku(skus: string[]): Promise<VariantView[]>;
  /** Units available per variant: the read model, or a live Admin read when it is too old. */
  stock(variantIds: number[]): Promise<Map<number, StockLevel>>;
  /** Sum of the cached levels of an inventory item (what inventory_levels/update just wrote). */
  cachedAvailable(inventoryItemId: number): Promise<number | null>;
  productFacts(productIds: number[]): Promise<Map<number, ProductFacts>>;
  hasOpenTicket(email: string): Promise<boolean>;
  /** Would an action on this channel for this customer pass the shared guards now? */
  guard(customer: CustomerRef, channel: Channel): Promise<GuardVerdict>;
  /** Whether the shop has connected this integration. */
  connected(integration: string): boolean;
  /** This recipe's memory. */
  state: StateReader;
}
