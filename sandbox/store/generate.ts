import { seededRandom } from "../fakes/common";
import {
  CARRIERS,
  CITIES,
  COLLECTIONS,
  CUSTOMER_NOTES,
  EXCHANGE_RATES,
  FIRST_NAMES,
  HUBS,
  LAST_NAMES,
  LOCATIONS,
  ORDER_TAGS,
  PRODUCTS,
  SHIPMENT_MESSAGES,
  STREETS,
  type CarrierDefinition,
  type CityDefinition,
} from "./catalog";
import { ID_BASE } from "./ids";
import { convertCents, fromCents } from "./money";
import { DAY_MS, HOUR_MS, isoUtc } from "./time";
import type {
  CurrencyCode,
  FinancialStatus,
  FulfillmentStatus,
  InventoryQuantityName,
  MoneyPair,
  SandboxAddress,
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
  SandboxRefund,
  SandboxShop,
  SandboxStore,
  SandboxVariant,
  ShipmentStatus,
} from "./types";

export const DEFAULT_SHOP_DOMAIN = "switchboard-sandbox.myshopify.com";
export const DEFAULT_SHOP_NAME = "Switchboard Sandbox";
/** "Now" for the generated history unless a baseDate is passed. */
export const DEFAULT_BASE_DATE = "2026-11-01T12:00:00Z";
/**
 * Product images point here unless imageBaseUrl is passed. `.invalid` never resolves, so
 * nothing reaches the network; the demo can pass a loopback URL that serves placeholders.
 */
export const DEFAULT_IMAGE_BASE_URL = "https://images.switchboard-sandbox.invalid/products";

export interface CreateSandboxStoreOptions {
  /** Same seed (and options) → identical store. Default 1. */
  seed?: number;
  /** `*.myshopify.com` domain. Default switchboard-sandbox.myshopify.com. */
  shopDomain?: string;
  shopName?: string;
  /** "Now" for the history: orders spread over the ~400 days before it. Default DEFAULT_BASE_DATE. */
  baseDate?: string | Date;
  imageBaseUrl?: string;
  /** Number of customers. Default 200. */
  customerCount?: number;
}

/** Small helper over common.ts's mulberry32. */
class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let roll = this.next() * total;
    for (const item of items) {
      roll -= weight(item);
      if (roll < 0) return item;
    }
    return items[items.length - 1]!;
  }
  digits(count: number): string {
    let out = "";
    for (let i = 0; i < count; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }
  alnum(count: number, alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"): string {
    let out = "";
    for (let i = 0; i < count; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** FNV-1a, to derive independent streams (and the shop id) from the seed and a label. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function stream(seed: number, label: string): Rng {
  return new Rng(hash(`${seed}:${label}`));
}

function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function pair(shopCents: number, rate: number): MoneyPair {
  return { shop: fromCents(shopCents), presentment: fromCents(convertCents(shopCents, rate)) };
}

const TAX_BY_COUNTRY: Record<string, { title: string; rate: number }> = {
  US: { title: "State Tax", rate: 0.085 },
  CA: { title: "GST", rate: 0.05 },
  GB: { title: "VAT", rate: 0.2 },
  DE: { title: "VAT", rate: 0.19 },
  FR: { title: "VAT", rate: 0.2 },
};

interface Counter {
  next(type: keyof typeof ID_BASE): number;
}

function idCounter(): Counter {
  const used = new Map<string, number>();
  return {
    next(type) {
      const n = (used.get(type) ?? 0) + 1;
      used.set(type, n);
      return ID_BASE[type] + n;
    },
  };
}

/**
 * Builds the sandbox store: a shop with 2 locations, 30 products (64 variants) in 5 collections
 * with inventory at both locations, 200 customers and ~330 orders over the ~400 days before
 * `baseDate`, with fulfillments, tracking events and refunds. Deterministic: the same options
 * give the same data, down to every id and timestamp.
 */
export function createSandboxStore(options: CreateSandboxStoreOptions = {}): SandboxStore {
  const seed = options.seed ?? 1;
  const domain = options.shopDomain ?? DEFAULT_SHOP_DOMAIN;
  const baseDate = isoUtc(new Date(options.baseDate ?? DEFAULT_BASE_DATE).getTime());
  const now = Date.parse(baseDate);
  if (!Number.isFinite(now)) throw new Error(`invalid baseDate: ${String(options.baseDate)}`);
  const imageBase = (options.imageBaseUrl ?? DEFAULT_IMAGE_BASE_URL).replace(/\/$/, "");
  const launch = now - 420 * DAY_MS;
  const ids = idCounter();

  // ---- shop and locations ----
  const shopId = 60_000_000_000 + (hash(domain) % 9_000_000_000);
  const locations: SandboxLocation[] = LOCATIONS.map((definition) => ({
    id: ids.next("Location"),
    name: definition.name,
    address: { ...definition.address },
    isActive: true,
    fulfillsOnlineOrders: definition.fulfillsOnlineOrders,
    createdAt: isoUtc(launch - 30 * DAY_MS),
    updatedAt: isoUtc(launch - 10 * DAY_MS),
  }));
  const warehouse = locations[0]!;
  const shop: SandboxShop = {
    id: shopId,
    name: options.shopName ?? DEFAULT_SHOP_NAME,
    domain,
    primaryDomain: domain,
    email: "owner@example.com",
    customerEmail: "hello@example.com",
    shopOwner: "Sam Sandbox",
    currency: "USD",
    enabledPresentmentCurrencies: ["USD", "CAD", "EUR", "GBP"],
    planDisplayName: "Shopify",
    planName: "professional",
    ianaTimezone: "America/Los_Angeles",
    timezone: "(GMT-08:00) America/Los_Angeles",
    moneyFormat: "${{amount}}",
    moneyWithCurrencyFormat: "${{amount}} USD",
    weightUnit: "kg",
    taxesIncluded: false,
    taxShipping: false,
    primaryLocale: "en",
    address: { ...warehouse.address, latitude: 45.51, longitude: -122.66 },
    primaryLocationId: warehouse.id,
    createdAt: isoUtc(launch - 40 * DAY_MS),
    updatedAt: isoUtc(now - 12 * DAY_MS),
  };

  // ---- catalogue ----
  const catalogRng = stream(seed, "catalog");
  const products: SandboxProduct[] = [];
  const variants: SandboxVariant[] = [];
  const inventoryItems: SandboxInventoryItem[] = [];
  const popularity = new Map<number, number>();
  for (const [index, definition] of PRODUCTS.entries()) {
    const productId = ids.next("Product");
    const handle = slugify(definition.title);
    const isNew = definition.tags.includes("new");
    const createdMs = isNew
      ? now - catalogRng.int(18, 30) * DAY_MS
      : launch + index * 1.5 * DAY_MS + catalogRng.int(0, 20) * HOUR_MS;
    const updatedMs = Math.min(now - HOUR_MS, createdMs + catalogRng.int(2, 120) * DAY_MS);
    const optionDefs: [string, string[]][] =
      definition.options.length > 0 ? definition.options : [["Title", ["Default Title"]]];
    let combos: string[][] = [[]];
    for (const [, values] of optionDefs)
      combos = combos.flatMap((combo) => values.map((value) => [...combo, value]));
    combos = combos.slice(0, 4);
    const images = Array.from({ length: definition.images }, (_, i) => {
      const colorValue = definition.imageOption
        ? definition.options.find(([name]) => name === definition.imageOption)?.[1][i]
        : undefined;
      return {
        mediaId: ids.next("MediaImage"),
        imageId: ids.next("ProductImage"),
        url: `${imageBase}/${handle}-${i + 1}.png`,
        altText: colorValue
          ? `${definition.title} in ${colorValue}`
          : i === 0
            ? definition.title
            : `${definition.title}, detail ${i}`,
        width: 1200,
        height: 1200,
        position: i + 1,
        createdAt: isoUtc(createdMs),
      };
    });
    const tags = [...definition.tags];
    if (catalogRng.chance(0.2)) tags.push("staff-pick");
    const onSale = definition.tags.includes("sale") || catalogRng.chance(0.12);
    const product: SandboxProduct = {
      id: productId,
      title: definition.title,
      handle,
      descriptionHtml: `<p>${definition.description}</p>`,
      vendor: definition.vendor,
      productType: definition.productType,
      tags: tags.sort(),
      status: "active",
      options: optionDefs.map(([name, values], position) => ({
        id: ids.next("ProductOption"),
        name,
        position: position + 1,
        values: values.filter((value) => combos.some((combo) => combo[position] === value)),
      })),
      images,
      variantIds: [],
      createdAt: isoUtc(createdMs),
      updatedAt: isoUtc(updatedMs),
      publishedAt: isoUtc(createdMs + HOUR_MS),
    };
    const initials = definition.title
      .split(/[\s-]+/)
      .map((word) => word.replace(/[^A-Za-z]/g, "")[0] ?? "")
      .join("")
      .toUpperCase()
      .slice(0, 3);
    for (const [position, combo] of combos.entries()) {
      const variantId = ids.next("ProductVariant");
      const inventoryItemId = ids.next("InventoryItem");
      const isDefault = definition.options.length === 0;
      const priceCents =
        definition.price + combo.reduce((sum, value) => sum + (definition.deltas?.[value] ?? 0), 0);
      const optionCode = isDefault
        ? "STD"
        : combo
            .map((value) =>
              value
                .replace(/[^A-Za-z0-9]/g, "")
                .slice(0, 4)
                .toUpperCase(),
            )
            .join("-");
      const sku = `SB-${String(index + 1).padStart(2, "0")}${initials}-${optionCode}`;
      const colorIndex = definition.imageOption
        ? definition.options
            .find(([name]) => name === definition.imageOption)?.[1]
            .indexOf(
              combo[definition.options.findIndex(([name]) => name === definition.imageOption)] ??
                "",
            )
        : undefined;
      const grams = combo.includes("1kg")
        ? 1000
        : combo.includes("6 bags")
          ? definition.grams * 2
          : definition.grams;
      variants.push({
        id: variantId,
        productId,
        title: isDefault ? "Default Title" : combo.join(" / "),
        sku,
        barcode: `84${String(index + 1).padStart(3, "0")}${String(position + 1).padStart(2, "0")}${catalogRng.digits(5)}`,
        price: fromCents(priceCents),
        compareAtPrice: onSale ? fromCents(Math.round((priceCents * 1.3) / 100) * 100) : null,
        position: position + 1,
        selectedOptions: optionDefs.map(([name], i) => ({ name, value: combo[i]! })),
        inventoryItemId,
        inventoryPolicy: "deny",
        taxable: true,
        grams,
        mediaId:
          colorIndex !== undefined && colorIndex >= 0
            ? (images[colorIndex]?.mediaId ?? null)
            : null,
        createdAt: isoUtc(createdMs),
        updatedAt: isoUtc(updatedMs),
      });
      inventoryItems.push({
        id: inventoryItemId,
        variantId,
        sku,
        tracked: true,
        requiresShipping: true,
        unitCost: fromCents(Math.round(priceCents * definition.costShare)),
        countryCodeOfOrigin:
          definition.productType === "Coffee" ? "US" : catalogRng.pick(["US", "JP", "PT", "CN"]),
        harmonizedSystemCode: null,
        createdAt: isoUtc(createdMs),
        updatedAt: isoUtc(updatedMs),
      });
      product.variantIds.push(variantId);
      popularity.set(variantId, definition.popularity * (position === 0 ? 2 : 1));
    }
    products.push(product);
  }
  const variantById = new Map(variants.map((variant) => [variant.id, variant]));
  const productById = new Map(products.map((product) => [product.id, product]));

  const collections: SandboxCollection[] = COLLECTIONS.map((definition, index) => ({
    id: ids.next("Collection"),
    title: definition.title,
    handle: definition.key,
    descriptionHtml: `<p>${definition.description}</p>`,
    productIds: products
      .filter((_, i) => PRODUCTS[i]!.collections.includes(definition.key))
      .map((product) => product.id),
    sortOrder: definition.sortOrder,
    publishedAt: isoUtc(launch + index * DAY_MS),
    updatedAt: isoUtc(now - (20 + index * 7) * DAY_MS),
  }));

  // ---- customers ----
  const customerRng = stream(seed, "customers");
  const customerCount = options.customerCount ?? 200;
  const customers: SandboxCustomer[] = [];
  const customerCity = new Map<number, CityDefinition>();
  const usedEmails = new Set<string>();
  let usPhones = 0;
  let gbPhones = 0;
  const makeAddress = (
    rng: Rng,
    first: string,
    last: string,
    city: CityDefinition,
    phone: string | null,
  ): SandboxAddress => ({
    id: ids.next("MailingAddress"),
    firstName: first,
    lastName: last,
    company: rng.chance(0.08) ? `${last} & Co.` : null,
    address1: `${rng.int(12, 4800)} ${rng.pick(STREETS)}`,
    address2: rng.chance(0.22) ? `Apt ${rng.int(1, 48)}` : null,
    city: city.city,
    province: city.province,
    provinceCode: city.provinceCode,
    country: city.country,
    countryCode: city.countryCode,
    zip: city.zip,
    phone,
    latitude: Math.round((city.latitude + rng.between(-0.04, 0.04)) * 1e4) / 1e4,
    longitude: Math.round((city.longitude + rng.between(-0.04, 0.04)) * 1e4) / 1e4,
  });
  const uniqueEmail = (first: string, last: string): string => {
    const local = slugify(`${first}.${last}`).replace(/-/g, ".");
    let email = `${local}@example.com`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@example.com`;
    usedEmails.add(email);
    return email;
  };
  for (let i = 0; i < customerCount; i++) {
    const first = customerRng.pick(FIRST_NAMES);
    const last = customerRng.pick(LAST_NAMES);
    const city = customerRng.weighted(CITIES, (c) => c.weight);
    let phone: string | null = null;
    if (
      (city.countryCode === "US" || city.countryCode === "CA") &&
      customerRng.chance(0.45) &&
      usPhones < 100
    ) {
      phone = `+1503555${String(100 + usPhones++).padStart(4, "0")}`;
    } else if (city.countryCode === "GB" && customerRng.chance(0.5) && gbPhones < 1000) {
      phone = `+447700900${String(gbPhones++).padStart(3, "0")}`;
    }
    const createdMs = launch + customerRng.float() * (now - launch - 2 * DAY_MS);
    const consentRoll = customerRng.float();
    const emailMarketingConsent: SandboxCustomer["emailMarketingConsent"] =
      consentRoll < 0.45
        ? {
            state: "subscribed",
            optInLevel: customerRng.chance(0.4) ? "confirmed_opt_in" : "single_opt_in",
            consentUpdatedAt: isoUtc(createdMs + customerRng.int(0, 3600) * 1000),
          }
        : consentRoll < 0.82
          ? { state: "not_subscribed", optInLevel: "single_opt_in", consentUpdatedAt: null }
          : consentRoll < 0.95
            ? {
                state: "unsubscribed",
                optInLevel: "single_opt_in",
                consentUpdatedAt: isoUtc(
                  Math.min(now - HOUR_MS, createdMs + customerRng.int(5, 200) * DAY_MS),
                ),
              }
            : {
                state: "pending",
                optInLevel: "confirmed_opt_in",
                consentUpdatedAt: isoUtc(createdMs + 60_000),
              };
    const smsRoll = customerRng.float();
    const smsMarketingConsent: SandboxCustomer["smsMarketingConsent"] = phone
      ? smsRoll < 0.3
        ? {
            state: "subscribed",
            optInLevel: "single_opt_in",
            consentUpdatedAt: isoUtc(createdMs + 120_000),
            consentCollectedFrom: "SHOPIFY",
          }
        : smsRoll < 0.9
          ? {
              state: "not_subscribed",
              optInLevel: "single_opt_in",
              consentUpdatedAt: null,
              consentCollectedFrom: "OTHER",
            }
          : {
              state: "unsubscribed",
              optInLevel: "single_opt_in",
              consentUpdatedAt: isoUtc(Math.min(now - HOUR_MS, createdMs + 30 * DAY_MS)),
              consentCollectedFrom: "SHOPIFY",
            }
      : null;
    const address = makeAddress(customerRng, first, last, city, phone);
    const stateRoll = customerRng.float();
    const tags: string[] = [];
    if (emailMarketingConsent.state === "subscribed") tags.push("newsletter");
    if (city.city === "Portland") tags.push("local");
    if (customerRng.chance(0.06)) tags.push("wholesale");
    const customer: SandboxCustomer = {
      id: ids.next("Customer"),
      firstName: first,
      lastName: last,
      email: uniqueEmail(first, last),
      phone,
      tags,
      state: stateRoll < 0.4 ? "enabled" : stateRoll < 0.95 ? "disabled" : "invited",
      note: customerRng.chance(0.05) ? customerRng.pick(CUSTOMER_NOTES) : null,
      verifiedEmail: customerRng.chance(0.9),
      taxExempt: tags.includes("wholesale"),
      locale: city.locale,
      currency: city.currency,
      emailMarketingConsent,
      smsMarketingConsent,
      addresses: [address],
      defaultAddressId: address.id,
      createdAt: isoUtc(createdMs),
      updatedAt: isoUtc(createdMs),
    };
    customers.push(customer);
    customerCity.set(customer.id, city);
  }

  // ---- order drafts (who buys when), then build in chronological order ----
  const orderRng = stream(seed, "orders");
  interface Draft {
    customer: SandboxCustomer | null;
    at: number;
    bigSpender: boolean;
  }
  const drafts: Draft[] = [];
  const firstOrderStart = now - 400 * DAY_MS;
  for (const customer of customers) {
    const roll = orderRng.float();
    const count =
      roll < 0.22 ? 0 : roll < 0.62 ? 1 : roll < 0.82 ? 2 : roll < 0.92 ? 3 : orderRng.int(4, 8);
    const bigSpender = count > 0 && orderRng.chance(0.06);
    const from = Math.max(Date.parse(customer.createdAt), firstOrderStart);
    for (let k = 0; k < count; k++) {
      drafts.push({ customer, at: from + orderRng.float() * (now - from - HOUR_MS), bigSpender });
    }
  }
  for (let g = 0; g < 12; g++)
    drafts.push({
      customer: null,
      at: firstOrderStart + orderRng.float() * (now - firstOrderStart - HOUR_MS),
      bigSpender: false,
    });
  drafts.sort((a, b) => a.at - b.at);

  const orders: SandboxOrder[] = [];
  const fulfillments: SandboxFulfillment[] = [];
  const ordersSoFar = new Map<number, number>();
  const productWeights = variants.map((variant) => ({
    variant,
    weight: popularity.get(variant.id) ?? 1,
  }));
  const expensive = variants.filter(
    (variant) => Number(variant.price) >= 48 && variant.grams >= 450,
  );
  const bulkCoffee = variants.filter((variant) => variant.title.startsWith("1kg"));
  const grinder = variants.reduce((best, variant) =>
    Number(variant.price) > Number(best.price) ? variant : best,
  );
  const clampNow = (ms: number) => Math.min(ms, now - 60_000);

  for (const [index, draft] of drafts.entries()) {
    const orderId = ids.next("Order");
    const orderNumber = 1001 + index;
    const name = `#${orderNumber}`;
    const createdMs = Math.floor(draft.at / 1000) * 1000;
    const ageDays = (now - createdMs) / DAY_MS;
    const customer = draft.customer;
    const previous = customer ? (ordersSoFar.get(customer.id) ?? 0) : 0;
    if (customer) ordersSoFar.set(customer.id, previous + 1);
    const city = customer
      ? customerCity.get(customer.id)!
      : orderRng.weighted(
          CITIES.filter((c) => c.countryCode === "US"),
          (c) => c.weight,
        );
    const presentment: CurrencyCode = city.currency;
    const rate = EXCHANGE_RATES[presentment];
    const guestFirst = orderRng.pick(FIRST_NAMES);
    const guestLast = orderRng.pick(LAST_NAMES);
    const email = customer
      ? customer.email
      : `${slugify(`${guestFirst}.${guestLast}`).replace(/-/g, ".")}.guest${index}@example.com`;

    // line items
    const vipSized = draft.bigSpender && (previous === 0 || orderRng.chance(0.5));
    const picks = new Map<number, number>();
    if (vipSized) {
      // A grinder, a couple of other big-ticket items and bulk coffee: always over $500.
      picks.set(grinder.id, orderRng.int(1, 2));
      const lineCount = orderRng.int(2, 3);
      while (picks.size < lineCount) picks.set(orderRng.pick(expensive).id, orderRng.int(2, 3));
      picks.set(orderRng.pick(bulkCoffee).id, orderRng.int(3, 5));
    } else {
      const lineRoll = orderRng.float();
      const lineCount = lineRoll < 0.5 ? 1 : lineRoll < 0.8 ? 2 : lineRoll < 0.95 ? 3 : 4;
      while (picks.size < lineCount) {
        const { variant } = orderRng.weighted(productWeights, (entry) => entry.weight);
        picks.set(
          variant.id,
          picks.get(variant.id) ?? (orderRng.chance(0.75) ? 1 : orderRng.int(2, 3)),
        );
      }
    }
    const discount =
      customer && previous === 0 && orderRng.chance(0.3)
        ? { code: "WELCOME10", pct: 0.1 }
        : customer && previous >= 2 && orderRng.chance(0.2)
          ? { code: "LOYAL15", pct: 0.15 }
          : null;
    const tax = TAX_BY_COUNTRY[city.countryCode] ?? TAX_BY_COUNTRY.US!;
    const lineItems: SandboxLineItem[] = [];
    let lineCents = 0;
    let discountCents = 0;
    let taxCents = 0;
    let linePres = 0;
    let discountPres = 0;
    let taxPres = 0;
    for (const [variantId, quantity] of picks) {
      const variant = variantById.get(variantId)!;
      const product = productById.get(variant.productId)!;
      const unit = Math.round(Number(variant.price) * 100);
      const lineTotal = unit * quantity;
      const lineDiscount = discount ? Math.round(lineTotal * discount.pct) : 0;
      const lineTax = Math.round((lineTotal - lineDiscount) * tax.rate);
      lineCents += lineTotal;
      discountCents += lineDiscount;
      taxCents += lineTax;
      linePres += convertCents(unit, rate) * quantity;
      discountPres += convertCents(lineDiscount, rate);
      taxPres += convertCents(lineTax, rate);
      const isDefault = variant.title === "Default Title";
      lineItems.push({
        id: ids.next("LineItem"),
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
        taxable: true,
        requiresShipping: true,
        grams: variant.grams,
        taxLines: [{ title: tax.title, rate: tax.rate, price: pair(lineTax, rate) }],
      });
    }
    const subtotalCents = lineCents - discountCents;
    const domestic = city.countryCode === "US";
    const shipping = !domestic
      ? { title: "International Shipping", cents: 1995 }
      : subtotalCents >= 7500
        ? { title: "Free Shipping", cents: 0 }
        : { title: "Standard Shipping", cents: 795 };
    const shippingPres = convertCents(shipping.cents, rate);
    const subtotalPres = linePres - discountPres;
    const totalCents = subtotalCents + shipping.cents + taxCents;
    const totalPres = subtotalPres + shippingPres + taxPres;

    // status by age
    let financialStatus: FinancialStatus = "paid";
    let fulfillmentPlan: "none" | "all" | "partial" = "all";
    let cancelled = false;
    let refundPlan: "none" | "full" | "partial" = "none";
    const roll = orderRng.float();
    if (roll < 0.02 && ageDays > 1) {
      cancelled = true;
      fulfillmentPlan = "none";
      financialStatus = orderRng.chance(0.5) ? "refunded" : "voided";
      refundPlan = financialStatus === "refunded" ? "full" : "none";
    } else if (ageDays < 1.5) {
      financialStatus = roll < 0.8 ? "paid" : roll < 0.9 ? "pending" : "authorized";
      fulfillmentPlan = financialStatus === "paid" && orderRng.chance(0.15) ? "all" : "none";
    } else if (ageDays < 10) {
      fulfillmentPlan = roll < 0.75 ? "all" : roll < 0.85 ? "partial" : "none";
    } else {
      fulfillmentPlan = roll < 0.985 ? "all" : "none";
      const refundRoll = orderRng.float();
      if (fulfillmentPlan === "all" && refundRoll < 0.03) refundPlan = "full";
      else if (fulfillmentPlan === "all" && refundRoll < 0.07) refundPlan = "partial";
    }
    if (fulfillmentPlan === "partial" && lineItems.length < 2) fulfillmentPlan = "none";

    const shippingAddress = customer
      ? (customer.addresses[0] ?? null)
      : makeAddress(orderRng, guestFirst, guestLast, city, null);
    const orderTags: string[] = [];
    if (orderRng.chance(0.14)) orderTags.push(orderRng.pick(ORDER_TAGS));
    if (vipSized) orderTags.push("high-value");
    const order: SandboxOrder = {
      id: orderId,
      orderNumber,
      name,
      confirmationNumber: orderRng.alnum(9),
      token: orderRng.alnum(32, "0123456789abcdef"),
      customerId: customer?.id ?? null,
      email,
      phone: customer?.phone ?? null,
      currency: "USD",
      presentmentCurrency: presentment,
      exchangeRate: rate,
      lineItems,
      shippingLines: [
        {
          id: ids.next("ShippingLine"),
          title: shipping.title,
          code: shipping.title,
          source: "shopify",
          price: { shop: fromCents(shipping.cents), presentment: fromCents(shippingPres) },
        },
      ],
      taxLines: [
        {
          title: tax.title,
          rate: tax.rate,
          price: { shop: fromCents(taxCents), presentment: fromCents(taxPres) },
        },
      ],
      discountCodes: discount
        ? [{ code: discount.code, amount: fromCents(discountCents), type: "percentage" }]
        : [],
      totals: {
        lineItems: { shop: fromCents(lineCents), presentment: fromCents(linePres) },
        discounts: { shop: fromCents(discountCents), presentment: fromCents(discountPres) },
        subtotal: { shop: fromCents(subtotalCents), presentment: fromCents(subtotalPres) },
        shipping: { shop: fromCents(shipping.cents), presentment: fromCents(shippingPres) },
        tax: { shop: fromCents(taxCents), presentment: fromCents(taxPres) },
        total: { shop: fromCents(totalCents), presentment: fromCents(totalPres) },
      },
      financialStatus,
      fulfillmentStatus: null,
      gateway: financialStatus === "pending" ? "manual" : "shopify_payments",
      sourceName: "web",
      tags: orderTags.sort(),
      note: orderTags.includes("gift") ? "Gift — please leave out the receipt." : null,
      buyerAcceptsMarketing: customer?.emailMarketingConsent.state === "subscribed",
      customerLocale: city.locale,
      shippingAddress,
      billingAddress: shippingAddress,
      refunds: [],
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      test: false,
      createdAt: isoUtc(createdMs),
      processedAt: isoUtc(createdMs),
      updatedAt: isoUtc(createdMs),
    };
    let updatedMs = createdMs;

    if (cancelled) {
      const cancelledMs = clampNow(createdMs + orderRng.int(1, 30) * HOUR_MS);
      order.cancelledAt = isoUtc(cancelledMs);
      order.closedAt = order.cancelledAt;
      order.cancelReason = orderRng.pick(["customer", "inventory", "fraud"] as const);
      updatedMs = cancelledMs;
    }

    let fulfillment: SandboxFulfillment | null = null;
    if (fulfillmentPlan !== "none") {
      const fulfilledMs = clampNow(createdMs + orderRng.int(3, ageDays < 1.5 ? 8 : 60) * HOUR_MS);
      const lines = fulfillmentPlan === "all" ? lineItems : lineItems.slice(0, 1);
      const carrier = pickCarrier(orderRng, city.countryCode);
      const trackingNumber = carrier.trackingNumber(() => orderRng.digits(12));
      const events = buildEvents(orderRng, ids, {
        orderId,
        fulfilledMs,
        now,
        carrier,
        destination: shippingAddress,
      });
      const lastEvent = events[events.length - 1] ?? null;
      const estimatedDeliveryAt = lastEvent?.estimatedDeliveryAt ?? null;
      fulfillment = {
        id: ids.next("Fulfillment"),
        orderId,
        name: `${name}.1`,
        status: "success",
        shipmentStatus: lastEvent?.status ?? null,
        trackingCompany: carrier.company,
        trackingNumbers: [trackingNumber],
        trackingUrls: [carrier.trackingUrl(trackingNumber)],
        locationId: warehouse.id,
        lineItems: lines.map((line) => ({
          id: ids.next("FulfillmentLineItem"),
          lineItemId: line.id,
          quantity: line.quantity,
        })),
        events: [],
        estimatedDeliveryAt,
        createdAt: isoUtc(fulfilledMs),
        updatedAt: lastEvent ? lastEvent.createdAt : isoUtc(fulfilledMs),
      };
      fulfillment.events = events.map((event) => ({ ...event, fulfillmentId: fulfillment!.id }));
      fulfillments.push(fulfillment);
      order.fulfillmentStatus = (
        fulfillmentPlan === "all" ? "fulfilled" : "partial"
      ) satisfies FulfillmentStatus;
      updatedMs = Math.max(updatedMs, Date.parse(fulfillment.updatedAt));
    }

    if (refundPlan !== "none") {
      const afterMs = fulfillment
        ? Date.parse(fulfillment.updatedAt)
        : Date.parse(order.cancelledAt ?? order.createdAt);
      const refundMs = clampNow(
        afterMs +
          orderRng.int(cancelled ? 0 : 2, cancelled ? 1 : 12) * DAY_MS +
          orderRng.int(1, 10) * HOUR_MS,
      );
      const refundLines =
        refundPlan === "full"
          ? lineItems
          : lineItems.slice(-1).map((line) => ({ ...line, quantity: 1 }));
      let amountCents = 0;
      let amountPres = 0;
      const refund: SandboxRefund = {
        id: ids.next("Refund"),
        orderId,
        note:
          refundPlan === "full"
            ? cancelled
              ? "Order cancelled"
              : "Returned"
            : "Damaged in transit",
        restock: !cancelled,
        refundLineItems: refundLines.map((line) => {
          const unitShop = Math.round(Number(line.price.shop) * 100);
          const original = lineItems.find((item) => item.id === line.id)!;
          const share = line.quantity / original.quantity;
          const discountShop = Math.round(Number(original.totalDiscount.shop) * 100 * share);
          const taxShop = Math.round(Number(original.taxLines[0]!.price.shop) * 100 * share);
          const subtotalShop = unitShop * line.quantity - discountShop;
          amountCents += subtotalShop + taxShop;
          amountPres += convertCents(subtotalShop, rate) + convertCents(taxShop, rate);
          return {
            id: ids.next("RefundLineItem"),
            lineItemId: line.id,
            quantity: line.quantity,
            restockType: cancelled ? ("cancel" as const) : ("return" as const),
            subtotal: pair(subtotalShop, rate),
            totalTax: pair(taxShop, rate),
          };
        }),
        transactions: [],
        createdAt: isoUtc(refundMs),
        processedAt: isoUtc(refundMs),
      };
      if (refundPlan === "full") {
        amountCents += shipping.cents;
        amountPres += shippingPres;
      }
      refund.transactions.push({
        id: ids.next("OrderTransaction"),
        kind: "refund",
        status: "success",
        gateway: order.gateway,
        amount: { shop: fromCents(amountCents), presentment: fromCents(amountPres) },
        createdAt: isoUtc(refundMs),
      });
      order.refunds.push(refund);
      order.financialStatus = refundPlan === "full" ? "refunded" : "partially_refunded";
      updatedMs = Math.max(updatedMs, refundMs);
    }
    order.updatedAt = isoUtc(updatedMs);
    orders.push(order);
  }

  ensureShippingVariety(fulfillments, orders, now, ids);

  // ---- inventory: committed follows open orders; a few variants sit at or near zero ----
  const inventoryRng = stream(seed, "inventory");
  const committed = new Map<number, number>();
  const fulfilledQty = new Map<number, number>();
  for (const fulfillment of fulfillments)
    for (const line of fulfillment.lineItems)
      fulfilledQty.set(line.lineItemId, (fulfilledQty.get(line.lineItemId) ?? 0) + line.quantity);
  for (const order of orders) {
    if (order.cancelledAt) continue;
    for (const line of order.lineItems) {
      const open = line.quantity - (fulfilledQty.get(line.id) ?? 0);
      if (open > 0 && line.variantId)
        committed.set(line.variantId, (committed.get(line.variantId) ?? 0) + open);
    }
  }
  const lowStock = inventoryRng.shuffle(variants.map((variant) => variant.id)).slice(0, 9);
  const soldOut = new Set(lowStock.slice(0, 3));
  const nearZero = new Set(lowStock.slice(3));
  const inventoryLevels: SandboxInventoryLevel[] = [];
  for (const variant of variants) {
    for (const location of locations) {
      const isWarehouse = location.id === warehouse.id;
      let available = isWarehouse
        ? inventoryRng.int(6, 40) * Math.max(1, Math.round((popularity.get(variant.id) ?? 1) / 4))
        : inventoryRng.int(0, 24);
      if (soldOut.has(variant.id)) available = 0;
      if (nearZero.has(variant.id)) available = isWarehouse ? inventoryRng.int(1, 2) : 0;
      const quantities: Record<InventoryQuantityName, number> = {
        available,
        committed: isWarehouse ? (committed.get(variant.id) ?? 0) : 0,
        damaged: inventoryRng.chance(0.03) ? 1 : 0,
        incoming:
          soldOut.has(variant.id) || nearZero.has(variant.id)
            ? inventoryRng.pick([0, 24, 48])
            : inventoryRng.chance(0.1)
              ? inventoryRng.int(12, 48)
              : 0,
        on_hand: 0,
        quality_control: 0,
        reserved: inventoryRng.chance(0.06) ? inventoryRng.int(1, 2) : 0,
        safety_stock: 0,
      };
      quantities.on_hand =
        quantities.available +
        quantities.committed +
        quantities.reserved +
        quantities.damaged +
        quantities.safety_stock +
        quantities.quality_control;
      inventoryLevels.push({
        id: ids.next("InventoryLevel"),
        inventoryItemId: variant.inventoryItemId,
        locationId: location.id,
        quantities,
        createdAt: variant.createdAt,
        updatedAt: isoUtc(now - inventoryRng.int(1, 14 * 24) * HOUR_MS),
      });
    }
  }

  // ---- customer tags and timestamps that follow their orders ----
  const byCustomer = new Map<number, SandboxOrder[]>();
  for (const order of orders)
    if (order.customerId)
      byCustomer.set(order.customerId, [...(byCustomer.get(order.customerId) ?? []), order]);
  for (const customer of customers) {
    const own = byCustomer.get(customer.id) ?? [];
    const spent = own.reduce((sum, order) => sum + netSpentCents(order), 0);
    if (own.length >= 3) customer.tags.push("repeat");
    if (spent >= 60_000) customer.tags.push("vip");
    customer.tags.sort();
    const latest = Math.max(
      Date.parse(customer.createdAt),
      ...own.map((order) => Date.parse(order.createdAt)),
      customer.emailMarketingConsent.consentUpdatedAt
        ? Date.parse(customer.emailMarketingConsent.consentUpdatedAt)
        : 0,
      customer.smsMarketingConsent?.consentUpdatedAt
        ? Date.parse(customer.smsMarketingConsent.consentUpdatedAt)
        : 0,
    );
    customer.updatedAt = isoUtc(latest);
  }

  return {
    seed,
    baseDate,
    shop,
    locations,
    collections,
    products,
    variants,
    inventoryItems,
    inventoryLevels,
    customers,
    orders,
    fulfillments,
  };
}

/** What the customer actually paid and kept: total minus refunds, nothing for voided or unpaid orders. */
export function netSpentCents(order: SandboxOrder): number {
  if (
    order.financialStatus === "voided" ||
    order.financialStatus === "pending" ||
    order.financialStatus === "authorized"
  )
    return 0;
  const refunded = order.refunds.reduce(
    (sum, refund) =>
      sum +
      refund.transactions.reduce(
        (acc, transaction) => acc + Math.round(Number(transaction.amount.shop) * 100),
        0,
      ),
    0,
  );
  return Math.round(Number(order.totals.total.shop) * 100) - refunded;
}

function pickCarrier(rng: Rng, countryCode: string): CarrierDefinition {
  if (countryCode === "US") return rng.pick(CARRIERS.filter((carrier) => carrier.domestic));
  if (countryCode === "CA")
    return rng.pick(
      CARRIERS.filter(
        (carrier) => carrier.company === "Canada Post" || carrier.company === "DHL Express",
      ),
    );
  return CARRIERS.find((carrier) => carrier.company === "DHL Express")!;
}

/** Offsets (hours after fulfillment) at which each status happens on the way to `final`. */
const JOURNEYS: Record<ShipmentStatus, [ShipmentStatus, number][]> = {
  label_printed: [["label_printed", 0]],
  label_purchased: [["label_purchased", 0]],
  confirmed: [["confirmed", 1]],
  ready_for_pickup: [
    ["confirmed", 1],
    ["ready_for_pickup", 20],
  ],
  in_transit: [
    ["confirmed", 1],
    ["in_transit", 14],
  ],
  out_for_delivery: [
    ["confirmed", 1],
    ["in_transit", 14],
    ["out_for_delivery", 62],
  ],
  delivered: [
    ["confirmed", 1],
    ["in_transit", 14],
    ["out_for_delivery", 62],
    ["delivered", 69],
  ],
  attempted_delivery: [
    ["confirmed", 1],
    ["in_transit", 14],
    ["out_for_delivery", 62],
    ["attempted_delivery", 70],
  ],
  delayed: [
    ["confirmed", 1],
    ["in_transit", 14],
    ["delayed", 80],
  ],
  failure: [
    ["confirmed", 1],
    ["in_transit", 14],
    ["out_for_delivery", 62],
    ["failure", 71],
  ],
};

function finalStatusFor(rng: Rng, hoursSinceFulfillment: number): ShipmentStatus {
  const roll = rng.float();
  if (hoursSinceFulfillment < 14) return roll < 0.7 ? "confirmed" : "label_printed";
  if (hoursSinceFulfillment < 62) return roll < 0.9 ? "in_transit" : "delayed";
  if (hoursSinceFulfillment < 96)
    return roll < 0.4
      ? "delivered"
      : roll < 0.65
        ? "in_transit"
        : roll < 0.8
          ? "out_for_delivery"
          : roll < 0.92
            ? "delayed"
            : "attempted_delivery";
  if (hoursSinceFulfillment < 8 * 24)
    return roll < 0.78
      ? "delivered"
      : roll < 0.88
        ? "delayed"
        : roll < 0.94
          ? "attempted_delivery"
          : "failure";
  return roll < 0.96 ? "delivered" : roll < 0.98 ? "failure" : "attempted_delivery";
}

function buildEvents(
  rng: Rng,
  ids: Counter,
  input: {
    orderId: number;
    fulfilledMs: number;
    now: number;
    carrier: CarrierDefinition;
    destination: SandboxAddress | null;
  },
): SandboxFulfillmentEvent[] {
  const { fulfilledMs, now, carrier, destination } = input;
  const available = (now - fulfilledMs) / HOUR_MS;
  const final = finalStatusFor(rng, available);
  const journey = JOURNEYS[final];
  const last = journey[journey.length - 1]![1];
  // Squeeze the journey into the time that has passed, keeping the order of events.
  const scale = last > 0 && last > available - 0.5 ? Math.max(0, available - 0.5) / last : 1;
  const estimatedMs = carrier.estimates ? fulfilledMs + rng.int(3, 5) * DAY_MS : null;
  const hub = rng.pick(HUBS.slice(1));
  return journey.map(([status, hours], step) => {
    const happenedMs = Math.floor(fulfilledMs + hours * scale * HOUR_MS + step * 1000);
    const where =
      status === "confirmed" || status === "label_printed" || status === "label_purchased"
        ? { ...HUBS[0]!, address1: null as string | null }
        : status === "in_transit" || status === "delayed"
          ? { ...hub, address1: null as string | null }
          : destination
            ? {
                city: destination.city,
                province: destination.province,
                country: destination.country,
                zip: destination.zip,
                latitude: destination.latitude,
                longitude: destination.longitude,
                address1:
                  status === "delivered" || status === "attempted_delivery" || status === "failure"
                    ? destination.address1
                    : null,
              }
            : {
                city: null,
                province: null,
                country: null,
                zip: null,
                latitude: null,
                longitude: null,
                address1: null,
              };
    const estimated =
      estimatedMs === null ? null : status === "delayed" ? estimatedMs + 2 * DAY_MS : estimatedMs;
    return {
      id: ids.next("FulfillmentEvent"),
      fulfillmentId: 0,
      orderId: input.orderId,
      status,
      message: SHIPMENT_MESSAGES[status] ?? status,
      happenedAt: isoUtc(happenedMs),
      estimatedDeliveryAt: estimated === null ? null : isoUtc(estimated),
      address1: where.address1,
      city: where.city,
      province: where.province,
      country: where.country,
      zip: where.zip,
      latitude: where.latitude,
      longitude: where.longitude,
      createdAt: isoUtc(Math.min(now, happenedMs + 60_000)),
      updatedAt: isoUtc(Math.min(now, happenedMs + 60_000)),
    };
  });
}

/**
 * The shipping-delay recipes need parcels in trouble: make sure the last 10 days hold at least
 * one delayed, one failed and one attempted delivery (re-labelling the newest in-transit ones).
 */
function ensureShippingVariety(
  fulfillments: SandboxFulfillment[],
  orders: SandboxOrder[],
  now: number,
  ids: Counter,
): void {
  const recent = fulfillments
    .filter(
      (fulfillment) =>
        now - Date.parse(fulfillment.createdAt) < 10 * DAY_MS &&
        now - Date.parse(fulfillment.createdAt) > 3 * DAY_MS,
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  for (const wanted of ["delayed", "failure", "attempted_delivery"] as const) {
    if (recent.some((fulfillment) => fulfillment.shipmentStatus === wanted)) continue;
    const candidate = recent.find(
      (fulfillment) =>
        fulfillment.shipmentStatus === "in_transit" || fulfillment.shipmentStatus === "delivered",
    );
    if (!candidate) continue;
    const kept = candidate.events.filter(
      (event) =>
        event.status === "confirmed" ||
        event.status === "in_transit" ||
        (wanted !== "delayed" && event.status === "out_for_delivery"),
    );
    const previous = kept[kept.length - 1] ?? candidate.events[0]!;
    const happenedMs = Math.min(now - HOUR_MS, Date.parse(previous.happenedAt) + 6 * HOUR_MS);
    const estimated =
      previous.estimatedDeliveryAt && wanted === "delayed"
        ? isoUtc(Date.parse(previous.estimatedDeliveryAt) + 2 * DAY_MS)
        : previous.estimatedDeliveryAt;
    const event: SandboxFulfillmentEvent = {
      ...previous,
      id: ids.next("FulfillmentEvent"),
      status: wanted,
      message: SHIPMENT_MESSAGES[wanted]!,
      happenedAt: isoUtc(happenedMs),
      createdAt: isoUtc(Math.min(now, happenedMs + 60_000)),
      updatedAt: isoUtc(Math.min(now, happenedMs + 60_000)),
      estimatedDeliveryAt: estimated,
    };
    candidate.events = [...kept, event];
    candidate.shipmentStatus = wanted;
    candidate.estimatedDeliveryAt = estimated;
    candidate.updatedAt = event.createdAt;
    const order = orders.find((o) => o.id === candidate.orderId);
    if (order)
      order.updatedAt = isoUtc(
        Math.max(
          ...[order.createdAt, ...order.refunds.map((r) => r.createdAt), event.createdAt].map(
            Date.parse,
          ),
        ),
      );
  }
}
