/**
 * Numeric ids and their Admin GraphQL global ids (`gid://shopify/<Type>/<n>`).
 *
 * The store keeps every id as a plain number (REST webhooks carry numbers); GraphQL speaks gids.
 * Ids are large on purpose, like Shopify's, so code that squeezes them into 32-bit integers or
 * floats with too little precision fails in tests rather than in production.
 */

/** Resource types the sandbox hands out ids for, spelled as they appear in Shopify gids. */
export type GidType =
  | "Shop"
  | "Location"
  | "Collection"
  | "Product"
  | "ProductOption"
  | "ProductVariant"
  | "ProductImage"
  | "MediaImage"
  | "InventoryItem"
  | "InventoryLevel"
  | "Customer"
  | "MailingAddress"
  | "Order"
  | "LineItem"
  | "ShippingLine"
  | "Fulfillment"
  | "FulfillmentLineItem"
  | "FulfillmentEvent"
  | "Refund"
  | "RefundLineItem"
  | "OrderTransaction"
  | "OrderEdit"
  | "DataRequest";

/** First id of each type; the generator counts up from here. */
export const ID_BASE: Record<Exclude<GidType, "Shop">, number> = {
  Location: 71_350_000_000,
  Collection: 436_120_000_000,
  Product: 8_412_650_000_000,
  ProductOption: 10_812_400_000_000,
  ProductVariant: 45_118_200_000_000,
  ProductImage: 41_870_300_000_000,
  MediaImage: 33_402_100_000_000,
  InventoryItem: 47_230_500_000_000,
  InventoryLevel: 119_340_000_000,
  Customer: 7_340_120_000_000,
  MailingAddress: 9_210_450_000_000,
  Order: 5_912_300_000_000,
  LineItem: 14_820_600_000_000,
  ShippingLine: 4_980_200_000_000,
  Fulfillment: 5_301_700_000_000,
  FulfillmentLineItem: 12_604_900_000_000,
  FulfillmentEvent: 3_551_200_000_000,
  Refund: 912_450_000_000,
  RefundLineItem: 532_870_000_000,
  OrderTransaction: 7_104_300_000_000,
  OrderEdit: 2_406_800_000_000,
  DataRequest: 9_870_000,
};

/** `gid://shopify/<type>/<id>`, with optional query parameters (InventoryLevel uses one). */
export function gid(type: GidType, id: number, params?: Record<string, string | number>): string {
  const base = `gid://shopify/${type}/${id}`;
  if (!params) return base;
  const query = Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join("&");
  return `${base}?${query}`;
}

export interface ParsedGid {
  type: string;
  id: number;
  params: Record<string, string>;
}

const GID_PATTERN = /^gid:\/\/shopify\/([A-Za-z][A-Za-z0-9]*)\/(\d{1,16})(?:\?(.*))?$/;

/** Splits a gid into type, numeric id and parameters; null when it isn't a Shopify gid. */
export function parseGid(value: string): ParsedGid | null {
  const match = GID_PATTERN.exec(value);
  if (!match) return null;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id)) return null;
  const params: Record<string, string> = {};
  for (const pair of (match[3] ?? "").split("&")) {
    if (!pair) continue;
    const [key, raw = ""] = pair.split("=");
    params[decodeURIComponent(key!)] = decodeURIComponent(raw);
  }
  return { type: match[1]!, id, params };
}

/** The gid of an inventory level, in the shape Shopify uses: level id plus the item id. */
export function inventoryLevelGid(levelId: number, inventoryItemId: number): string {
  return gid("InventoryLevel", levelId, { inventory_item_id: inventoryItemId });
}

/** Typed shorthands for the common ones. */
export const gids = {
  shop: (id: number) => gid("Shop", id),
  location: (id: number) => gid("Location", id),
  collection: (id: number) => gid("Collection", id),
  product: (id: number) => gid("Product", id),
  variant: (id: number) => gid("ProductVariant", id),
  inventoryItem: (id: number) => gid("InventoryItem", id),
  customer: (id: number) => gid("Customer", id),
  order: (id: number) => gid("Order", id),
  lineItem: (id: number) => gid("LineItem", id),
  fulfillment: (id: number) => gid("Fulfillment", id),
  fulfillmentEvent: (id: number) => gid("FulfillmentEvent", id),
  refund: (id: number) => gid("Refund", id),
} as const;
