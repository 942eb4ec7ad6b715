/**
 * What happens to the sandbox store during a simulated day, as plain functions over the store:
 * shoppers place orders (repeat buyers, guests, VIP-sized baskets), payments are captured, the
 * warehouse fulfills, carriers scan parcels (some delayed, failed or missed), stock is counted
 * and restocked, customers change their marketing consent. Each function changes the store the
 * way Shopify would, so the webhook payloads built from it afterwards and the Admin GraphQL
 * fake agree. Randomness comes in as a `rand` function, so callers decide determinism.
 *
 * Timestamps are the simulated clock's (milliseconds), stored as the store stores them.
 */
import { seededRandom } from "./fakes/common";
import {
  CARRIERS,
  CITIES,
  EXCHANGE_RATES,
  FIRST_NAMES,
  HUBS,
  LAST_NAMES,
  PRODUCTS,
  SHIPMENT_MESSAGES,
  STREETS,
  type CarrierDefinition,
} from "./store/catalog";
import { ID_BASE } from "./store/ids";
import { customerStats, fulfilledQuantity, indexStore, refundedQuantity } from "./store/lookup";
import { convertCents, fromCents, toCents } from "./store/money";
import { DAY_MS, HOUR_MS, isoUtc } from "./store/time";
import type {
  CurrencyCode,
  MoneyPair,
  SandboxAddress,
  SandboxCheckout,
  SandboxCustomer,
  SandboxFulfillment,
  SandboxFulfillmentEvent,
  SandboxInventoryLevel,
  SandboxLineItem,
  SandboxOrder,
  SandboxOrderEdit,
  SandboxStore,
  SandboxVariant,
  ShipmentStatus,
} from "./store/types";

export type Rand = () => number;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness keyed by name: the same seed and key always give the same numbers.

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A random stream for one decision: `keyed(seed, "pay", orderId)`. */
export function keyed(seed: number, ...key: Array<string | number>): Rand {
  return seededRandom(fnv1a(`${seed}:${key.join(":")}`));
}

export function between(rand: Rand, min: number, max: number): number {
  return min + rand() * (max - min);
}

export function intBetween(rand: Rand, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

export function weighted<T>(rand: Rand, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let roll = rand() * total;
  for (const item of items) {
    roll -= weight(item);
    if (roll < 0) return item;
  }
  return items[items.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Ids: one more than the largest in use, so records added later never collide.

type IdKind = keyof typeof ID_BASE;

function maxOf(values: Iterable<number>, kind: IdKind): number {
  let max = ID_BASE[kind];
  for (const value of values) if (value > max) max = value;
  return max;
}

function* addressIds(store: SandboxStore) {
  for (const customer of store.customers)
    for (const address of customer.addresses) yield address.id;
  for (const order of store.orders) {
    if (order.shippingAddress) yield order.shippingAddress.id;
    if (order.billingAddress) yield order.billingAddress.id;
  }
}

export function nextIds(store: SandboxStore) {
  const counters = new Map<IdKind, number>();
  const next = (kind: IdKind, existing: () => Iterable<number>) => {
    const value = (counters.get(kind) ?? maxOf(existing(), kind)) + 1;
    counters.set(kind, value);
    return value;
  };
  return {
    order: () => next("Order", () => store.orders.map((o) => o.id)),
    lineItem: () =>
      next("LineItem", () => store.orders.flatMap((o) => o.lineItems.map((l) => l.id))),
    shippingLine: () =>
      next("ShippingLine", () => store.orders.flatMap((o) => o.shippingLines.map((l) => l.id))),
    customer: () => next("Customer", () => store.customers.map((c) => c.id)),
    address: () => next("MailingAddress", () => addressIds(store)),
    fulfillment: () => next("Fulfillment", () => store.fulfillments.map((f) => f.id)),
    fulfillmentLineItem: () =>
      next("FulfillmentLineItem", () =>
        store.fulfillments.flatMap((f) => f.lineItems.map((l) => l.id)),
      ),
    fulfillmentEvent: () =>
      next("FulfillmentEvent", () => store.fulfillments.flatMap((f) => f.events.map((e) => e.id))),
    orderEdit: () => next("OrderEdit", () => (store.orderEdits ?? []).map((e) => e.id)),
  };
}

// ---------------------------------------------------------------------------------------------
// Inventory

export function warehouseLevel(
  store: SandboxStore,
  inventoryItemId: number,
): SandboxInventoryLevel | undefined {
  return (indexStore(store).levelsByItem.get(inventoryItemId) ?? []).find(
    (level) => level.locationId === store.shop.primaryLocationId,
  );
}

function touch(level: SandboxInventoryLevel, at: number) {
  level.updatedAt = isoUtc(at);
}

/** Changes `available` (and on_hand with it) at one level. */
export function changeAvailable(level: SandboxInventoryLevel, delta: number, at: number): void {
  level.quantities.available += delta;
  level.quantities.on_hand += delta;
  touch(level, at);
}

/** An order reserves stock: available goes down, committed up, on hand stays. */
function commit(level: SandboxInventoryLevel, quantity: number, at: number) {
  level.quantities.available -= quantity;
  level.quantities.committed += quantity;
  touch(level, at);
}

/** A shipment leaves: committed and on hand go down, available stays. */
function ship(level: SandboxInventoryLevel, quantity: number, at: number) {
  level.quantities.committed = Math.max(0, level.quantities.committed - quantity);
  level.quantities.on_hand = Math.max(0, level.quantities.on_hand - quantity);
  touch(level, at);
}

/** Stock received at the warehouse; clears what was incoming. */
export function receiveStock(level: SandboxInventoryLevel, quantity: number, at: number): void {
  changeAvailable(level, quantity, at);
  level.quantities.incoming = Math.max(0, level.quantities.incoming - quantity);
}

// ---------------------------------------------------------------------------------------------
// Orders

const TAX_BY_COUNTRY: Record<string, { title: string; rate: number }> = {
  US: { title: "State Tax", rate: 0.085 },
  CA: { title: "GST", rate: 0.05 },
  GB: { title: "VAT", rate: 0.2 },
  DE: { title: "VAT", rate: 0.19 },
  FR: { title: "VAT", rate: 0.2 },
};

const pair = (cents: number, rate: number): MoneyPair => ({
  shop: fromCents(cents),
  presentment: fromCents(convertCents(cents, rate)),
});

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
}

function alnum(rand: Rand, count: number, alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"): string {
  let out = "";
  for (let i = 0; i < count; i += 1) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

function newAddress(
  store: SandboxStore,
  rand: Rand,
  first: string,
  last: string,
  ids: ReturnType<typeof nextIds>,
): { address: SandboxAddress; currency: CurrencyCode; locale: string } {
  const city = weighted(rand, CITIES, (c) => c.weight);
  return {
    currency: city.currency,
    locale: city.locale,
    address: {
      id: ids.address(),
      firstName: first,
      lastName: last,
      company: null,
      address1: `${intBetween(rand, 12, 4800)} ${pick(rand, STREETS)}`,
      address2: rand() < 0.2 ? `Apt ${intBetween(rand, 1, 48)}` : null,
      city: city.city,
      province: city.province,
      provinceCode: city.provinceCode,
      country: city.country,
      countryCode: city.countryCode,
      zip: city.zip,
      phone: null,
      latitude: Math.round((city.latitude + between(rand, -0.04, 0.04)) * 1e4) / 1e4,
      longitude: Math.round((city.longitude + between(rand, -0.04, 0.04)) * 1e4) / 1e4,
    },
  };
}

function uniqueEmail(store: SandboxStore, first: string, last: string, suffix = ""): string {
  const taken = new Set(store.customers.map((c) => c.email));
  for (const order of store.orders) taken.add(order.email);
  const local = `${slug(first)}.${slug(last)}${suffix}`;
  let email = `${local}@example.com`;
  for (let n = 2; taken.has(email); n += 1) email = `${local}${n}@example.com`;
  return email;
}

/** A shopper signs up at checkout: a new customer record, not subscribed to marketing. */
export function createCustomer(store: SandboxStore, rand: Rand, at: number): SandboxCustomer {
  const ids = nextIds(store);
  const first = pick(rand, FIRST_NAMES);
  const last = pick(rand, LAST_NAMES);
  const { address, currency, locale } = newAddress(store, rand, first, last, ids);
  const subscribed = rand() < 0.4;
  const customer: SandboxCustomer = {
    id: ids.customer(),
    firstName: first,
    lastName: last,
    email: uniqueEmail(store, first, last),
    phone: null,
    tags: subscribed ? ["newsletter"] : [],
    state: "enabled",
    note: null,
    verifiedEmail: true,
    taxExempt: false,
    locale,
    currency,
    emailMarketingConsent: subscribed
      ? { state: "subscribed", optInLevel: "single_opt_in", consentUpdatedAt: isoUtc(at) }
      : { state: "not_subscribed", optInLevel: "single_opt_in", consentUpdatedAt: null },
    smsMarketingConsent: null,
    addresses: [address],
    defaultAddressId: address.id,
    createdAt: isoUtc(at),
    updatedAt: isoUtc(at),
  };
  store.customers.push(customer);
  return customer;
}

export type ShopperKind = "repeat" | "new" | "guest";

export interface PlacedOrder {
  order: SandboxOrder;
  /** Set when the shopper created an account at checkout. */
  newCustomer: SandboxCustomer | null;
  /** Warehouse levels whose `available` went down. */
  levels: SandboxInventoryLevel[];
  vipSized: boolean;
}

function salesByVariant(store: SandboxStore): Map<number, number> {
  const sales = new Map<number, number>();
  for (const order of store.orders)
    for (const line of order.lineItems)
      if (line.variantId)
        sales.set(line.variantId, (sales.get(line.variantId) ?? 0) + line.quantity);
  return sales;
}

function popularity(store: SandboxStore, variant: SandboxVariant): number {
  const product = indexStore(store).products.get(variant.productId);
  const definition = PRODUCTS.find((p) => p.title === product?.title);
  return (definition?.popularity ?? 1) * (variant.position === 1 ? 2 : 1);
}

/**
 * A shopper checks out. Returns null when nothing is in stock. Card payments are captured at
 * once (`financialStatus` paid); some orders wait for a manual payment or an authorization.
 */
export function placeOrder(
  store: SandboxStore,
  rand: Rand,
  at: number,
  /** The abandoned checkout the shopper came back to: its customer and basket, what is in stock of it. */
  from?: SandboxCheckout,
): PlacedOrder | null {
  const index = indexStore(store);
  const ids = nextIds(store);
  const active = store.variants.filter(
    (variant) => index.products.get(variant.productId)?.status === "active",
  );
  const stock = new Map<number, number>();
  for (const variant of active)
    stock.set(
      variant.id,
      warehouseLevel(store, variant.inventoryItemId)?.quantities.available ?? 0,
    );
  const inStock = active.filter((variant) => (stock.get(variant.id) ?? 0) > 0);
  if (inStock.length === 0) return null;

  // Who buys: mostly people who bought before (the more they bought, the likelier), some new.
  const roll = from ? 1 : rand();
  const kind: ShopperKind = roll < 0.1 ? "guest" : roll < 0.22 ? "new" : "repeat";
  let customer: SandboxCustomer | null = null;
  let newCustomer: SandboxCustomer | null = null;
  if (from) {
    customer = index.customers.get(from.customerId) ?? null;
  } else if (kind === "repeat") {
    customer = weighted(rand, store.customers, (c) => {
      const count = customerStats(store, c.id).ordersCount;
      return Math.pow(count + 1, 1.5) * (c.tags.includes("vip") ? 2 : 1);
    });
  } else if (kind === "new") {
    customer = newCustomer = createCustomer(store, rand, at);
  }
  const previousOrders = customer ? customerStats(store, customer.id).ordersCount : 0;

  // What they buy.
  const vipSized = from ? false : customer?.tags.includes("vip") ? rand() < 0.35 : rand() < 0.05;
  const picks = new Map<number, number>();
  const take = (variant: SandboxVariant, wanted: number) => {
    const left = (stock.get(variant.id) ?? 0) - (picks.get(variant.id) ?? 0);
    const quantity = Math.min(wanted, left);
    if (quantity > 0) picks.set(variant.id, (picks.get(variant.id) ?? 0) + quantity);
  };
  if (from) {
    for (const line of from.lines) {
      const variant = index.variants.get(line.variantId);
      if (variant && (stock.get(variant.id) ?? 0) > 0) take(variant, line.quantity);
    }
  } else if (vipSized) {
    const byPrice = [...inStock].sort((a, b) => toCents(b.price) - toCents(a.price));
    take(byPrice[0]!, intBetween(rand, 1, 2));
    const expensive = byPrice.filter((v) => toCents(v.price) >= 4800 && !picks.has(v.id));
    for (let i = intBetween(rand, 1, 2); i > 0 && expensive.length > 0; i -= 1)
      take(expensive.splice(Math.floor(rand() * expensive.length), 1)[0]!, intBetween(rand, 2, 3));
    const bulk = inStock.filter((v) => v.title.startsWith("1kg"));
    if (bulk.length > 0) take(pick(rand, bulk), intBetween(rand, 3, 5));
    // Keep adding the dearest thing left until the basket is VIP-sized ($500+).
    const basket = () =>
      [...picks].reduce((sum, [id, qty]) => sum + toCents(index.variants.get(id)!.price) * qty, 0);
    for (const variant of byPrice) {
      if (basket() >= 50_000) break;
      take(variant, 2);
    }
  } else {
    const lineRoll = rand();
    const lines = lineRoll < 0.5 ? 1 : lineRoll < 0.8 ? 2 : lineRoll < 0.95 ? 3 : 4;
    const sales = salesByVariant(store);
    for (let attempt = 0; picks.size < lines && attempt < 20; attempt += 1) {
      const variant = weighted(
        rand,
        inStock,
        (v) => popularity(store, v) + Math.min(5, (sales.get(v.id) ?? 0) / 10),
      );
      if (!picks.has(variant.id)) take(variant, rand() < 0.75 ? 1 : intBetween(rand, 2, 3));
    }
  }
  if (picks.size === 0) return null;

  // Where it goes and what it costs.
  let shippingAddress: SandboxAddress;
  let presentment: CurrencyCode = "USD";
  let locale = "en";
  let email: string;
  if (customer) {
    shippingAddress = {
      ...(customer.addresses[0] ??
        newAddress(store, rand, customer.firstName, customer.lastName, ids).address),
    };
    presentment = customer.currency;
    locale = customer.locale;
    email = customer.email;
  } else {
    const first = pick(rand, FIRST_NAMES);
    const last = pick(rand, LAST_NAMES);
    const made = newAddress(store, rand, first, last, ids);
    shippingAddress = made.address;
    presentment = made.currency;
    locale = made.locale;
    email = uniqueEmail(store, first, last, ".guest");
  }
  const rate = EXCHANGE_RATES[presentment];
  const tax = TAX_BY_COUNTRY[shippingAddress.countryCode] ?? TAX_BY_COUNTRY.US!;
  const discount =
    customer && previousOrders === 0 && rand() < 0.25
      ? { code: "WELCOME10", pct: 0.1 }
      : customer && previousOrders >= 2 && rand() < 0.15
        ? { code: "LOYAL15", pct: 0.15 }
        : null;
  const orderId = ids.order();
  const lineItems: SandboxLineItem[] = [];
  let lineCents = 0;
  let discountCents = 0;
  let taxCents = 0;
  for (const [variantId, quantity] of picks) {
    const variant = index.variants.get(variantId)!;
    const product = index.products.get(variant.productId)!;
    const unit = toCents(variant.price);
    const lineTotal = unit * quantity;
    const lineDiscount = discount ? Math.round(lineTotal * discount.pct) : 0;
    const lineTax = Math.round((lineTotal - lineDiscount) * tax.rate);
    lineCents += lineTotal;
    discountCents += lineDiscount;
    taxCents += lineTax;
    const isDefault = variant.title === "Default Title";
    lineItems.push({
      id: ids.lineItem(),
      variantId: variant.id,
      productId: product.id,
      sku: variant.sku,
      title: product.title,
      variantTitle: isDefault ? null : variant.title,
      name: isDefault ? product.title : `${product.title} - ${variant.title}`,
      vendor: product.vendor,
      quantity,
      price: pair(unit, rate),
      totalDiscount: pair(lineDiscount, rate),
      taxable: variant.taxable,
      requiresShipping: true,
      grams: variant.grams,
      taxLines: [{ title: tax.title, rate: tax.rate, price: pair(lineTax, rate) }],
    });
  }
  const subtotalCents = lineCents - discountCents;
  const shipping =
    shippingAddress.countryCode !== "US"
      ? { title: "International Shipping", cents: 1995 }
      : subtotalCents >= 7500
        ? { title: "Free Shipping", cents: 0 }
        : { title: "Standard Shipping", cents: 795 };
  const totalCents = subtotalCents + shipping.cents + taxCents;
  const sum = (values: MoneyPair[]) =>
    fromCents(values.reduce((acc, v) => acc + toCents(v.presentment), 0));
  const presentmentLines = sum(
    lineItems.map((l) => ({
      shop: l.price.shop,
      presentment: fromCents(toCents(l.price.presentment) * l.quantity),
    })),
  );
  const presentmentDiscounts = sum(lineItems.map((l) => l.totalDiscount));
  const presentmentTax = sum(lineItems.map((l) => l.taxLines[0]!.price));
  const presentmentShipping = fromCents(convertCents(shipping.cents, rate));
  const presentmentSubtotal = fromCents(toCents(presentmentLines) - toCents(presentmentDiscounts));
  const payRoll = rand();
  const financialStatus = payRoll < 0.85 ? "paid" : payRoll < 0.95 ? "pending" : "authorized";
  const number = Math.max(1000, ...store.orders.map((o) => o.orderNumber)) + 1;
  const order: SandboxOrder = {
    id: orderId,
    orderNumber: number,
    name: `#${number}`,
    confirmationNumber: alnum(rand, 9),
    token: alnum(rand, 32, "0123456789abcdef"),
    customerId: customer?.id ?? null,
    email,
    phone: customer?.phone ?? null,
    currency: "USD",
    presentmentCurrency: presentment,
    exchangeRate: rate,
    lineItems,
    shippingLines: [
      {
        id: ids.shippingLine(),
        title: shipping.title,
        code: shipping.title,
        source: "shopify",
        price: { shop: fromCents(shipping.cents), presentment: presentmentShipping },
      },
    ],
    taxLines: [
      {
        title: tax.title,
        rate: tax.rate,
        price: { shop: fromCents(taxCents), presentment: presentmentTax },
      },
    ],
    discountCodes: discount
      ? [{ code: discount.code, amount: fromCents(discountCents), type: "percentage" }]
      : [],
    totals: {
      lineItems: { shop: fromCents(lineCents), presentment: presentmentLines },
      discounts: { shop: fromCents(discountCents), presentment: presentmentDiscounts },
      subtotal: { shop: fromCents(subtotalCents), presentment: presentmentSubtotal },
      shipping: { shop: fromCents(shipping.cents), presentment: presentmentShipping },
      tax: { shop: fromCents(taxCents), presentment: presentmentTax },
      total: {
        shop: fromCents(totalCents),
        presentment: fromCents(
          toCents(presentmentSubtotal) + toCents(presentmentShipping) + toCents(presentmentTax),
        ),
      },
    },
    financialStatus,
    fulfillmentStatus: null,
    gateway: financialStatus === "pending" ? "manual" : "shopify_payments",
    sourceName: "web",
    tags: vipSized ? ["high-value"] : [],
    note: null,
    buyerAcceptsMarketing: customer?.emailMarketingConsent.state === "subscribed",
    customerLocale: locale,
    shippingAddress,
    billingAddress: shippingAddress,
    refunds: [],
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    test: false,
    createdAt: isoUtc(at),
    processedAt: isoUtc(at),
    updatedAt: isoUtc(at),
    ...(from ? { checkoutToken: from.token, checkoutId: from.id } : {}),
  };
  store.orders.push(order);
  const levels: SandboxInventoryLevel[] = [];
  for (const line of lineItems) {
    const level = warehouseLevel(store, index.variants.get(line.variantId!)!.inventoryItemId);
    if (level) {
      commit(level, line.quantity, at);
      if (!levels.includes(level)) levels.push(level);
    }
  }
  if (customer) customer.updatedAt = isoUtc(at);
  return { order, newCustomer, levels, vipSized };
}

/** One line a post-purchase changeset adds: a variant, a quantity, the offer's discount. */
export interface AddedLine {
  variantId: number;
  quantity: number;
  discount?: { valueType: "percentage" | "fixed_amount"; value: number } | null;
}

/**
 * What adding `added` to `order` costs, as Shopify's calculateChangeset prices it: the variant's
 * price times the quantity, less the offer's discount (a percentage of the line, or a fixed amount
 * off it, as the app prices it), taxed at the order's rate, no extra shipping. Null when the
 * variant is unknown or short of stock.
 */
export function priceChangesetLine(store: SandboxStore, order: SandboxOrder, added: AddedLine) {
  const index = indexStore(store);
  const variant = index.variants.get(added.variantId);
  const product = variant ? index.products.get(variant.productId) : undefined;
  if (!variant || !product) return null;
  const level = warehouseLevel(store, variant.inventoryItemId) ?? null;
  if (level && level.quantities.available < added.quantity) return null;
  const lineCents = toCents(variant.price) * added.quantity;
  const discount = added.discount;
  const discountCents = !discount
    ? 0
    : discount.valueType === "percentage"
      ? Math.round((lineCents * Math.min(100, Math.max(0, discount.value))) / 100)
      : Math.min(lineCents, Math.round(discount.value * 100));
  const taxRate = order.taxLines[0]?.rate ?? 0;
  const taxCents = Math.round((lineCents - discountCents) * taxRate);
  return { variant, product, level, lineCents, discountCents, taxRate, taxCents };
}

/**
 * Applies an accepted post-purchase offer to its order as Shopify does: one committed order edit
 * adding the line priced by priceChangesetLine; the order's totals grow and the stock is
 * reserved. Null when the variant is unknown or out of stock.
 */
export function addChangesetLine(
  store: SandboxStore,
  order: SandboxOrder,
  added: AddedLine,
  at: number,
): { edit: SandboxOrderEdit; line: SandboxLineItem; level: SandboxInventoryLevel | null } | null {
  const priced = priceChangesetLine(store, order, added);
  if (!priced) return null;
  const { variant, product, level, lineCents, discountCents, taxRate, taxCents } = priced;
  const ids = nextIds(store);
  const rate = order.exchangeRate;
  const isDefault = variant.title === "Default Title";
  const line: SandboxLineItem = {
    id: ids.lineItem(),
    variantId: variant.id,
    productId: product.id,
    sku: variant.sku,
    title: product.title,
    variantTitle: isDefault ? null : variant.title,
    name: isDefault ? product.title : `${product.title} - ${variant.title}`,
    vendor: product.vendor,
    quantity: added.quantity,
    price: pair(toCents(variant.price), rate),
    totalDiscount: pair(discountCents, rate),
    taxable: variant.taxable,
    requiresShipping: true,
    grams: variant.grams,
    taxLines: order.taxLines[0]
      ? [{ title: order.taxLines[0].title, rate: taxRate, price: pair(taxCents, rate) }]
      : [],
  };
  order.lineItems.push(line);
  const grow = (money: { shop: string; presentment: string }, cents: number) => {
    money.shop = fromCents(toCents(money.shop) + cents);
    money.presentment = fromCents(toCents(money.presentment) + convertCents(cents, rate));
  };
  grow(order.totals.lineItems, lineCents);
  grow(order.totals.discounts, discountCents);
  grow(order.totals.subtotal, lineCents - discountCents);
  grow(order.totals.tax, taxCents);
  grow(order.totals.total, lineCents - discountCents + taxCents);
  if (order.taxLines[0]) grow(order.taxLines[0].price, taxCents);
  order.updatedAt = isoUtc(at);
  if (level) commit(level, added.quantity, at);
  const edit: SandboxOrderEdit = {
    id: ids.orderEdit(),
    orderId: order.id,
    createdAt: isoUtc(at),
    additions: [{ lineItemId: line.id, delta: added.quantity }],
  };
  (store.orderEdits ??= []).push(edit);
  return { edit, line, level };
}

/**
 * A returning customer fills a cart (one to three popular items in stock, now and then a big one)
 * and leaves at checkout. Null when nothing is in stock or nobody has an account yet.
 */
export function abandonCheckout(
  store: SandboxStore,
  rand: Rand,
  at: number,
): SandboxCheckout | null {
  const index = indexStore(store);
  const inStock = store.variants.filter(
    (variant) =>
      index.products.get(variant.productId)?.status === "active" &&
      (warehouseLevel(store, variant.inventoryItemId)?.quantities.available ?? 0) > 0,
  );
  if (inStock.length === 0 || store.customers.length === 0) return null;
  const customer = weighted(rand, store.customers, (c) =>
    Math.pow(customerStats(store, c.id).ordersCount + 1, 1.5),
  );
  const lines = new Map<number, number>();
  const wanted = rand() < 0.6 ? 1 : rand() < 0.8 ? 2 : 3;
  for (let attempt = 0; lines.size < wanted && attempt < 20; attempt += 1) {
    const variant = weighted(rand, inStock, (v) => popularity(store, v));
    if (!lines.has(variant.id)) lines.set(variant.id, rand() < 0.75 ? 1 : intBetween(rand, 2, 3));
  }
  if (rand() < 0.08) {
    const dearest = [...inStock].sort((a, b) => toCents(b.price) - toCents(a.price))[0]!;
    lines.set(dearest.id, intBetween(rand, 4, 8));
  }
  store.checkouts ??= [];
  const checkout: SandboxCheckout = {
    id: Math.max(2_000_000_000_000, ...store.checkouts.map((c) => c.id)) + 1,
    token: alnum(rand, 32, "0123456789abcdef"),
    customerId: customer.id,
    email: customer.email,
    lines: [...lines].map(([variantId, quantity]) => ({ variantId, quantity })),
    createdAt: isoUtc(at - intBetween(rand, 3, 25) * 60_000),
    updatedAt: isoUtc(at),
    completedAt: null,
    orderId: null,
    closedAt: null,
  };
  store.checkouts.push(checkout);
  return checkout;
}

/** A pending or authorized payment is captured. */
export function capturePayment(order: SandboxOrder, at: number): void {
  order.financialStatus = "paid";
  if (order.gateway === "manual") order.gateway = "bank_deposit";
  order.updatedAt = isoUtc(at);
}

/**
 * Tags that follow what a customer spent, as the shop's own automation keeps them: "repeat" from
 * the third order, "vip" from $600. Returns true when the customer record changed.
 */
export function refreshCustomerTags(
  store: SandboxStore,
  customer: SandboxCustomer,
  at: number,
): boolean {
  const stats = customerStats(store, customer.id);
  const wanted = new Set(customer.tags);
  if (stats.ordersCount >= 3) wanted.add("repeat");
  if (stats.totalSpentCents >= 60_000) wanted.add("vip");
  const changed = wanted.size !== customer.tags.length;
  if (changed) customer.tags = [...wanted].sort();
  customer.updatedAt = isoUtc(at);
  return changed;
}

/** A customer subscribes to or unsubscribes from email marketing. */
export function toggleEmailConsent(
  customer: SandboxCustomer,
  at: number,
): "subscribed" | "unsubscribed" {
  const subscribing = customer.emailMarketingConsent.state !== "subscribed";
  customer.emailMarketingConsent = subscribing
    ? { state: "subscribed", optInLevel: "single_opt_in", consentUpdatedAt: isoUtc(at) }
    : {
        state: "unsubscribed",
        optInLevel: customer.emailMarketingConsent.optInLevel ?? "single_opt_in",
        consentUpdatedAt: isoUtc(at),
      };
  const tags = new Set(customer.tags);
  if (subscribing) tags.add("newsletter");
  else tags.delete("newsletter");
  customer.tags = [...tags].sort();
  customer.updatedAt = isoUtc(at);
  return subscribing ? "subscribed" : "unsubscribed";
}

// ---------------------------------------------------------------------------------------------
// Fulfillment and shipping

/** Quantity of each line still to ship. */
export function unfulfilledLines(
  store: SandboxStore,
  order: SandboxOrder,
): { line: SandboxLineItem; quantity: number }[] {
  return order.lineItems
    .filter((line) => line.requiresShipping)
    .map((line) => ({
      line,
      quantity:
        line.quantity -
        fulfilledQuantity(store, order.id, line.id) -
        refundedQuantity(order, line.id),
    }))
    .filter((entry) => entry.quantity > 0);
}

function carrierFor(rand: Rand, countryCode: string): CarrierDefinition {
  if (countryCode === "US")
    return pick(
      rand,
      CARRIERS.filter((carrier) => carrier.domestic),
    );
  if (countryCode === "CA")
    return pick(
      rand,
      CARRIERS.filter((c) => c.company === "Canada Post" || c.company === "DHL Express"),
    );
  return CARRIERS.find((carrier) => carrier.company === "DHL Express")!;
}

function digits(rand: Rand, count: number): string {
  let out = "";
  for (let i = 0; i < count; i += 1) out += String(Math.floor(rand() * 10));
  return out;
}

/** Where a scan happens: the origin hub, a hub on the way, or the customer's door. */
function eventPlace(order: SandboxOrder | undefined, status: ShipmentStatus, rand: Rand) {
  const none = {
    address1: null,
    city: null,
    province: null,
    country: null,
    zip: null,
    latitude: null,
    longitude: null,
  };
  if (status === "confirmed" || status === "label_printed" || status === "label_purchased")
    return { ...none, ...HUBS[0]! };
  if (status === "in_transit" || status === "delayed")
    return { ...none, ...pick(rand, HUBS.slice(1)) };
  const destination = order?.shippingAddress;
  if (!destination) return none;
  return {
    address1:
      status === "delivered" || status === "attempted_delivery" || status === "failure"
        ? destination.address1
        : null,
    city: destination.city,
    province: destination.province,
    country: destination.country,
    zip: destination.zip,
    latitude: destination.latitude,
    longitude: destination.longitude,
  };
}

/** The carrier scans the parcel: a tracking event, and the fulfillment's shipment status follows. */
export function addShipmentEvent(
  store: SandboxStore,
  fulfillment: SandboxFulfillment,
  status: ShipmentStatus,
  at: number,
  rand: Rand,
): SandboxFulfillmentEvent {
  const ids = nextIds(store);
  const order = indexStore(store).orders.get(fulfillment.orderId);
  if (status === "delayed" && fulfillment.estimatedDeliveryAt) {
    fulfillment.estimatedDeliveryAt = isoUtc(
      Math.max(Date.parse(fulfillment.estimatedDeliveryAt), at) + 2 * DAY_MS,
    );
  }
  const event: SandboxFulfillmentEvent = {
    id: ids.fulfillmentEvent(),
    fulfillmentId: fulfillment.id,
    orderId: fulfillment.orderId,
    status,
    message: SHIPMENT_MESSAGES[status] ?? status,
    happenedAt: isoUtc(at),
    estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
    ...eventPlace(order, status, rand),
    createdAt: isoUtc(at),
    updatedAt: isoUtc(at),
  };
  fulfillment.events.push(event);
  fulfillment.shipmentStatus = status;
  fulfillment.updatedAt = isoUtc(at);
  if (order) order.updatedAt = isoUtc(at);
  return event;
}

/** The warehouse ships every line still open: a fulfillment with tracking and its first scan. */
export function fulfillOrder(
  store: SandboxStore,
  order: SandboxOrder,
  at: number,
  rand: Rand,
): { fulfillment: SandboxFulfillment; event: SandboxFulfillmentEvent } | null {
  const open = unfulfilledLines(store, order);
  if (open.length === 0) return null;
  const ids = nextIds(store);
  const carrier = carrierFor(rand, order.shippingAddress?.countryCode ?? "US");
  const tracking = carrier.trackingNumber(() => digits(rand, 12));
  const count = store.fulfillments.filter((f) => f.orderId === order.id).length;
  const fulfillment: SandboxFulfillment = {
    id: ids.fulfillment(),
    orderId: order.id,
    name: `${order.name}.${count + 1}`,
    status: "success",
    shipmentStatus: null,
    trackingCompany: carrier.company,
    trackingNumbers: [tracking],
    trackingUrls: [carrier.trackingUrl(tracking)],
    locationId: store.shop.primaryLocationId,
    lineItems: open.map(({ line, quantity }) => ({
      id: ids.fulfillmentLineItem(),
      lineItemId: line.id,
      quantity,
    })),
    events: [],
    estimatedDeliveryAt: carrier.estimates ? isoUtc(at + intBetween(rand, 3, 5) * DAY_MS) : null,
    createdAt: isoUtc(at),
    updatedAt: isoUtc(at),
  };
  store.fulfillments.push(fulfillment);
  const index = indexStore(store);
  for (const { line, quantity } of open) {
    const variant = line.variantId ? index.variants.get(line.variantId) : undefined;
    const level = variant ? warehouseLevel(store, variant.inventoryItemId) : undefined;
    if (level) ship(level, quantity, at);
  }
  order.fulfillmentStatus = unfulfilledLines(store, order).length === 0 ? "fulfilled" : "partial";
  order.updatedAt = isoUtc(at);
  const event = addShipmentEvent(store, fulfillment, "confirmed", at, rand);
  return { fulfillment, event };
}

export const TERMINAL_SHIPMENT_STATUSES: ReadonlySet<ShipmentStatus> = new Set([
  "delivered",
  "failure",
]);
export const TROUBLED_SHIPMENT_STATUSES: ReadonlySet<ShipmentStatus> = new Set([
  "delayed",
  "failure",
  "attempted_delivery",
]);

/** The next scan for a parcel and how long after the last one it comes; null once it arrived or failed. */
export function nextShipmentStep(
  fulfillment: SandboxFulfillment,
  rand: Rand,
): { status: ShipmentStatus; afterMs: number } | null {
  const current = fulfillment.shipmentStatus;
  if (current && TERMINAL_SHIPMENT_STATUSES.has(current)) return null;
  const hours = (min: number, max: number) => Math.round(between(rand, min, max) * HOUR_MS);
  const roll = rand();
  switch (current) {
    case null:
    case "label_printed":
    case "label_purchased":
      return { status: "confirmed", afterMs: hours(0.5, 2) };
    case "confirmed":
      return { status: "in_transit", afterMs: hours(8, 16) };
    case "ready_for_pickup":
      return { status: "delivered", afterMs: hours(20, 48) };
    case "in_transit":
      return roll < 0.78
        ? { status: "out_for_delivery", afterMs: hours(20, 40) }
        : { status: "delayed", afterMs: hours(18, 36) };
    case "delayed":
      // A parcel that has been delayed twice goes out for delivery next, so none loops forever.
      return roll < 0.6 && fulfillment.events.filter((e) => e.status === "delayed").length < 2
        ? { status: "in_transit", afterMs: hours(10, 24) }
        : { status: "out_for_delivery", afterMs: hours(20, 36) };
    case "out_for_delivery":
      return roll < 0.8
        ? { status: "delivered", afterMs: hours(2, 8) }
        : roll < 0.92
          ? { status: "attempted_delivery", afterMs: hours(3, 9) }
          : { status: "failure", afterMs: hours(3, 9) };
    case "attempted_delivery":
      return { status: "out_for_delivery", afterMs: hours(16, 26) };
    default:
      return null;
  }
}

/** Orders per hour over the shop's local day: quiet at night, busiest in the evening. */
const HOURLY_WEIGHTS = [
  0.25, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 0.9, 1.1, 1.2, 1.3, 1.4, 1.5, 1.4, 1.3, 1.3, 1.4, 1.6, 1.9,
  2, 1.8, 1.4, 0.9, 0.5,
];
const MEAN_WEIGHT = HOURLY_WEIGHTS.reduce((a, b) => a + b, 0) / HOURLY_WEIGHTS.length;

export function shopLocalHour(store: SandboxStore, at: number): number {
  const hour = new Intl.DateTimeFormat("en-US", {
    timeZone: store.shop.ianaTimezone,
    hour: "numeric",
    hourCycle: "h23",
  }).format(new Date(at));
  return Number(hour) % 24;
}

/**
 * Time until the next order: a Poisson process around `ordersPerDay` whose rate follows the
 * shop's local hour (drawn by thinning, so a quiet night does not stretch into the morning).
 */
export function nextOrderGapMs(
  store: SandboxStore,
  at: number,
  rand: Rand,
  ordersPerDay: number,
): number {
  const perHourAt = (t: number) =>
    (ordersPerDay / 24) * (HOURLY_WEIGHTS[shopLocalHour(store, t)]! / MEAN_WEIGHT);
  const maxPerHour = (ordersPerDay / 24) * (Math.max(...HOURLY_WEIGHTS) / MEAN_WEIGHT);
  let t = at;
  for (let draw = 0; draw < 1_000; draw += 1) {
    t += (-Math.log(1 - rand()) / maxPerHour) * HOUR_MS;
    if (rand() * maxPerHour <= perHourAt(t)) break;
  }
  return Math.max(60_000, Math.round(t - at));
}
