import type { FakeBilling } from "./billing";
/**
 * The sandbox store's data model: plain, JSON-serialisable records shared by the Admin GraphQL
 * fake (which projects them into GraphQL objects) and the webhook simulator (which projects them
 * into REST payloads). Field names are camelCase; enum-like values use the lowercase REST
 * spelling ("paid", "in_transit"), and each projection converts as needed.
 *
 * Timestamps are UTC ISO strings without milliseconds (`2026-10-05T18:21:03Z`). Money is a
 * decimal string. Ids are plain numbers; see ids.ts for gids.
 */

export type IsoDateTime = string;
export type MoneyString = string;
export type CurrencyCode = "USD" | "CAD" | "EUR" | "GBP";

/** An amount in the shop's currency and in the currency the buyer saw. */
export interface MoneyPair {
  shop: MoneyString;
  presentment: MoneyString;
}

export interface SandboxAddress {
  id: number;
  firstName: string;
  lastName: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCode: string;
  zip: string;
  phone: string | null;
  latitude: number;
  longitude: number;
}

export interface SandboxShop {
  id: number;
  name: string;
  /** The `*.myshopify.com` domain. */
  domain: string;
  /** The storefront host customers see. */
  primaryDomain: string;
  email: string;
  customerEmail: string;
  shopOwner: string;
  currency: CurrencyCode;
  enabledPresentmentCurrencies: CurrencyCode[];
  planDisplayName: string;
  /** REST `plan_name` for the "Shopify" plan. */
  planName: string;
  ianaTimezone: string;
  /** REST `timezone`, e.g. "(GMT-08:00) America/Los_Angeles". */
  timezone: string;
  moneyFormat: string;
  moneyWithCurrencyFormat: string;
  weightUnit: "kg" | "g" | "lb" | "oz";
  taxesIncluded: boolean;
  taxShipping: boolean;
  primaryLocale: string;
  address: Omit<SandboxAddress, "id" | "firstName" | "lastName" | "company">;
  primaryLocationId: number;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface SandboxLocation {
  id: number;
  name: string;
  address: Omit<
    SandboxAddress,
    "id" | "firstName" | "lastName" | "company" | "latitude" | "longitude"
  >;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface SandboxCollection {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  productIds: number[];
  sortOrder: "manual" | "best-selling" | "alpha-asc";
  publishedAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface SandboxProductImage {
  /** MediaImage id (GraphQL `featuredMedia`/`media`). */
  mediaId: number;
  /** Legacy ProductImage id (REST `image_id`, GraphQL `Image.id`). */
  imageId: number;
  url: string;
  altText: string;
  width: number;
  height: number;
  position: number;
  createdAt: IsoDateTime;
}

export interface SandboxProductOption {
  id: number;
  name: string;
  position: number;
  values: string[];
}

export type ProductStatus = "active" | "draft" | "archived";

export interface SandboxProduct {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: ProductStatus;
  options: SandboxProductOption[];
  images: SandboxProductImage[];
  variantIds: number[];
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  publishedAt: IsoDateTime | null;
}

export interface SandboxVariant {
  id: number;
  productId: number;
  title: string;
  sku: string;
  barcode: string;
  price: MoneyString;
  compareAtPrice: MoneyString | null;
  position: number;
  selectedOptions: { name: string; value: string }[];
  inventoryItemId: number;
  inventoryPolicy: "deny" | "continue";
  taxable: boolean;
  grams: number;
  /** Image (by MediaImage id) shown for this variant, if any. */
  mediaId: number | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface SandboxInventoryItem {
  id: number;
  variantId: number;
  sku: string;
  tracked: boolean;
  requiresShipping: boolean;
  unitCost: MoneyString | null;
  countryCodeOfOrigin: string | null;
  harmonizedSystemCode: string | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

/** Quantity names Shopify's `InventoryLevel.quantities(names:)` accepts. */
export const INVENTORY_QUANTITY_NAMES = [
  "available",
  "committed",
  "damaged",
  "incoming",
  "on_hand",
  "quality_control",
  "reserved",
  "safety_stock",
] as const;
export type InventoryQuantityName = (typeof INVENTORY_QUANTITY_NAMES)[number];

export interface SandboxInventoryLevel {
  id: number;
  inventoryItemId: number;
  locationId: number;
  /** on_hand = available + committed + reserved + damaged + safety_stock + quality_control. */
  quantities: Record<InventoryQuantityName, number>;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export type EmailMarketingState =
  "subscribed" | "not_subscribed" | "unsubscribed" | "pending" | "invalid" | "redacted";
export type MarketingOptInLevel = "single_opt_in" | "confirmed_opt_in" | "unknown";

export interface SandboxCustomer {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  tags: string[];
  state: "enabled" | "disabled" | "invited" | "declined";
  note: string | null;
  verifiedEmail: boolean;
  taxExempt: boolean;
  locale: string;
  currency: CurrencyCode;
  emailMarketingConsent: {
    state: EmailMarketingState;
    optInLevel: MarketingOptInLevel | null;
    consentUpdatedAt: IsoDateTime | null;
  };
  smsMarketingConsent: {
    state: Exclude<EmailMarketingState, "invalid">;
    optInLevel: MarketingOptInLevel;
    consentUpdatedAt: IsoDateTime | null;
    consentCollectedFrom: "SHOPIFY" | "OTHER";
  } | null;
  addresses: SandboxAddress[];
  defaultAddressId: number | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface SandboxTaxLine {
  title: string;
  rate: number;
  price: MoneyPair;
}

export interface SandboxLineItem {
  id: number;
  /** Null once the variant is deleted; the sandbox generator never deletes. */
  variantId: number | null;
  productId: number | null;
  sku: string;
  /** Product title at purchase time. */
  title: string;
  variantTitle: string | null;
  /** "Product - Variant" (or the product title for a default variant). */
  name: string;
  vendor: string;
  quantity: number;
  /** Unit price. */
  price: MoneyPair;
  /** Discount allocated to the whole line. */
  totalDiscount: MoneyPair;
  taxable: boolean;
  requiresShipping: boolean;
  grams: number;
  taxLines: SandboxTaxLine[];
}

export interface SandboxShippingLine {
  id: number;
  title: string;
  code: string;
  source: string;
  price: MoneyPair;
}

export interface SandboxRefund {
  id: number;
  orderId: number;
  note: string | null;
  restock: boolean;
  refundLineItems: {
    id: number;
    lineItemId: number;
    quantity: number;
    restockType: "return" | "cancel" | "no_restock";
    subtotal: MoneyPair;
    totalTax: MoneyPair;
  }[];
  transactions: {
    id: number;
    kind: "refund";
    status: "success";
    gateway: string;
    amount: MoneyPair;
    createdAt: IsoDateTime;
  }[];
  createdAt: IsoDateTime;
  processedAt: IsoDateTime;
}

export type FinancialStatus =
  | "pending"
  | "authorized"
  | "partially_paid"
  | "paid"
  | "partially_refunded"
  | "refunded"
  | "voided";
export type FulfillmentStatus = "fulfilled" | "partial" | "restocked" | null;

export interface SandboxOrder {
  id: number;
  /** Position in the shop's order count starting at 1001 (REST `order_number`). */
  orderNumber: number;
  /** "#1001" */
  name: string;
  confirmationNumber: string;
  token: string;
  customerId: number | null;
  email: string;
  phone: string | null;
  currency: CurrencyCode;
  presentmentCurrency: CurrencyCode;
  /** Presentment units per shop unit (1 when both are USD). */
  exchangeRate: number;
  lineItems: SandboxLineItem[];
  shippingLines: SandboxShippingLine[];
  taxLines: SandboxTaxLine[];
  discountCodes: { code: string; amount: MoneyString; type: "percentage" | "fixed_amount" }[];
  totals: {
    lineItems: MoneyPair;
    discounts: MoneyPair;
    /** Line items minus discounts, before shipping and tax (REST `subtotal_price`). */
    subtotal: MoneyPair;
    shipping: MoneyPair;
    tax: MoneyPair;
    total: MoneyPair;
  };
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  gateway: string;
  sourceName: string;
  tags: string[];
  note: string | null;
  buyerAcceptsMarketing: boolean;
  customerLocale: string;
  shippingAddress: SandboxAddress | null;
  billingAddress: SandboxAddress | null;
  refunds: SandboxRefund[];
  cancelledAt: IsoDateTime | null;
  cancelReason: "customer" | "fraud" | "inventory" | "declined" | "other" | null;
  closedAt: IsoDateTime | null;
  test: boolean;
  createdAt: IsoDateTime;
  processedAt: IsoDateTime;
  updatedAt: IsoDateTime;
  /** The abandoned checkout it was placed from (absent: a checkout of its own, see orderPayload). */
  checkoutToken?: string;
  checkoutId?: number;
}

/**
 * A checkout a shopper left without ordering (store-day's abandoned carts). Placing the order
 * from it later (the shopper came back) sets `completedAt` and `orderId`; `closedAt` when they
 * will not come back because nothing in it is in stock any more.
 */
export interface SandboxCheckout {
  id: number;
  token: string;
  customerId: number;
  email: string;
  lines: { variantId: number; quantity: number }[];
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  completedAt: IsoDateTime | null;
  orderId: number | null;
  closedAt: IsoDateTime | null;
}

/** Lowercase forms of Admin GraphQL `FulfillmentEventStatus` (as REST `shipment_status` spells them). */
export type ShipmentStatus =
  | "label_printed"
  | "label_purchased"
  | "confirmed"
  | "ready_for_pickup"
  | "in_transit"
  | "out_for_delivery"
  | "attempted_delivery"
  | "delayed"
  | "delivered"
  | "failure";

export interface SandboxFulfillmentEvent {
  id: number;
  fulfillmentId: number;
  orderId: number;
  status: ShipmentStatus;
  message: string;
  happenedAt: IsoDateTime;
  estimatedDeliveryAt: IsoDateTime | null;
  address1: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
  zip: string | null;
  latitude: number | null;
  longitude: number | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface SandboxFulfillment {
  id: number;
  orderId: number;
  /** "#1001.1" */
  name: string;
  status: "pending" | "open" | "success" | "cancelled" | "error" | "failure";
  shipmentStatus: ShipmentStatus | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  locationId: number;
  lineItems: { id: number; lineItemId: number; quantity: number }[];
  events: SandboxFulfillmentEvent[];
  estimatedDeliveryAt: IsoDateTime | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface SandboxStore {
  seed: number;
  /** "Now" for the generated history; nothing is dated after it. */
  baseDate: IsoDateTime;
  shop: SandboxShop;
  locations: SandboxLocation[];
  collections: SandboxCollection[];
  products: SandboxProduct[];
  variants: SandboxVariant[];
  inventoryItems: SandboxInventoryItem[];
  inventoryLevels: SandboxInventoryLevel[];
  customers: SandboxCustomer[];
  orders: SandboxOrder[];
  fulfillments: SandboxFulfillment[];
  /** Checkouts left without an order (absent until the simulator abandons one). */
  checkouts?: SandboxCheckout[];
  /** App subscriptions and usage records (sandbox/store/billing.ts); absent until the app bills. */
  billing?: FakeBilling;
  /** Order edits (a post-purchase changeset Shopify applied is one); absent until the first. */
  orderEdits?: SandboxOrderEdit[];
  /** The `jti` of every changeset applied: a changeset token is single-use. */
  appliedChangesets?: string[];
}

/** A committed order edit: the lines it added, by line item id and quantity. */
export interface SandboxOrderEdit {
  id: number;
  orderId: number;
  createdAt: IsoDateTime;
  additions: { lineItemId: number; delta: number }[];
}
