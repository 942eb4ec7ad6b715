import { netSpentCents } from "./generate";
import type {
  SandboxCollection,
  SandboxCustomer,
  SandboxFulfillment,
  SandboxFulfillmentEvent,
  SandboxInventoryItem,
  SandboxInventoryLevel,
  SandboxLineItem,
  SandboxLocation,
  SandboxOrder,
  SandboxProduct,
  SandboxProductImage,
  SandboxRefund,
  SandboxStore,
  SandboxVariant,
} from "./types";

/** Maps from id to record (and the few reverse relations) over one store. */
export interface StoreIndex {
  locations: Map<number, SandboxLocation>;
  collections: Map<number, SandboxCollection>;
  collectionsByProduct: Map<number, SandboxCollection[]>;
  products: Map<number, SandboxProduct>;
  productsByHandle: Map<string, SandboxProduct>;
  variants: Map<number, SandboxVariant>;
  variantsByProduct: Map<number, SandboxVariant[]>;
  mediaImages: Map<number, { product: SandboxProduct; image: SandboxProductImage }>;
  inventoryItems: Map<number, SandboxInventoryItem>;
  inventoryLevels: Map<number, SandboxInventoryLevel>;
  levelsByItem: Map<number, SandboxInventoryLevel[]>;
  customers: Map<number, SandboxCustomer>;
  orders: Map<number, SandboxOrder>;
  ordersByCustomer: Map<number, SandboxOrder[]>;
  lineItems: Map<number, { order: SandboxOrder; line: SandboxLineItem }>;
  refunds: Map<number, SandboxRefund>;
  fulfillments: Map<number, SandboxFulfillment>;
  fulfillmentsByOrder: Map<number, SandboxFulfillment[]>;
  fulfillmentEvents: Map<number, SandboxFulfillmentEvent>;
}

const cache = new WeakMap<SandboxStore, { signature: string; index: StoreIndex }>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Changes whenever a record is added or removed anywhere (in-place edits don't need a rebuild). */
function signatureOf(store: SandboxStore): string {
  let nested = 0;
  for (const order of store.orders)
    nested += order.lineItems.length * 7 + order.refunds.length * 13;
  for (const fulfillment of store.fulfillments) nested += fulfillment.events.length * 17;
  return [
    store.locations.length,
    store.collections.length,
    store.products.length,
    store.variants.length,
    store.inventoryItems.length,
    store.inventoryLevels.length,
    store.customers.length,
    store.orders.length,
    store.fulfillments.length,
    nested,
  ].join(":");
}

/** The store's index, built once and rebuilt when records are added or removed. */
export function indexStore(store: SandboxStore): StoreIndex {
  const signature = signatureOf(store);
  const cached = cache.get(store);
  if (cached && cached.signature === signature) return cached.index;
  const index: StoreIndex = {
    locations: new Map(store.locations.map((l) => [l.id, l])),
    collections: new Map(store.collections.map((c) => [c.id, c])),
    collectionsByProduct: new Map(),
    products: new Map(store.products.map((p) => [p.id, p])),
    productsByHandle: new Map(store.products.map((p) => [p.handle, p])),
    variants: new Map(store.variants.map((v) => [v.id, v])),
    variantsByProduct: new Map(),
    mediaImages: new Map(),
    inventoryItems: new Map(store.inventoryItems.map((i) => [i.id, i])),
    inventoryLevels: new Map(store.inventoryLevels.map((l) => [l.id, l])),
    levelsByItem: new Map(),
    customers: new Map(store.customers.map((c) => [c.id, c])),
    orders: new Map(store.orders.map((o) => [o.id, o])),
    ordersByCustomer: new Map(),
    lineItems: new Map(),
    refunds: new Map(),
    fulfillments: new Map(store.fulfillments.map((f) => [f.id, f])),
    fulfillmentsByOrder: new Map(),
    fulfillmentEvents: new Map(),
  };
  for (const collection of store.collections)
    for (const productId of collection.productIds)
      push(index.collectionsByProduct, productId, collection);
  for (const variant of store.variants) push(index.variantsByProduct, variant.productId, variant);
  for (const list of index.variantsByProduct.values()) list.sort((a, b) => a.position - b.position);
  for (const product of store.products)
    for (const image of product.images) index.mediaImages.set(image.mediaId, { product, image });
  for (const level of store.inventoryLevels) push(index.levelsByItem, level.inventoryItemId, level);
  for (const order of store.orders) {
    if (order.customerId !== null) push(index.ordersByCustomer, order.customerId, order);
    for (const line of order.lineItems) index.lineItems.set(line.id, { order, line });
    for (const refund of order.refunds) index.refunds.set(refund.id, refund);
  }
  for (const fulfillment of store.fulfillments) {
    push(index.fulfillmentsByOrder, fulfillment.orderId, fulfillment);
    for (const event of fulfillment.events) index.fulfillmentEvents.set(event.id, event);
  }
  cache.set(store, { signature, index });
  return index;
}

/** Drops the cached index (after edits the signature can't see, e.g. replacing an array element). */
export function invalidateIndex(store: SandboxStore): void {
  cache.delete(store);
}

export interface CustomerStats {
  ordersCount: number;
  /** Paid totals minus refunds, in shop currency cents. */
  totalSpentCents: number;
  lastOrder: SandboxOrder | null;
}

export function customerStats(store: SandboxStore, customerId: number): CustomerStats {
  const orders = indexStore(store).ordersByCustomer.get(customerId) ?? [];
  let lastOrder: SandboxOrder | null = null;
  for (const order of orders)
    if (!lastOrder || order.createdAt > lastOrder.createdAt) lastOrder = order;
  return {
    ordersCount: orders.length,
    totalSpentCents: orders.reduce((sum, order) => sum + netSpentCents(order), 0),
    lastOrder,
  };
}

/** Quantity of a line already fulfilled across the order's fulfillments. */
export function fulfilledQuantity(
  store: SandboxStore,
  orderId: number,
  lineItemId: number,
): number {
  let total = 0;
  for (const fulfillment of indexStore(store).fulfillmentsByOrder.get(orderId) ?? []) {
    if (fulfillment.status !== "success") continue;
    for (const line of fulfillment.lineItems)
      if (line.lineItemId === lineItemId) total += line.quantity;
  }
  return total;
}

/** Quantity of a line refunded so far. */
export function refundedQuantity(order: SandboxOrder, lineItemId: number): number {
  let total = 0;
  for (const refund of order.refunds)
    for (const line of refund.refundLineItems)
      if (line.lineItemId === lineItemId) total += line.quantity;
  return total;
}

/** Sum of `available` over every location for a variant's inventory item. */
export function totalAvailable(store: SandboxStore, inventoryItemId: number): number {
  return (indexStore(store).levelsByItem.get(inventoryItemId) ?? []).reduce(
    (sum, level) => sum + level.quantities.available,
    0,
  );
}
