/**
 * The sandbox store seen through the Admin GraphQL schema: resolvers that turn store records into
 * the objects Shopify's Admin API returns (gids, uppercase enums, MoneyBag/MoneyV2, connections
 * with cursors and pageInfo, `query:` search, sort keys). The HTTP fake
 * (sandbox/fakes/shopify-admin.ts) executes validated documents with `adminFieldResolver` and
 * `adminTypeResolver` against the 2025-04 schema.
 *
 * How a field is resolved:
 * - Types with a table below (Product, Order, …) resolve only the fields listed; any other
 *   field of that type raises a "not implemented by the sandbox" error (the field becomes null
 *   and the error is reported, as GraphQL does for a failing field).
 * - Small value objects (MoneyV2, PageInfo, Count, edges, …) are plain objects whose properties
 *   are the GraphQL field names.
 * - Fields a document declares with a since-marker (newer than 2025-04) resolve to null.
 */

import {
  activeSubscriptions,
  billingOf,
  cancelSubscription,
  createSubscription,
  createUsageRecord,
  type FakeSubscription,
} from "./billing";
import {
  GraphQLError,
  getNamedType,
  isLeafType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLTypeResolver,
} from "graphql";
import { gid, inventoryLevelGid, parseGid, type GidType } from "./ids";
import {
  customerStats,
  fulfilledQuantity,
  indexStore,
  refundedQuantity,
  totalAvailable,
  type StoreIndex,
} from "./lookup";
import { addTags, findTaggable, removeTags, type TaggableType } from "./mutations";
import { fromCents, toCents } from "./money";
import { applySearch, type SearchSpec } from "./search-query";
import { isoUtc, toShopLocal } from "./time";
import { PROTECTED_GRAPHQL_FIELDS, protectedFieldMessage } from "./protected-data";
import {
  INVENTORY_QUANTITY_NAMES,
  type MoneyPair,
  type SandboxAddress,
  type SandboxCollection,
  type SandboxCustomer,
  type SandboxFulfillment,
  type SandboxFulfillmentEvent,
  type SandboxInventoryItem,
  type SandboxInventoryLevel,
  type SandboxLineItem,
  type SandboxLocation,
  type SandboxOrder,
  type SandboxProduct,
  type SandboxProductImage,
  type SandboxRefund,
  type SandboxShop,
  type SandboxStore,
  type SandboxVariant,
} from "./types";

/** What a tag mutation did, for whoever simulates the follow-up webhook (orders/updated, …). */
export interface AdminMutationEvent {
  kind: "tagsAdd" | "tagsRemove";
  shop: string;
  id: string;
  type: TaggableType;
  tags: string[];
  at: string;
}

export interface SearchWarning {
  path: readonly (string | number)[];
  query: string;
  warnings: { field: string; message: string }[];
}

export interface AdminContext {
  store: SandboxStore;
  index: StoreIndex;
  now: Date;
  /** `Type.field` coordinates declared by since-markers; they resolve to null. */
  declaredFields: ReadonlySet<string>;
  /** Without read_all_orders Shopify shows only the last 60 days of orders. Default true. */
  allOrdersAccess: boolean;
  /** Scopes reported by currentAppInstallation.accessScopes. */
  accessScopes: readonly string[];
  /** Approved for protected customer data (name, email, phone, address). Default true. */
  protectedCustomerData: boolean;
  onMutation?: (event: AdminMutationEvent) => void;
  /** Where appSubscriptionCreate sends the merchant to approve (the sandbox serves the page). */
  billingConfirmationUrl?: (shop: string, subscriptionId: number) => string;
  /** Told when a subscription's status changed (the fake sends `app_subscriptions/update`). */
  onSubscriptionsChanged?: (shop: string, changed: FakeSubscription[]) => void;
  /** Filled while executing: the actual cost (see the fake for the rules). */
  cost: { actual: number };
  searchWarnings: SearchWarning[];
  /**
   * Set while a bulk operation executes its query: every connection returns all its nodes
   * instead of a page, the root connection the `window` of them (the bulk runner executes the
   * query once per window). The root connection's filtered, sorted list is computed once and
   * kept in `rootList`.
   */
  unpaged?: BulkWindow;
  /** Bulk operations of this shop (bulkOperationRunQuery, currentBulkOperation, …). */
  bulk?: BulkOperationsApi;
}

export interface BulkWindow {
  window: { start: number; end: number };
  rootList?: readonly unknown[];
}

/** A bulk operation as the resolvers see it (the fake's record, read-only here). */
export interface BulkOperationView {
  id: number;
  type: "QUERY" | "MUTATION";
  status: string;
  errorCode: string | null;
  query: string;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/** What the Admin fake's bulk operations offer the resolvers (sandbox/fakes/shopify-admin-bulk.ts). */
export interface BulkOperationsApi {
  runQuery(query: string): { bulkOperation: BulkOperationView | null; userErrors: BulkUserError[] };
  cancel(id: string): { bulkOperation: BulkOperationView | null; userErrors: BulkUserError[] };
  current(type: "QUERY" | "MUTATION"): BulkOperationView | null;
  find(id: number): BulkOperationView | null;
}

export interface AdminContextOptions {
  now?: Date;
  declaredFields?: ReadonlySet<string>;
  allOrdersAccess?: boolean;
  accessScopes?: readonly string[];
  protectedCustomerData?: boolean;
  onMutation?: (event: AdminMutationEvent) => void;
  billingConfirmationUrl?: (shop: string, subscriptionId: number) => string;
  onSubscriptionsChanged?: (shop: string, changed: FakeSubscription[]) => void;
  unpaged?: BulkWindow;
  bulk?: BulkOperationsApi;
}

export const DEFAULT_ACCESS_SCOPES = [
  "read_customers",
  "write_customers",
  "read_fulfillments",
  "read_inventory",
  "read_locations",
  "read_orders",
  "write_orders",
  "read_products",
  "write_products",
];

export function createAdminContext(
  store: SandboxStore,
  options: AdminContextOptions = {},
): AdminContext {
  return {
    store,
    index: indexStore(store),
    now: options.now ?? new Date(),
    declaredFields: options.declaredFields ?? new Set(),
    allOrdersAccess: options.allOrdersAccess ?? true,
    accessScopes: options.accessScopes ?? DEFAULT_ACCESS_SCOPES,
    protectedCustomerData: options.protectedCustomerData ?? true,
    onMutation: options.onMutation,
    billingConfirmationUrl: options.billingConfirmationUrl,
    onSubscriptionsChanged: options.onSubscriptionsChanged,
    cost: { actual: 0 },
    searchWarnings: [],
    unpaged: options.unpaged,
    bulk: options.bulk,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const typeTags = new WeakMap<object, string>();

/** Marks a record with its GraphQL type, for fields typed as an interface or union (Node, Media). */
function typed<T extends object>(value: T | null | undefined, typeName: string): T | null {
  if (!value) return null;
  typeTags.set(value, typeName);
  return value;
}

export const adminTypeResolver: GraphQLTypeResolver<unknown, AdminContext> = (value) =>
  value !== null && typeof value === "object"
    ? (typeTags.get(value) ?? (value as { __typename?: string }).__typename)
    : undefined;

function sandboxError(
  message: string,
  code: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

function notImplemented(typeName: string, fieldName: string): GraphQLError {
  return sandboxError(
    `${typeName}.${fieldName} is not implemented by the Switchboard sandbox (the Admin API fake answers the fields the app uses; add it in sandbox/store/admin-graphql.ts).`,
    "SANDBOX_NOT_IMPLEMENTED",
    { typeName, fieldName },
  );
}

/** Admin GraphQL `Decimal` amounts drop trailing zeros but keep one decimal ("70.0", "93.45"). */
function decimal(amount: string): string {
  const value = Number(amount);
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

function moneyV2(amount: string, currencyCode: string) {
  return { amount: decimal(amount), currencyCode };
}

function bag(pair: MoneyPair, order: { currency: string; presentmentCurrency: string }) {
  return {
    shopMoney: moneyV2(pair.shop, order.currency),
    presentmentMoney: moneyV2(pair.presentment, order.presentmentCurrency),
  };
}

function scale(pair: MoneyPair, factor: number): MoneyPair {
  return {
    shop: fromCents(Math.round(toCents(pair.shop) * factor)),
    presentment: fromCents(Math.round(toCents(pair.presentment) * factor)),
  };
}

function sum(pairs: MoneyPair[]): MoneyPair {
  return {
    shop: fromCents(pairs.reduce((total, p) => total + toCents(p.shop), 0)),
    presentment: fromCents(pairs.reduce((total, p) => total + toCents(p.presentment), 0)),
  };
}

function minus(a: MoneyPair, b: MoneyPair): MoneyPair {
  return {
    shop: fromCents(toCents(a.shop) - toCents(b.shop)),
    presentment: fromCents(toCents(a.presentment) - toCents(b.presentment)),
  };
}

const ZERO: MoneyPair = { shop: "0.00", presentment: "0.00" };

function count(n: number) {
  return { count: n, precision: "EXACT" };
}

function upper(value: string | null | undefined): string | null {
  return value ? value.toUpperCase() : null;
}

function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, "").trim();
}

/** Parses a gid argument; a string that isn't one is an error, as in Shopify. */
function requireGid(value: unknown): { type: string; id: number; params: Record<string, string> } {
  const parsed = typeof value === "string" ? parseGid(value) : null;
  if (!parsed)
    throw sandboxError(`Invalid global id '${String(value)}'`, "argumentLiteralsIncompatible", {
      typeName: "CoercionError",
    });
  return parsed;
}

function orderVisible(ctx: AdminContext, order: SandboxOrder): boolean {
  return ctx.allOrdersAccess || ctx.now.getTime() - Date.parse(order.createdAt) <= 60 * 86_400_000;
}

/** The record behind a gid, tagged with its GraphQL type, or null. */
function resolveNode(ctx: AdminContext, value: unknown): object | null {
  const parsed = requireGid(value);
  const index = ctx.index;
  if (parsed.type === "BulkOperation") return typed(ctx.bulk?.find(parsed.id), "BulkOperation");
  const type = parsed.type as GidType;
  switch (type) {
    case "Shop":
      return parsed.id === ctx.store.shop.id ? typed(ctx.store.shop, "Shop") : null;
    case "Location":
      return typed(index.locations.get(parsed.id), "Location");
    case "Collection":
      return typed(index.collections.get(parsed.id), "Collection");
    case "Product":
      return typed(index.products.get(parsed.id), "Product");
    case "ProductVariant":
      return typed(index.variants.get(parsed.id), "ProductVariant");
    case "MediaImage":
      return typed(index.mediaImages.get(parsed.id)?.image, "MediaImage");
    case "InventoryItem":
      return typed(index.inventoryItems.get(parsed.id), "InventoryItem");
    case "InventoryLevel": {
      const level = index.inventoryLevels.get(parsed.id);
      const itemParam = parsed.params.inventory_item_id;
      if (!level || (itemParam !== undefined && Number(itemParam) !== level.inventoryItemId))
        return null;
      return typed(level, "InventoryLevel");
    }
    case "Customer":
      return typed(index.customers.get(parsed.id), "Customer");
    case "MailingAddress": {
      for (const customer of ctx.store.customers) {
        const found = customer.addresses.find((address) => address.id === parsed.id);
        if (found) return typed(found, "MailingAddress");
      }
      return null;
    }
    case "Order": {
      const order = index.orders.get(parsed.id);
      return order && orderVisible(ctx, order) ? typed(order, "Order") : null;
    }
    case "LineItem":
      return typed(index.lineItems.get(parsed.id)?.line, "LineItem");
    case "Fulfillment":
      return typed(index.fulfillments.get(parsed.id), "Fulfillment");
    case "FulfillmentEvent":
      return typed(index.fulfillmentEvents.get(parsed.id), "FulfillmentEvent");
    case "Refund":
      return typed(index.refunds.get(parsed.id), "Refund");
    default:
      return null;
  }
}

function nodeOfType(
  ctx: AdminContext,
  value: unknown,
  type: GidType | "BulkOperation",
): object | null {
  const parsed = requireGid(value);
  return parsed.type === type ? resolveNode(ctx, value) : null;
}

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  /** Bulk execution: every item, or a window of them (see AdminContext.unpaged). */
  unpaged?: "all" | { start: number; end: number };
}

const MAX_PAGE = 250;

function encodeCursor(id: number | string, value: unknown): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value ?? id })).toString("base64");
}

function decodeCursor(cursor: string): number | string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as {
      last_id?: unknown;
    };
    if (typeof parsed.last_id === "number" || typeof parsed.last_id === "string")
      return parsed.last_id;
  } catch {
    /* fall through */
  }
  throw sandboxError(`Invalid cursor '${cursor}'.`, "BAD_REQUEST");
}

function checkPageSize(args: PageArgs): void {
  if (
    (args.first === null || args.first === undefined) &&
    (args.last === null || args.last === undefined)
  ) {
    throw sandboxError("you must provide one of first or last", "BAD_REQUEST");
  }
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE)) {
      throw sandboxError(
        `The ${name} argument must be between 0 and ${MAX_PAGE} (it was ${value}).`,
        "BAD_REQUEST",
      );
    }
  }
}

/** Relay connection over items already in order; cursors carry the item's key and sort value. */
function paginate<T>(
  items: readonly T[],
  args: PageArgs,
  key: (item: T) => number | string,
  sortValue?: (item: T) => unknown,
) {
  if (args.unpaged) return unpagedConnection(items, args.unpaged, !!args.reverse, key, sortValue);
  checkPageSize(args);
  const list = args.reverse ? [...items].reverse() : items;
  let start = 0;
  let end = list.length;
  if (args.after) {
    const id = decodeCursor(args.after);
    const at = list.findIndex((item) => key(item) === id);
    if (at < 0) throw sandboxError(`Invalid cursor '${args.after}'.`, "BAD_REQUEST");
    start = at + 1;
  }
  if (args.before) {
    const id = decodeCursor(args.before);
    const at = list.findIndex((item) => key(item) === id);
    if (at < 0) throw sandboxError(`Invalid cursor '${args.before}'.`, "BAD_REQUEST");
    end = Math.max(start, at);
  }
  if (args.first !== null && args.first !== undefined) end = Math.min(end, start + args.first);
  if (args.last !== null && args.last !== undefined) start = Math.max(start, end - args.last);
  const page = list.slice(start, end);
  const edges = page.map((node) => ({
    cursor: encodeCursor(key(node), sortValue ? sortValue(node) : undefined),
    node,
  }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: end < list.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A bulk operation's view of a connection: all its nodes (or a window), no page limits. */
function unpagedConnection<T>(
  items: readonly T[],
  unpaged: "all" | { start: number; end: number },
  reverse: boolean,
  key: (item: T) => number | string,
  sortValue?: (item: T) => unknown,
) {
  const { start, end } = unpaged === "all" ? { start: 0, end: items.length } : unpaged;
  const page = reverse
    ? items.slice(Math.max(0, items.length - end), Math.max(0, items.length - start)).reverse()
    : items.slice(start, end);
  const edges = page.map((node) => ({
    get cursor() {
      return encodeCursor(key(node), sortValue ? sortValue(node) : undefined);
    },
    node,
  }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * The root connection's items; during a bulk run computed once and kept for every window
 * (filtering and sorting 100,000 orders per window would dominate the run).
 */
function rootItems<T>(ctx: AdminContext, info: GraphQLResolveInfo, compute: () => T[]): T[] {
  if (!ctx.unpaged || info.path.prev !== undefined) return compute();
  ctx.unpaged.rootList ??= compute();
  return ctx.unpaged.rootList as T[];
}

function byId<T extends { id: number }>(
  items: readonly T[],
  args: PageArgs,
  sortValue?: (item: T) => unknown,
) {
  return paginate(items, args, (item) => item.id, sortValue);
}

function sorted<T extends { id: number }>(
  items: readonly T[],
  value: ((item: T) => string | number) | null,
): T[] {
  const copy = [...items];
  if (!value) return copy.sort((a, b) => a.id - b.id);
  return copy.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x < y) return -1;
    if (x > y) return 1;
    return a.id - b.id;
  });
}

/** Runs a `query:` search, recording unknown fields as a search warning like Shopify does. */
function search<T>(
  ctx: AdminContext,
  info: GraphQLResolveInfo,
  records: readonly T[],
  query: string | null | undefined,
  spec: SearchSpec<T>,
): T[] {
  const result = applySearch(records, query, spec);
  if (result.unknownFields.length > 0 && query) {
    const path: (string | number)[] = [];
    for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev)
      path.unshift(p.key);
    ctx.searchWarnings.push({
      path,
      query,
      warnings: result.unknownFields.map((field) => ({
        field,
        message: "Invalid search field for this query.",
      })),
    });
  }
  return result.items;
}

function stringConnection(values: string[], args: PageArgs) {
  return paginate(values, args, (value) => value);
}

// ---------------------------------------------------------------------------------------------
// Search specs and sort keys
// ---------------------------------------------------------------------------------------------

function productSpec(ctx: AdminContext): SearchSpec<SandboxProduct> {
  const variantsOf = (p: SandboxProduct) => ctx.index.variantsByProduct.get(p.id) ?? [];
  return {
    fields: {
      id: (p) => p.id,
      title: (p) => p.title,
      handle: (p) => p.handle,
      product_type: (p) => p.productType,
      vendor: (p) => p.vendor,
      tag: (p) => p.tags,
      status: (p) => p.status,
      sku: (p) => variantsOf(p).map((v) => v.sku),
      barcode: (p) => variantsOf(p).map((v) => v.barcode),
      price: (p) => variantsOf(p).map((v) => Number(v.price)),
      inventory_total: (p) =>
        variantsOf(p).reduce((total, v) => total + totalAvailable(ctx.store, v.inventoryItemId), 0),
      out_of_stock_somewhere: (p) =>
        variantsOf(p).some((v) => totalAvailable(ctx.store, v.inventoryItemId) <= 0),
      collection_id: (p) => (ctx.index.collectionsByProduct.get(p.id) ?? []).map((c) => c.id),
      created_at: (p) => p.createdAt,
      updated_at: (p) => p.updatedAt,
      published_at: (p) => p.publishedAt,
      gift_card: () => false,
    },
    text: (p) => [
      p.title,
      p.handle,
      p.vendor,
      p.productType,
      ...p.tags,
      ...variantsOf(p).map((v) => v.sku),
    ],
  };
}

function productSortKey(
  sortKey: string | null | undefined,
  ctx: AdminContext,
): ((p: SandboxProduct) => string | number) | null {
  switch (sortKey) {
    case "TITLE":
      return (p) => p.title.toLowerCase();
    case "CREATED_AT":
      return (p) => p.createdAt;
    case "UPDATED_AT":
      return (p) => p.updatedAt;
    case "PUBLISHED_AT":
      return (p) => p.publishedAt ?? "";
    case "PRODUCT_TYPE":
      return (p) => p.productType.toLowerCase();
    case "VENDOR":
      return (p) => p.vendor.toLowerCase();
    case "INVENTORY_TOTAL":
      return (p) =>
        (ctx.index.variantsByProduct.get(p.id) ?? []).reduce(
          (total, v) => total + totalAvailable(ctx.store, v.inventoryItemId),
          0,
        );
    default:
      return null;
  }
}

function variantSpec(ctx: AdminContext): SearchSpec<SandboxVariant> {
  const productOf = (v: SandboxVariant) => ctx.index.products.get(v.productId)!;
  return {
    fields: {
      id: (v) => v.id,
      sku: (v) => v.sku,
      barcode: (v) => v.barcode,
      title: (v) => v.title,
      product_id: (v) => v.productId,
      product_type: (v) => productOf(v).productType,
      product_status: (v) => productOf(v).status,
      vendor: (v) => productOf(v).vendor,
      tag: (v) => productOf(v).tags,
      price: (v) => Number(v.price),
      inventory_quantity: (v) => totalAvailable(ctx.store, v.inventoryItemId),
      inventory_item_id: (v) => v.inventoryItemId,
      created_at: (v) => v.createdAt,
      updated_at: (v) => v.updatedAt,
    },
    text: (v) => [v.title, v.sku, v.barcode, productOf(v).title],
  };
}

function variantSortKey(
  sortKey: string | null | undefined,
  ctx: AdminContext,
): ((v: SandboxVariant) => string | number) | null {
  switch (sortKey) {
    case "SKU":
      return (v) => v.sku;
    case "TITLE":
      return (v) => v.title.toLowerCase();
    case "NAME":
    case "FULL_TITLE":
      return (v) => `${ctx.index.products.get(v.productId)?.title ?? ""} ${v.title}`.toLowerCase();
    case "POSITION":
      return (v) => v.productId * 1000 + v.position;
    case "INVENTORY_QUANTITY":
    case "INVENTORY_LEVELS_AVAILABLE":
      return (v) => totalAvailable(ctx.store, v.inventoryItemId);
    default:
      return null;
  }
}

function orderSpec(ctx: AdminContext): SearchSpec<SandboxOrder> {
  return {
    fields: {
      id: (o) => o.id,
      name: (o) => [o.name, String(o.orderNumber)],
      email: (o) => o.email,
      tag: (o) => o.tags,
      financial_status: (o) => o.financialStatus,
      fulfillment_status: (o) =>
        o.fulfillmentStatus === "fulfilled"
          ? ["fulfilled", "shipped"]
          : o.fulfillmentStatus === "partial"
            ? ["partial", "unshipped"]
            : ["unfulfilled", "unshipped"],
      status: (o) => (o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open"),
      customer_id: (o) => o.customerId,
      sku: (o) => o.lineItems.map((line) => line.sku),
      gateway: (o) => o.gateway,
      test: (o) => o.test,
      currency: (o) => o.presentmentCurrency,
      created_at: (o) => o.createdAt,
      updated_at: (o) => o.updatedAt,
      processed_at: (o) => o.processedAt,
    },
    text: (o) => {
      const customer = o.customerId ? ctx.index.customers.get(o.customerId) : undefined;
      return [
        o.name,
        String(o.orderNumber),
        o.email,
        ...(customer ? [customer.firstName, customer.lastName] : []),
      ];
    },
  };
}

function orderSortKey(
  sortKey: string | null | undefined,
  ctx: AdminContext,
): ((o: SandboxOrder) => string | number) | null {
  switch (sortKey) {
    case "CREATED_AT":
      return (o) => o.createdAt;
    case "UPDATED_AT":
      return (o) => o.updatedAt;
    case "PROCESSED_AT":
      return (o) => o.processedAt;
    case "ORDER_NUMBER":
      return (o) => o.orderNumber;
    case "TOTAL_PRICE":
      return (o) => toCents(o.totals.total.shop);
    case "FINANCIAL_STATUS":
      return (o) => o.financialStatus;
    case "FULFILLMENT_STATUS":
      return (o) => o.fulfillmentStatus ?? "";
    case "TOTAL_ITEMS_QUANTITY":
      return (o) => o.lineItems.reduce((total, line) => total + line.quantity, 0);
    case "CUSTOMER_NAME":
      return (o) => {
        const customer = o.customerId ? ctx.index.customers.get(o.customerId) : undefined;
        return customer ? `${customer.firstName} ${customer.lastName}`.toLowerCase() : "";
      };
    default:
      return null;
  }
}

function customerSpec(ctx: AdminContext): SearchSpec<SandboxCustomer> {
  return {
    fields: {
      id: (c) => c.id,
      email: (c) => c.email,
      first_name: (c) => c.firstName,
      last_name: (c) => c.lastName,
      phone: (c) => c.phone,
      tag: (c) => c.tags,
      state: (c) => c.state,
      country: (c) => c.addresses.map((a) => a.country),
      orders_count: (c) => customerStats(ctx.store, c.id).ordersCount,
      number_of_orders: (c) => customerStats(ctx.store, c.id).ordersCount,
      total_spent: (c) => customerStats(ctx.store, c.id).totalSpentCents / 100,
      amount_spent: (c) => customerStats(ctx.store, c.id).totalSpentCents / 100,
      accepts_marketing: (c) => c.emailMarketingConsent.state === "subscribed",
      email_marketing_state: (c) => c.emailMarketingConsent.state,
      created_at: (c) => c.createdAt,
      updated_at: (c) => c.updatedAt,
    },
    text: (c) => [c.firstName, c.lastName, c.email, c.phone ?? ""],
  };
}

function customerSortKey(
  sortKey: string | null | undefined,
): ((c: SandboxCustomer) => string | number) | null {
  switch (sortKey) {
    case "CREATED_AT":
      return (c) => c.createdAt;
    case "UPDATED_AT":
      return (c) => c.updatedAt;
    case "NAME":
      return (c) => `${c.firstName} ${c.lastName}`.toLowerCase();
    case "LOCATION":
      return (c) => `${c.addresses[0]?.country ?? ""} ${c.addresses[0]?.city ?? ""}`;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolver tables
// ---------------------------------------------------------------------------------------------

type Resolver<T> = (source: T, args: any, ctx: AdminContext, info: GraphQLResolveInfo) => unknown;
type Table<T> = Record<string, Resolver<T>>;

function table<T>(resolvers: Table<T>): Table<unknown> {
  return resolvers as Table<unknown>;
}

function legacy(record: { id: number }): string {
  return String(record.id);
}

function variantImage(ctx: AdminContext, variant: SandboxVariant): SandboxProductImage | null {
  if (variant.mediaId !== null) return ctx.index.mediaImages.get(variant.mediaId)?.image ?? null;
  return null;
}

function orderOfLine(ctx: AdminContext, line: SandboxLineItem): SandboxOrder {
  const entry = ctx.index.lineItems.get(line.id);
  if (!entry) throw sandboxError(`line item ${line.id} has no order`, "INTERNAL_SERVER_ERROR");
  return entry.order;
}

function lineQuantities(ctx: AdminContext, order: SandboxOrder, line: SandboxLineItem) {
  const fulfilled = fulfilledQuantity(ctx.store, order.id, line.id);
  const refunded = refundedQuantity(order, line.id);
  const current = Math.max(0, line.quantity - refunded);
  const unfulfilled = order.cancelledAt ? 0 : Math.max(0, current - fulfilled);
  return { fulfilled, refunded, current, unfulfilled };
}

function refundedTotal(order: SandboxOrder): MoneyPair {
  return sum(
    order.refunds.flatMap((refund) => refund.transactions.map((transaction) => transaction.amount)),
  );
}

function locationAddress(location: SandboxLocation) {
  const a = location.address;
  return {
    ...a,
    latitude: null,
    longitude: null,
    formatted: [a.address1, a.address2, `${a.city} ${a.provinceCode} ${a.zip}`, a.country].filter(
      (line): line is string => Boolean(line),
    ),
  };
}

function distanceInWords(fromMs: number, toMs: number): string {
  const minutes = Math.max(0, Math.round((toMs - fromMs) / 60_000));
  if (minutes < 1) return "less than a minute";
  if (minutes < 45) return `${minutes} minutes`;
  if (minutes < 90) return "about 1 hour";
  if (minutes < 1440) return `about ${Math.round(minutes / 60)} hours`;
  if (minutes < 2520) return "1 day";
  if (minutes < 43_200) return `${Math.round(minutes / 1440)} days`;
  if (minutes < 86_400) return "about 1 month";
  if (minutes < 525_600) return `${Math.round(minutes / 43_200)} months`;
  const years = Math.floor(minutes / 525_600);
  const rest = minutes % 525_600;
  if (rest < 131_400) return `about ${years} year${years === 1 ? "" : "s"}`;
  if (rest < 394_200) return `over ${years} year${years === 1 ? "" : "s"}`;
  return `almost ${years + 1} years`;
}

function timeZoneInfo(timeZone: string, now: Date) {
  const local = toShopLocal(isoUtc(now.getTime()), timeZone);
  const sign = local.slice(-6, -5);
  const hours = Number(local.slice(-5, -3));
  const minutes = Number(local.slice(-2));
  const offsetMinutes = (sign === "-" ? -1 : 1) * (hours * 60 + minutes);
  const abbreviation =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
      .formatToParts(now)
      .find((part) => part.type === "timeZoneName")?.value ?? "UTC";
  return { offset: `${sign}${local.slice(-5, -3)}${local.slice(-2)}`, offsetMinutes, abbreviation };
}

const Shop = table<SandboxShop>({
  id: (s) => gid("Shop", s.id),
  name: (s) => s.name,
  email: (s) => s.email,
  contactEmail: (s) => s.customerEmail,
  myshopifyDomain: (s) => s.domain,
  url: (s) => `https://${s.primaryDomain}`,
  primaryDomain: (s) => ({
    id: `gid://shopify/Domain/${s.id}`,
    host: s.primaryDomain,
    url: `https://${s.primaryDomain}`,
    sslEnabled: true,
    localization: null,
    marketWebPresence: null,
  }),
  currencyCode: (s) => s.currency,
  enabledPresentmentCurrencies: (s) => s.enabledPresentmentCurrencies,
  currencyFormats: (s) => ({
    moneyFormat: s.moneyFormat,
    moneyWithCurrencyFormat: s.moneyWithCurrencyFormat,
    moneyInEmailsFormat: s.moneyFormat,
    moneyWithCurrencyInEmailsFormat: s.moneyWithCurrencyFormat,
  }),
  plan: (s) => ({ displayName: s.planDisplayName, partnerDevelopment: false, shopifyPlus: false }),
  ianaTimezone: (s) => s.ianaTimezone,
  timezoneAbbreviation: (s, _args, ctx) => timeZoneInfo(s.ianaTimezone, ctx.now).abbreviation,
  timezoneOffset: (s, _args, ctx) => timeZoneInfo(s.ianaTimezone, ctx.now).offset,
  timezoneOffsetMinutes: (s, _args, ctx) => timeZoneInfo(s.ianaTimezone, ctx.now).offsetMinutes,
  weightUnit: (s) => ({ kg: "KILOGRAMS", g: "GRAMS", lb: "POUNDS", oz: "OUNCES" })[s.weightUnit],
  unitSystem: (s) =>
    s.weightUnit === "kg" || s.weightUnit === "g" ? "METRIC_SYSTEM" : "IMPERIAL_SYSTEM",
  taxesIncluded: (s) => s.taxesIncluded,
  taxShipping: (s) => s.taxShipping,
  setupRequired: () => false,
  checkoutApiSupported: () => true,
  shopOwnerName: (s) => s.shopOwner,
  description: () => "A deterministic sandbox store for Switchboard's tests and demo.",
  orderNumberFormatPrefix: () => "#",
  orderNumberFormatSuffix: () => "",
  transactionalSmsDisabled: () => false,
  marketingSmsConsentEnabledAtCheckout: () => false,
  shipsToCountries: () => ["US", "CA", "GB", "DE", "FR"],
  createdAt: (s) => s.createdAt,
  updatedAt: (s) => s.updatedAt,
  customerTags: (_s, args, ctx) =>
    stringConnection([...new Set(ctx.store.customers.flatMap((c) => c.tags))].sort(), args),
  orderTags: (_s, args, ctx) =>
    stringConnection([...new Set(ctx.store.orders.flatMap((o) => o.tags))].sort(), args),
  productTags: (_s, args, ctx) =>
    stringConnection([...new Set(ctx.store.products.flatMap((p) => p.tags))].sort(), args),
  productTypes: (_s, args, ctx) =>
    stringConnection([...new Set(ctx.store.products.map((p) => p.productType))].sort(), args),
  productVendors: (_s, args, ctx) =>
    stringConnection([...new Set(ctx.store.products.map((p) => p.vendor))].sort(), args),
});

const Location = table<SandboxLocation>({
  id: (l) => gid("Location", l.id),
  legacyResourceId: legacy,
  name: (l) => l.name,
  address: (l) => locationAddress(l),
  isActive: (l) => l.isActive,
  fulfillsOnlineOrders: (l) => l.fulfillsOnlineOrders,
  shipsInventory: (l) => l.fulfillsOnlineOrders,
  hasActiveInventory: () => true,
  activatable: () => false,
  deactivatable: () => true,
  deletable: () => false,
  isFulfillmentService: () => false,
  addressVerified: () => true,
  deactivatedAt: () => null,
  fulfillmentService: () => null,
  localPickupSettingsV2: () => null,
  suggestedAddresses: () => [],
  hasUnfulfilledOrders: (l, _args, ctx) =>
    l.id === ctx.store.shop.primaryLocationId &&
    ctx.store.orders.some((o) => !o.cancelledAt && o.fulfillmentStatus !== "fulfilled"),
  createdAt: (l) => l.createdAt,
  updatedAt: (l) => l.updatedAt,
  inventoryLevel: (l, args, ctx) => {
    const parsed = requireGid(args.inventoryItemId);
    return (
      (ctx.index.levelsByItem.get(parsed.id) ?? []).find((level) => level.locationId === l.id) ??
      null
    );
  },
  inventoryLevels: (l, args, ctx) =>
    byId(
      ctx.store.inventoryLevels.filter((level) => level.locationId === l.id),
      args,
    ),
});

const Collection = table<SandboxCollection>({
  id: (c) => gid("Collection", c.id),
  legacyResourceId: legacy,
  title: (c) => c.title,
  handle: (c) => c.handle,
  description: (c) => plainText(c.descriptionHtml),
  descriptionHtml: (c) => c.descriptionHtml,
  updatedAt: (c) => c.updatedAt,
  sortOrder: (c) =>
    ({ manual: "MANUAL", "best-selling": "BEST_SELLING", "alpha-asc": "ALPHA_ASC" })[c.sortOrder],
  image: () => null,
  ruleSet: () => null,
  templateSuffix: () => null,
  seo: (c) => ({ title: c.title, description: plainText(c.descriptionHtml) }),
  productsCount: (c) => count(c.productIds.length),
  hasProduct: (c, args) => c.productIds.includes(requireGid(args.id).id),
  products: (c, args, ctx) => {
    const products = c.productIds
      .map((id) => ctx.index.products.get(id))
      .filter((p): p is SandboxProduct => Boolean(p));
    const key =
      args.sortKey === "TITLE"
        ? (p: SandboxProduct) => p.title.toLowerCase()
        : args.sortKey === "CREATED"
          ? (p: SandboxProduct) => p.createdAt
          : null;
    return byId(key ? sorted(products, key) : products, args);
  },
});

function productVariants(ctx: AdminContext, product: SandboxProduct): SandboxVariant[] {
  return ctx.index.variantsByProduct.get(product.id) ?? [];
}

function priceRange(
  variants: SandboxVariant[],
  field: "price" | "compareAtPrice",
  currency: string,
) {
  const prices = variants
    .map((v) => v[field])
    .filter((p): p is string => p !== null)
    .map(Number);
  if (prices.length === 0) return null;
  return {
    min: moneyV2(Math.min(...prices).toFixed(2), currency),
    max: moneyV2(Math.max(...prices).toFixed(2), currency),
  };
}

const Product = table<SandboxProduct>({
  id: (p) => gid("Product", p.id),
  legacyResourceId: legacy,
  title: (p) => p.title,
  handle: (p) => p.handle,
  description: (p, args) => {
    const text = plainText(p.descriptionHtml);
    return typeof args.truncateAt === "number" && text.length > args.truncateAt
      ? `${text.slice(0, args.truncateAt)}…`
      : text;
  },
  descriptionHtml: (p) => p.descriptionHtml,
  bodyHtml: (p) => p.descriptionHtml,
  vendor: (p) => p.vendor,
  productType: (p) => p.productType,
  tags: (p) => p.tags,
  status: (p) => p.status.toUpperCase(),
  createdAt: (p) => p.createdAt,
  updatedAt: (p) => p.updatedAt,
  publishedAt: (p) => p.publishedAt,
  onlineStoreUrl: (p, _args, ctx) =>
    p.publishedAt ? `https://${ctx.store.shop.primaryDomain}/products/${p.handle}` : null,
  onlineStorePreviewUrl: (p, _args, ctx) =>
    `https://${ctx.store.shop.primaryDomain}/products/${p.handle}`,
  isGiftCard: () => false,
  requiresSellingPlan: () => false,
  templateSuffix: () => null,
  giftCardTemplateSuffix: () => null,
  seo: (p) => ({ title: p.title, description: plainText(p.descriptionHtml) }),
  tracksInventory: () => true,
  hasOnlyDefaultVariant: (p, _args, ctx) =>
    productVariants(ctx, p).length === 1 && productVariants(ctx, p)[0]!.title === "Default Title",
  hasOutOfStockVariants: (p, _args, ctx) =>
    productVariants(ctx, p).some((v) => totalAvailable(ctx.store, v.inventoryItemId) <= 0),
  totalInventory: (p, _args, ctx) =>
    productVariants(ctx, p).reduce(
      (total, v) => total + totalAvailable(ctx.store, v.inventoryItemId),
      0,
    ),
  totalVariants: (p, _args, ctx) => productVariants(ctx, p).length,
  variantsCount: (p, _args, ctx) => count(productVariants(ctx, p).length),
  variants: (p, args, ctx) => {
    const key = variantSortKey(args.sortKey, ctx);
    return byId(key ? sorted(productVariants(ctx, p), key) : productVariants(ctx, p), args);
  },
  options: (p, args) =>
    p.options.slice(0, typeof args.first === "number" ? args.first : undefined).map((option) => ({
      id: gid("ProductOption", option.id),
      name: option.name,
      position: option.position,
      values: option.values,
      linkedMetafield: null,
      optionValues: option.values.map((value, i) => ({
        id: `gid://shopify/ProductOptionValue/${option.id * 10 + i}`,
        name: value,
        hasVariants: true,
        swatch: null,
        linkedMetafieldValue: null,
      })),
    })),
  featuredImage: (p) => p.images[0] ?? null,
  featuredMedia: (p) => typed(p.images[0], "MediaImage"),
  images: (p, args) => paginate(p.images, args, (image) => image.imageId),
  media: (p, args) =>
    paginate(
      p.images.map((image) => typed(image, "MediaImage")!),
      args,
      (image) => image.mediaId,
    ),
  mediaCount: (p) => count(p.images.length),
  priceRangeV2: (p, _args, ctx) => {
    const range = priceRange(productVariants(ctx, p), "price", ctx.store.shop.currency)!;
    return { minVariantPrice: range.min, maxVariantPrice: range.max };
  },
  priceRange: (p, _args, ctx) => {
    const range = priceRange(productVariants(ctx, p), "price", ctx.store.shop.currency)!;
    return { minVariantPrice: range.min, maxVariantPrice: range.max };
  },
  compareAtPriceRange: (p, _args, ctx) => {
    const range = priceRange(productVariants(ctx, p), "compareAtPrice", ctx.store.shop.currency);
    return range
      ? { minVariantCompareAtPrice: range.min, maxVariantCompareAtPrice: range.max }
      : null;
  },
  collections: (p, args, ctx) => byId(ctx.index.collectionsByProduct.get(p.id) ?? [], args),
  inCollection: (p, args, ctx) =>
    (ctx.index.collectionsByProduct.get(p.id) ?? []).some((c) => c.id === requireGid(args.id).id),
});

const ProductVariant = table<SandboxVariant>({
  id: (v) => gid("ProductVariant", v.id),
  legacyResourceId: legacy,
  title: (v) => v.title,
  displayName: (v, _args, ctx) =>
    `${ctx.index.products.get(v.productId)?.title ?? ""} - ${v.title}`,
  sku: (v) => v.sku,
  barcode: (v) => v.barcode,
  price: (v) => v.price,
  compareAtPrice: (v) => v.compareAtPrice,
  position: (v) => v.position,
  taxable: (v) => v.taxable,
  taxCode: () => null,
  inventoryPolicy: (v) => v.inventoryPolicy.toUpperCase(),
  inventoryQuantity: (v, _args, ctx) => totalAvailable(ctx.store, v.inventoryItemId),
  sellableOnlineQuantity: (v, _args, ctx) =>
    (ctx.index.levelsByItem.get(v.inventoryItemId) ?? [])
      .filter((level) => ctx.index.locations.get(level.locationId)?.fulfillsOnlineOrders)
      .reduce((total, level) => total + Math.max(0, level.quantities.available), 0),
  availableForSale: (v, _args, ctx) =>
    v.inventoryPolicy === "continue" || totalAvailable(ctx.store, v.inventoryItemId) > 0,
  requiresComponents: () => false,
  selectedOptions: (v) =>
    v.selectedOptions.map((option) => ({ name: option.name, value: option.value })),
  inventoryItem: (v, _args, ctx) => ctx.index.inventoryItems.get(v.inventoryItemId),
  product: (v, _args, ctx) => ctx.index.products.get(v.productId),
  image: (v, _args, ctx) => variantImage(ctx, v),
  media: (v, args, ctx) => {
    const image = variantImage(ctx, v);
    return paginate(image ? [typed(image, "MediaImage")!] : [], args, (i) => i.mediaId);
  },
  createdAt: (v) => v.createdAt,
  updatedAt: (v) => v.updatedAt,
});

const Image = table<SandboxProductImage>({
  id: (i) => gid("ProductImage", i.imageId),
  url: (i, args) => {
    const transform = args.transform as { maxWidth?: number; maxHeight?: number } | undefined;
    if (!transform || (!transform.maxWidth && !transform.maxHeight)) return i.url;
    return `${i.url}?width=${transform.maxWidth ?? ""}&height=${transform.maxHeight ?? ""}`;
  },
  src: (i) => i.url,
  originalSrc: (i) => i.url,
  transformedSrc: (i) => i.url,
  altText: (i) => i.altText,
  width: (i) => i.width,
  height: (i) => i.height,
});

const MediaImage = table<SandboxProductImage>({
  id: (i) => gid("MediaImage", i.mediaId),
  alt: (i) => i.altText,
  mediaContentType: () => "IMAGE",
  status: () => "READY",
  fileStatus: () => "READY",
  mimeType: () => "image/png",
  image: (i) => i,
  preview: (i) => ({ image: i, status: "READY" }),
  mediaErrors: () => [],
  mediaWarnings: () => [],
  fileErrors: () => [],
  createdAt: (i) => i.createdAt,
  updatedAt: (i) => i.createdAt,
});

const InventoryItem = table<SandboxInventoryItem>({
  id: (i) => gid("InventoryItem", i.id),
  legacyResourceId: legacy,
  sku: (i) => i.sku,
  tracked: (i) => i.tracked,
  requiresShipping: (i) => i.requiresShipping,
  unitCost: (i, _args, ctx) =>
    i.unitCost === null ? null : moneyV2(i.unitCost, ctx.store.shop.currency),
  countryCodeOfOrigin: (i) => i.countryCodeOfOrigin,
  provinceCodeOfOrigin: () => null,
  harmonizedSystemCode: (i) => i.harmonizedSystemCode,
  duplicateSkuCount: () => 0,
  inventoryHistoryUrl: (i, _args, ctx) =>
    `https://admin.shopify.com/store/${ctx.store.shop.domain.replace(".myshopify.com", "")}/products/inventory/${i.id}/inventory_history`,
  measurement: (i, _args, ctx) => ({
    id: `gid://shopify/InventoryItemMeasurement/${i.id}`,
    weight: { unit: "GRAMS", value: ctx.index.variants.get(i.variantId)?.grams ?? 0 },
  }),
  variant: (i, _args, ctx) => ctx.index.variants.get(i.variantId),
  locationsCount: (i, _args, ctx) => count((ctx.index.levelsByItem.get(i.id) ?? []).length),
  inventoryLevel: (i, args, ctx) => {
    const parsed = requireGid(args.locationId);
    return (
      (ctx.index.levelsByItem.get(i.id) ?? []).find((level) => level.locationId === parsed.id) ??
      null
    );
  },
  inventoryLevels: (i, args, ctx) => byId(ctx.index.levelsByItem.get(i.id) ?? [], args),
  createdAt: (i) => i.createdAt,
  updatedAt: (i) => i.updatedAt,
});

const InventoryLevel = table<SandboxInventoryLevel>({
  id: (l) => inventoryLevelGid(l.id, l.inventoryItemId),
  location: (l, _args, ctx) => ctx.index.locations.get(l.locationId),
  item: (l, _args, ctx) => ctx.index.inventoryItems.get(l.inventoryItemId),
  quantities: (l, args) => {
    const names = args.names as string[];
    const unknown = names.filter(
      (name) => !(INVENTORY_QUANTITY_NAMES as readonly string[]).includes(name),
    );
    if (unknown.length > 0) {
      throw sandboxError(
        `Invalid quantity names: ${unknown.join(", ")}. Valid names: ${INVENTORY_QUANTITY_NAMES.join(", ")}.`,
        "BAD_REQUEST",
      );
    }
    return names.map((name) => ({
      id: `gid://shopify/InventoryQuantity/${l.id}?inventory_item_id=${l.inventoryItemId}&name=${name}`,
      name,
      quantity: l.quantities[name as keyof typeof l.quantities],
      updatedAt: l.updatedAt,
    }));
  },
  canDeactivate: () => false,
  deactivationAlert: () => null,
  createdAt: (l) => l.createdAt,
  updatedAt: (l) => l.updatedAt,
});

function emailState(customer: SandboxCustomer): string {
  return customer.emailMarketingConsent.state.toUpperCase();
}

const Customer = table<SandboxCustomer>({
  id: (c) => gid("Customer", c.id),
  legacyResourceId: legacy,
  firstName: (c) => c.firstName,
  lastName: (c) => c.lastName,
  displayName: (c) => `${c.firstName} ${c.lastName}`,
  email: (c) => c.email,
  phone: (c) => c.phone,
  note: (c) => c.note,
  tags: (c) => c.tags,
  state: (c) => c.state.toUpperCase(),
  locale: (c) => c.locale,
  verifiedEmail: (c) => c.verifiedEmail,
  validEmailAddress: () => true,
  taxExempt: (c) => c.taxExempt,
  taxExemptions: () => [],
  dataSaleOptOut: () => false,
  multipassIdentifier: () => null,
  productSubscriberStatus: () => "NEVER_SUBSCRIBED",
  createdAt: (c) => c.createdAt,
  updatedAt: (c) => c.updatedAt,
  lifetimeDuration: (c, _args, ctx) => distanceInWords(Date.parse(c.createdAt), ctx.now.getTime()),
  canDelete: (c, _args, ctx) => (ctx.index.ordersByCustomer.get(c.id) ?? []).length === 0,
  unsubscribeUrl: (c, _args, ctx) =>
    `https://${ctx.store.shop.primaryDomain}/unsubscribe?c=${c.id}`,
  numberOfOrders: (c, _args, ctx) => String(customerStats(ctx.store, c.id).ordersCount),
  amountSpent: (c, _args, ctx) =>
    moneyV2(fromCents(customerStats(ctx.store, c.id).totalSpentCents), ctx.store.shop.currency),
  lastOrder: (c, _args, ctx) => customerStats(ctx.store, c.id).lastOrder,
  orders: (c, args, ctx, info) => {
    const own = (ctx.index.ordersByCustomer.get(c.id) ?? []).filter((o) => orderVisible(ctx, o));
    const filtered = search(ctx, info, own, args.query, orderSpec(ctx));
    return byId(sorted(filtered, orderSortKey(args.sortKey, ctx)), args);
  },
  emailMarketingConsent: (c) => ({
    marketingState: emailState(c),
    marketingOptInLevel: upper(c.emailMarketingConsent.optInLevel),
    consentUpdatedAt: c.emailMarketingConsent.consentUpdatedAt,
    sourceLocation: null,
  }),
  smsMarketingConsent: (c) =>
    c.smsMarketingConsent
      ? {
          marketingState: c.smsMarketingConsent.state.toUpperCase(),
          marketingOptInLevel: c.smsMarketingConsent.optInLevel.toUpperCase(),
          consentUpdatedAt: c.smsMarketingConsent.consentUpdatedAt,
          consentCollectedFrom: c.smsMarketingConsent.consentCollectedFrom,
          sourceLocation: null,
        }
      : null,
  defaultEmailAddress: (c, _args, ctx) => ({
    emailAddress: c.email,
    marketingState: c.emailMarketingConsent.state === "redacted" ? "INVALID" : emailState(c),
    marketingOptInLevel: upper(c.emailMarketingConsent.optInLevel),
    marketingUpdatedAt: c.emailMarketingConsent.consentUpdatedAt,
    marketingUnsubscribeUrl: `https://${ctx.store.shop.primaryDomain}/unsubscribe?c=${c.id}`,
    openTrackingLevel: "UNKNOWN",
    openTrackingUrl: `https://${ctx.store.shop.primaryDomain}/open-tracking?c=${c.id}`,
    sourceLocation: null,
    validFormat: true,
  }),
  defaultPhoneNumber: (c) =>
    c.phone
      ? {
          phoneNumber: c.phone,
          marketingState: (c.smsMarketingConsent?.state ?? "not_subscribed").toUpperCase(),
          marketingOptInLevel: upper(c.smsMarketingConsent?.optInLevel ?? null),
          marketingUpdatedAt: c.smsMarketingConsent?.consentUpdatedAt ?? null,
          marketingCollectedFrom: c.smsMarketingConsent?.consentCollectedFrom ?? null,
          sourceLocation: null,
        }
      : null,
  defaultAddress: (c) => c.addresses.find((a) => a.id === c.defaultAddressId) ?? null,
  addresses: (c, args) =>
    c.addresses.slice(0, typeof args.first === "number" ? args.first : undefined),
  addressesV2: (c, args) => byId(c.addresses, args),
  statistics: (c, _args, ctx) => {
    const spent = customerStats(ctx.store, c.id).totalSpentCents;
    return {
      predictedSpendTier: spent >= 60_000 ? "HIGH" : spent >= 15_000 ? "MEDIUM" : "LOW",
      rfmGroup: null,
    };
  },
});

const MailingAddress = table<SandboxAddress>({
  id: (a) => gid("MailingAddress", a.id, { model_name: "CustomerAddress" }),
  firstName: (a) => a.firstName,
  lastName: (a) => a.lastName,
  name: (a) => `${a.firstName} ${a.lastName}`,
  company: (a) => a.company,
  address1: (a) => a.address1,
  address2: (a) => a.address2,
  city: (a) => a.city,
  province: (a) => a.province,
  provinceCode: (a) => a.provinceCode,
  country: (a) => a.country,
  countryCodeV2: (a) => a.countryCode,
  countryCode: (a) => a.countryCode,
  zip: (a) => a.zip,
  phone: (a) => a.phone,
  latitude: (a) => a.latitude,
  longitude: (a) => a.longitude,
  coordinatesValidated: () => true,
  timeZone: () => null,
  validationResultSummary: () => null,
  formattedArea: (a) => `${a.city} ${a.provinceCode}, ${a.country}`,
  formatted: (a, args) =>
    [
      args.withName ? `${a.firstName} ${a.lastName}` : null,
      args.withCompany ? a.company : null,
      a.address1,
      a.address2,
      `${a.city} ${a.provinceCode} ${a.zip}`,
      a.country,
    ].filter((line): line is string => Boolean(line)),
});

function orderFulfillments(ctx: AdminContext, order: SandboxOrder): SandboxFulfillment[] {
  return ctx.index.fulfillmentsByOrder.get(order.id) ?? [];
}

const Order = table<SandboxOrder>({
  id: (o) => gid("Order", o.id),
  legacyResourceId: legacy,
  name: (o) => o.name,
  number: (o) => o.orderNumber - 1000,
  confirmationNumber: (o) => o.confirmationNumber,
  email: (o) => o.email,
  phone: (o) => o.phone,
  note: (o) => o.note,
  tags: (o) => o.tags,
  test: (o) => o.test,
  confirmed: () => true,
  closed: (o) => o.closedAt !== null,
  closedAt: (o) => o.closedAt,
  cancelledAt: (o) => o.cancelledAt,
  cancelReason: (o) => upper(o.cancelReason),
  createdAt: (o) => o.createdAt,
  updatedAt: (o) => o.updatedAt,
  processedAt: (o) => o.processedAt,
  sourceName: (o) => o.sourceName,
  sourceIdentifier: () => null,
  customerLocale: (o) => o.customerLocale,
  customerAcceptsMarketing: (o) => o.buyerAcceptsMarketing,
  currencyCode: (o) => o.currency,
  presentmentCurrencyCode: (o) => o.presentmentCurrency,
  paymentGatewayNames: (o) => [o.gateway],
  discountCode: (o) => o.discountCodes[0]?.code ?? null,
  discountCodes: (o) => o.discountCodes.map((d) => d.code),
  displayFinancialStatus: (o) => o.financialStatus.toUpperCase(),
  displayFulfillmentStatus: (o) =>
    o.fulfillmentStatus === "fulfilled"
      ? "FULFILLED"
      : o.fulfillmentStatus === "partial"
        ? "PARTIALLY_FULFILLED"
        : "UNFULFILLED",
  fullyPaid: (o) =>
    !["pending", "authorized", "partially_paid", "voided"].includes(o.financialStatus),
  unpaid: (o) => o.financialStatus === "pending" || o.financialStatus === "authorized",
  capturable: (o) => o.financialStatus === "authorized",
  refundable: (o) => ["paid", "partially_refunded"].includes(o.financialStatus),
  restockable: (o) => o.fulfillmentStatus !== "fulfilled",
  requiresShipping: () => true,
  taxesIncluded: (_o, _args, ctx) => ctx.store.shop.taxesIncluded,
  taxExempt: (o, _args, ctx) =>
    o.customerId ? (ctx.index.customers.get(o.customerId)?.taxExempt ?? false) : false,
  estimatedTaxes: () => false,
  dutiesIncluded: () => false,
  edited: () => false,
  returnStatus: (o) =>
    o.refunds.some((r) => r.refundLineItems.some((l) => l.restockType === "return"))
      ? "RETURNED"
      : "NO_RETURN",
  statusPageUrl: (o, _args, ctx) =>
    `https://${ctx.store.shop.primaryDomain}/${ctx.store.shop.id}/orders/${o.token}/authenticate?key=${o.token.slice(0, 16)}`,
  customer: (o, _args, ctx) =>
    o.customerId ? (ctx.index.customers.get(o.customerId) ?? null) : null,
  shippingAddress: (o) => o.shippingAddress,
  billingAddress: (o) => o.billingAddress,
  displayAddress: (o) => o.shippingAddress ?? o.billingAddress,
  billingAddressMatchesShippingAddress: (o) => o.billingAddress?.id === o.shippingAddress?.id,
  subtotalLineItemsQuantity: (o) => o.lineItems.reduce((total, line) => total + line.quantity, 0),
  currentSubtotalLineItemsQuantity: (o, _args, ctx) =>
    o.lineItems.reduce((total, line) => total + lineQuantities(ctx, o, line).current, 0),
  totalWeight: (o) =>
    String(o.lineItems.reduce((total, line) => total + line.grams * line.quantity, 0)),
  currentTotalWeight: (o, _args, ctx) =>
    String(
      o.lineItems.reduce(
        (total, line) => total + line.grams * lineQuantities(ctx, o, line).current,
        0,
      ),
    ),
  totalPriceSet: (o) => bag(o.totals.total, o),
  originalTotalPriceSet: (o) => bag(o.totals.total, o),
  subtotalPriceSet: (o) => bag(o.totals.subtotal, o),
  totalTaxSet: (o) => bag(o.totals.tax, o),
  totalShippingPriceSet: (o) => bag(o.totals.shipping, o),
  totalDiscountsSet: (o) => bag(o.totals.discounts, o),
  cartDiscountAmountSet: (o) => bag(o.totals.discounts, o),
  currentCartDiscountAmountSet: (o) => bag(o.totals.discounts, o),
  currentTotalDiscountsSet: (o) => bag(o.totals.discounts, o),
  totalRefundedSet: (o) => bag(refundedTotal(o), o),
  totalRefundedShippingSet: (o) =>
    bag(o.financialStatus === "refunded" ? o.totals.shipping : ZERO, o),
  totalReceivedSet: (o) =>
    bag(["pending", "authorized", "voided"].includes(o.financialStatus) ? ZERO : o.totals.total, o),
  netPaymentSet: (o) =>
    bag(
      ["pending", "authorized", "voided"].includes(o.financialStatus)
        ? ZERO
        : minus(o.totals.total, refundedTotal(o)),
      o,
    ),
  totalOutstandingSet: (o) =>
    bag(
      o.financialStatus === "pending" || o.financialStatus === "authorized" ? o.totals.total : ZERO,
      o,
    ),
  totalCapturableSet: (o) => bag(o.financialStatus === "authorized" ? o.totals.total : ZERO, o),
  totalTipReceivedSet: (o) => bag(ZERO, o),
  currentTotalPriceSet: (o) => bag(minus(o.totals.total, refundedTotal(o)), o),
  currentSubtotalPriceSet: (o) =>
    bag(
      minus(
        o.totals.subtotal,
        sum(o.refunds.flatMap((r) => r.refundLineItems.map((l) => l.subtotal))),
      ),
      o,
    ),
  currentTotalTaxSet: (o) =>
    bag(
      minus(o.totals.tax, sum(o.refunds.flatMap((r) => r.refundLineItems.map((l) => l.totalTax)))),
      o,
    ),
  currentShippingPriceSet: (o) =>
    bag(o.financialStatus === "refunded" ? ZERO : o.totals.shipping, o),
  totalPrice: (o) => o.totals.total.shop,
  subtotalPrice: (o) => o.totals.subtotal.shop,
  totalTax: (o) => o.totals.tax.shop,
  totalShippingPrice: (o) => o.totals.shipping.shop,
  totalDiscounts: (o) => o.totals.discounts.shop,
  totalRefunded: (o) => refundedTotal(o).shop,
  totalReceived: (o) =>
    ["pending", "authorized", "voided"].includes(o.financialStatus) ? "0.00" : o.totals.total.shop,
  taxLines: (o) => o.taxLines.map((t) => taxLine(t, o)),
  currentTaxLines: (o) => o.taxLines.map((t) => taxLine(t, o)),
  shippingLine: (o) => (o.shippingLines[0] ? shippingLine(o.shippingLines[0], o) : null),
  shippingLines: (o, args) =>
    paginate(
      o.shippingLines.map((line) => shippingLine(line, o)),
      args,
      (line) => line.key,
    ),
  lineItems: (o, args) => byId(o.lineItems, args),
  fulfillments: (o, args, ctx) =>
    orderFulfillments(ctx, o).slice(0, typeof args.first === "number" ? args.first : undefined),
  fulfillmentsCount: (o, _args, ctx) => count(orderFulfillments(ctx, o).length),
  fulfillable: (o, _args, ctx) =>
    !o.cancelledAt && o.lineItems.some((line) => lineQuantities(ctx, o, line).unfulfilled > 0),
  refunds: (o, args) => o.refunds.slice(0, typeof args.first === "number" ? args.first : undefined),
  customAttributes: () => [],
  alerts: () => [],
  disputes: () => [],
  merchantEditable: (o) => !o.cancelledAt,
  merchantEditableErrors: () => [],
  canMarkAsPaid: (o) => o.financialStatus === "pending",
  canNotifyCustomer: () => true,
  hasTimelineComment: () => false,
  poNumber: () => null,
  clientIp: (o) => `203.0.113.${(o.orderNumber % 250) + 1}`,
});

function taxLine(t: SandboxOrder["taxLines"][number], order: SandboxOrder) {
  return {
    title: t.title,
    rate: t.rate,
    ratePercentage: Math.round(t.rate * 10_000) / 100,
    priceSet: bag(t.price, order),
    channelLiable: false,
    source: "Shopify",
  };
}

function shippingLine(line: SandboxOrder["shippingLines"][number], order: SandboxOrder) {
  const price = bag(line.price, order);
  return {
    key: line.id,
    id: gid("ShippingLine", line.id),
    title: line.title,
    code: line.code,
    source: line.source,
    carrierIdentifier: null,
    custom: false,
    isRemoved: false,
    deliveryCategory: null,
    phone: null,
    shippingRateHandle: null,
    originalPriceSet: price,
    discountedPriceSet: price,
    currentDiscountedPriceSet: price,
    taxLines: [],
    discountAllocations: [],
  };
}

const LineItem = table<SandboxLineItem>({
  id: (l) => gid("LineItem", l.id),
  name: (l) => l.name,
  title: (l) => l.title,
  variantTitle: (l) => l.variantTitle,
  sku: (l) => l.sku,
  vendor: (l) => l.vendor,
  quantity: (l) => l.quantity,
  currentQuantity: (l, _args, ctx) => lineQuantities(ctx, orderOfLine(ctx, l), l).current,
  unfulfilledQuantity: (l, _args, ctx) => lineQuantities(ctx, orderOfLine(ctx, l), l).unfulfilled,
  fulfillableQuantity: (l, _args, ctx) => lineQuantities(ctx, orderOfLine(ctx, l), l).unfulfilled,
  refundableQuantity: (l, _args, ctx) => lineQuantities(ctx, orderOfLine(ctx, l), l).current,
  nonFulfillableQuantity: (l, _args, ctx) => lineQuantities(ctx, orderOfLine(ctx, l), l).refunded,
  fulfillmentStatus: (l, _args, ctx) => {
    const q = lineQuantities(ctx, orderOfLine(ctx, l), l);
    return q.fulfilled >= l.quantity ? "fulfilled" : q.fulfilled > 0 ? "partial" : "unfulfilled";
  },
  requiresShipping: (l) => l.requiresShipping,
  taxable: (l) => l.taxable,
  isGiftCard: () => false,
  merchantEditable: () => true,
  restockable: () => true,
  canRestock: () => true,
  customAttributes: () => [],
  discountAllocations: () => [],
  duties: () => [],
  sellingPlan: () => null,
  contract: () => null,
  staffMember: () => null,
  lineItemGroup: () => null,
  variant: (l, _args, ctx) =>
    l.variantId !== null ? (ctx.index.variants.get(l.variantId) ?? null) : null,
  product: (l, _args, ctx) =>
    l.productId !== null ? (ctx.index.products.get(l.productId) ?? null) : null,
  image: (l, _args, ctx) => {
    const variant = l.variantId !== null ? ctx.index.variants.get(l.variantId) : undefined;
    const product = l.productId !== null ? ctx.index.products.get(l.productId) : undefined;
    return (variant ? variantImage(ctx, variant) : null) ?? product?.images[0] ?? null;
  },
  taxLines: (l, args, ctx) =>
    l.taxLines
      .slice(0, typeof args.first === "number" ? args.first : undefined)
      .map((t) => taxLine(t, orderOfLine(ctx, l))),
  originalUnitPriceSet: (l, _args, ctx) => bag(l.price, orderOfLine(ctx, l)),
  originalUnitPrice: (l) => l.price.shop,
  originalTotalSet: (l, _args, ctx) => bag(scale(l.price, l.quantity), orderOfLine(ctx, l)),
  originalTotal: (l) => scale(l.price, l.quantity).shop,
  discountedUnitPriceSet: (l, _args, ctx) =>
    bag(minus(l.price, scale(l.totalDiscount, 1 / l.quantity)), orderOfLine(ctx, l)),
  discountedUnitPriceAfterAllDiscountsSet: (l, _args, ctx) =>
    bag(minus(l.price, scale(l.totalDiscount, 1 / l.quantity)), orderOfLine(ctx, l)),
  discountedTotalSet: (l, _args, ctx) =>
    bag(minus(scale(l.price, l.quantity), l.totalDiscount), orderOfLine(ctx, l)),
  discountedTotal: (l) => minus(scale(l.price, l.quantity), l.totalDiscount).shop,
  totalDiscountSet: (l, _args, ctx) => bag(l.totalDiscount, orderOfLine(ctx, l)),
  totalDiscount: (l) => l.totalDiscount.shop,
  unfulfilledOriginalTotalSet: (l, _args, ctx) => {
    const order = orderOfLine(ctx, l);
    return bag(scale(l.price, lineQuantities(ctx, order, l).unfulfilled), order);
  },
  unfulfilledDiscountedTotalSet: (l, _args, ctx) => {
    const order = orderOfLine(ctx, l);
    const unfulfilled = lineQuantities(ctx, order, l).unfulfilled;
    return bag(
      scale(minus(scale(l.price, l.quantity), l.totalDiscount), unfulfilled / l.quantity),
      order,
    );
  },
});

const Fulfillment = table<SandboxFulfillment>({
  id: (f) => gid("Fulfillment", f.id),
  legacyResourceId: legacy,
  name: (f) => f.name,
  status: (f) => f.status.toUpperCase(),
  displayStatus: (f) =>
    f.shipmentStatus ? f.shipmentStatus.toUpperCase() : f.status === "success" ? "FULFILLED" : null,
  createdAt: (f) => f.createdAt,
  updatedAt: (f) => f.updatedAt,
  estimatedDeliveryAt: (f) => f.estimatedDeliveryAt,
  deliveredAt: (f) => f.events.find((e) => e.status === "delivered")?.happenedAt ?? null,
  inTransitAt: (f) => f.events.find((e) => e.status === "in_transit")?.happenedAt ?? null,
  requiresShipping: () => true,
  totalQuantity: (f) => f.lineItems.reduce((total, line) => total + line.quantity, 0),
  trackingInfo: (f, args) =>
    f.trackingNumbers
      .map((number, i) => ({ company: f.trackingCompany, number, url: f.trackingUrls[i] ?? null }))
      .slice(0, typeof args.first === "number" ? args.first : undefined),
  order: (f, _args, ctx) => ctx.index.orders.get(f.orderId),
  location: (f, _args, ctx) => ctx.index.locations.get(f.locationId) ?? null,
  service: () => null,
  originAddress: (f, _args, ctx) => {
    const location = ctx.index.locations.get(f.locationId);
    return location
      ? {
          address1: location.address.address1,
          address2: location.address.address2,
          city: location.address.city,
          countryCode: location.address.countryCode,
          provinceCode: location.address.provinceCode,
          zip: location.address.zip,
        }
      : null;
  },
  events: (f, args) => {
    const events =
      args.sortKey === "ID"
        ? [...f.events].sort((a, b) => a.id - b.id)
        : [...f.events].sort((a, b) => a.happenedAt.localeCompare(b.happenedAt) || a.id - b.id);
    return byId(events, args);
  },
  fulfillmentLineItems: (f, args) =>
    byId(
      f.lineItems.map((line) => ({ ...line, fulfillment: f })),
      args,
    ),
});

const FulfillmentLineItem = table<
  SandboxFulfillment["lineItems"][number] & { fulfillment: SandboxFulfillment }
>({
  id: (l) => gid("FulfillmentLineItem", l.id),
  quantity: (l) => l.quantity,
  lineItem: (l, _args, ctx) => ctx.index.lineItems.get(l.lineItemId)?.line,
  originalTotalSet: (l, _args, ctx) => {
    const entry = ctx.index.lineItems.get(l.lineItemId)!;
    return bag(scale(entry.line.price, l.quantity), entry.order);
  },
  discountedTotalSet: (l, _args, ctx) => {
    const entry = ctx.index.lineItems.get(l.lineItemId)!;
    return bag(
      minus(
        scale(entry.line.price, l.quantity),
        scale(entry.line.totalDiscount, l.quantity / entry.line.quantity),
      ),
      entry.order,
    );
  },
});

const FulfillmentEvent = table<SandboxFulfillmentEvent>({
  id: (e) => gid("FulfillmentEvent", e.id),
  status: (e) => e.status.toUpperCase(),
  message: (e) => e.message,
  happenedAt: (e) => e.happenedAt,
  createdAt: (e) => e.createdAt,
  estimatedDeliveryAt: (e) => e.estimatedDeliveryAt,
  address1: (e) => e.address1,
  city: (e) => e.city,
  province: (e) => e.province,
  country: (e) => e.country,
  zip: (e) => e.zip,
  latitude: (e) => e.latitude,
  longitude: (e) => e.longitude,
});

const Refund = table<SandboxRefund>({
  id: (r) => gid("Refund", r.id),
  legacyResourceId: legacy,
  createdAt: (r) => r.createdAt,
  updatedAt: (r) => r.processedAt,
  note: (r) => r.note,
  order: (r, _args, ctx) => ctx.index.orders.get(r.orderId),
  duties: () => [],
  return: () => null,
  staffMember: () => null,
  totalRefundedSet: (r, _args, ctx) =>
    bag(sum(r.transactions.map((t) => t.amount)), ctx.index.orders.get(r.orderId)!),
  refundLineItems: (r, args, ctx) => {
    const order = ctx.index.orders.get(r.orderId)!;
    const items = r.refundLineItems.map((entry) => {
      const line = order.lineItems.find((l) => l.id === entry.lineItemId)!;
      return {
        id: gid("RefundLineItem", entry.id),
        key: entry.id,
        lineItem: line,
        quantity: entry.quantity,
        restockType: entry.restockType.toUpperCase(),
        restocked: entry.restockType === "return" && r.restock,
        location: r.restock
          ? (ctx.index.locations.get(ctx.store.shop.primaryLocationId) ?? null)
          : null,
        priceSet: bag(line.price, order),
        subtotalSet: bag(entry.subtotal, order),
        totalTaxSet: bag(entry.totalTax, order),
      };
    });
    return paginate(items, args, (item) => item.key);
  },
  transactions: (r, args, ctx) =>
    byId(
      r.transactions.map((t) => ({
        ...t,
        orderId: r.orderId,
        order: ctx.index.orders.get(r.orderId)!,
      })),
      args,
    ),
});

const OrderTransaction = table<
  SandboxRefund["transactions"][number] & { orderId: number; order: SandboxOrder }
>({
  id: (t) => gid("OrderTransaction", t.id),
  kind: (t) => t.kind.toUpperCase(),
  status: (t) => t.status.toUpperCase(),
  gateway: (t) => t.gateway,
  formattedGateway: (t) => (t.gateway === "shopify_payments" ? "Shopify Payments" : t.gateway),
  amountSet: (t) => bag(t.amount, t.order),
  createdAt: (t) => t.createdAt,
  processedAt: (t) => t.createdAt,
  test: (t) => t.order.test,
  manualPaymentGateway: (t) => t.gateway === "manual",
  manuallyCapturable: () => false,
  multiCapturable: () => false,
  fees: () => [],
  order: (t) => t.order,
  parentTransaction: () => null,
  errorCode: () => null,
});

// ---- roots ----

function filteredProducts(
  ctx: AdminContext,
  info: GraphQLResolveInfo,
  args: { query?: string | null; sortKey?: string | null },
) {
  return sorted(
    search(ctx, info, ctx.store.products, args.query, productSpec(ctx)),
    productSortKey(args.sortKey, ctx),
  );
}

function filteredVariants(
  ctx: AdminContext,
  info: GraphQLResolveInfo,
  args: { query?: string | null; sortKey?: string | null },
) {
  return sorted(
    search(ctx, info, ctx.store.variants, args.query, variantSpec(ctx)),
    variantSortKey(args.sortKey, ctx),
  );
}

function filteredOrders(
  ctx: AdminContext,
  info: GraphQLResolveInfo,
  args: { query?: string | null; sortKey?: string | null },
) {
  const visible = ctx.store.orders.filter((o) => orderVisible(ctx, o));
  return sorted(
    search(ctx, info, visible, args.query, orderSpec(ctx)),
    orderSortKey(args.sortKey, ctx),
  );
}

function filteredCustomers(
  ctx: AdminContext,
  info: GraphQLResolveInfo,
  args: { query?: string | null; sortKey?: string | null },
) {
  return sorted(
    search(ctx, info, ctx.store.customers, args.query, customerSpec(ctx)),
    customerSortKey(args.sortKey),
  );
}

const collectionSpec: SearchSpec<SandboxCollection> = {
  fields: {
    id: (c) => c.id,
    title: (c) => c.title,
    handle: (c) => c.handle,
    collection_type: () => "custom",
    updated_at: (c) => c.updatedAt,
    published_at: (c) => c.publishedAt,
  },
  text: (c) => [c.title, c.handle],
};

const locationSpec: SearchSpec<SandboxLocation> = {
  fields: {
    id: (l) => l.id,
    name: (l) => l.name,
    active: (l) => l.isActive,
    address1: (l) => l.address.address1,
    city: (l) => l.address.city,
    province: (l) => l.address.province,
    country: (l) => l.address.countryCode,
  },
  text: (l) => [l.name, l.address.city],
};

const inventoryItemSpec: SearchSpec<SandboxInventoryItem> = {
  fields: {
    id: (i) => i.id,
    sku: (i) => i.sku,
    created_at: (i) => i.createdAt,
    updated_at: (i) => i.updatedAt,
  },
  text: (i) => [i.sku],
};

const QueryRoot: Table<unknown> = {
  shop: (_root, _args, ctx) => ctx.store.shop,
  node: (_root, args, ctx) => resolveNode(ctx, args.id),
  nodes: (_root, args, ctx) => (args.ids as unknown[]).map((id) => resolveNode(ctx, id)),
  product: (_root, args, ctx) => nodeOfType(ctx, args.id, "Product"),
  productByHandle: (_root, args, ctx) => ctx.index.productsByHandle.get(args.handle) ?? null,
  productByIdentifier: (_root, args, ctx) =>
    args.identifier.id
      ? nodeOfType(ctx, args.identifier.id, "Product")
      : (ctx.index.productsByHandle.get(args.identifier.handle) ?? null),
  productVariant: (_root, args, ctx) => nodeOfType(ctx, args.id, "ProductVariant"),
  productVariantByIdentifier: (_root, args, ctx) =>
    args.identifier.id ? nodeOfType(ctx, args.identifier.id, "ProductVariant") : null,
  inventoryItem: (_root, args, ctx) => nodeOfType(ctx, args.id, "InventoryItem"),
  inventoryLevel: (_root, args, ctx) => nodeOfType(ctx, args.id, "InventoryLevel"),
  order: (_root, args, ctx) => nodeOfType(ctx, args.id, "Order"),
  orderByIdentifier: (_root, args, ctx) =>
    args.identifier.id ? nodeOfType(ctx, args.identifier.id, "Order") : null,
  customer: (_root, args, ctx) => nodeOfType(ctx, args.id, "Customer"),
  customerByIdentifier: (_root, args, ctx) => {
    const identifier = args.identifier as {
      id?: string;
      emailAddress?: string;
      phoneNumber?: string;
    };
    if (identifier.id) return nodeOfType(ctx, identifier.id, "Customer");
    if (identifier.emailAddress)
      return (
        ctx.store.customers.find(
          (c) => c.email.toLowerCase() === identifier.emailAddress!.toLowerCase(),
        ) ?? null
      );
    if (identifier.phoneNumber)
      return ctx.store.customers.find((c) => c.phone === identifier.phoneNumber) ?? null;
    return null;
  },
  location: (_root, args, ctx) =>
    args.id
      ? nodeOfType(ctx, args.id, "Location")
      : (ctx.index.locations.get(ctx.store.shop.primaryLocationId) ?? null),
  locationByIdentifier: (_root, args, ctx) =>
    args.identifier.id ? nodeOfType(ctx, args.identifier.id, "Location") : null,
  collection: (_root, args, ctx) => nodeOfType(ctx, args.id, "Collection"),
  collectionByHandle: (_root, args, ctx) =>
    ctx.store.collections.find((c) => c.handle === args.handle) ?? null,
  collectionByIdentifier: (_root, args, ctx) =>
    args.identifier.id
      ? nodeOfType(ctx, args.identifier.id, "Collection")
      : (ctx.store.collections.find((c) => c.handle === args.identifier.handle) ?? null),
  fulfillment: (_root, args, ctx) => nodeOfType(ctx, args.id, "Fulfillment"),
  refund: (_root, args, ctx) => nodeOfType(ctx, args.id, "Refund"),
  products: (_root, args, ctx, info) =>
    byId(
      rootItems(ctx, info, () => filteredProducts(ctx, info, args)),
      args,
    ),
  productsCount: (_root, args, ctx, info) => {
    const total = filteredProducts(ctx, info, args).length;
    return typeof args.limit === "number" && total > args.limit
      ? { count: args.limit, precision: "AT_LEAST" }
      : count(total);
  },
  productVariants: (_root, args, ctx, info) =>
    byId(
      rootItems(ctx, info, () => filteredVariants(ctx, info, args)),
      args,
    ),
  productVariantsCount: (_root, args, ctx, info) => count(filteredVariants(ctx, info, args).length),
  orders: (_root, args, ctx, info) =>
    byId(
      rootItems(ctx, info, () => filteredOrders(ctx, info, args)),
      args,
    ),
  ordersCount: (_root, args, ctx, info) => {
    const total = filteredOrders(ctx, info, args).length;
    return typeof args.limit === "number" && total > args.limit
      ? { count: args.limit, precision: "AT_LEAST" }
      : count(total);
  },
  customers: (_root, args, ctx, info) =>
    byId(
      rootItems(ctx, info, () => filteredCustomers(ctx, info, args)),
      args,
    ),
  customersCount: (_root, args, ctx, info) => count(filteredCustomers(ctx, info, args).length),
  collections: (_root, args, ctx, info) => {
    const key =
      args.sortKey === "TITLE"
        ? (c: SandboxCollection) => c.title.toLowerCase()
        : args.sortKey === "UPDATED_AT"
          ? (c: SandboxCollection) => c.updatedAt
          : null;
    return byId(
      sorted(search(ctx, info, ctx.store.collections, args.query, collectionSpec), key),
      args,
    );
  },
  collectionsCount: (_root, args, ctx, info) =>
    count(search(ctx, info, ctx.store.collections, args.query, collectionSpec).length),
  locations: (_root, args, ctx, info) => {
    const key = args.sortKey === "NAME" ? (l: SandboxLocation) => l.name.toLowerCase() : null;
    return byId(
      sorted(search(ctx, info, ctx.store.locations, args.query, locationSpec), key),
      args,
    );
  },
  locationsCount: (_root, args, ctx, info) =>
    count(search(ctx, info, ctx.store.locations, args.query, locationSpec).length),
  inventoryItems: (_root, args, ctx, info) =>
    byId(
      sorted(search(ctx, info, ctx.store.inventoryItems, args.query, inventoryItemSpec), null),
      args,
    ),
  productTags: (_root, args, ctx) =>
    stringConnection([...new Set(ctx.store.products.flatMap((p) => p.tags))].sort(), args),
  productTypes: (_root, args, ctx) =>
    stringConnection([...new Set(ctx.store.products.map((p) => p.productType))].sort(), args),
  productVendors: (_root, args, ctx) =>
    stringConnection([...new Set(ctx.store.products.map((p) => p.vendor))].sort(), args),
  currentBulkOperation: (_root, args, ctx) =>
    typed(ctx.bulk?.current((args.type as "QUERY" | "MUTATION") ?? "QUERY"), "BulkOperation"),
  // Since 2026-01; a document declares it with `# since 2026-01: QueryRoot.bulkOperation(id: ID!): BulkOperation`.
  bulkOperation: (_root, args, ctx) => nodeOfType(ctx, args.id, "BulkOperation"),
  currentAppInstallation: (_root, _args, ctx) => ({
    id: `gid://shopify/AppInstallation/${ctx.store.shop.id + 1}`,
    accessScopes: ctx.accessScopes.map((handle) => ({
      handle,
      description: handle.replace("_", " "),
    })),
    launchUrl: `https://admin.shopify.com/store/${ctx.store.shop.domain.replace(".myshopify.com", "")}/apps/switchboard`,
    uninstallUrl: null,
    activeSubscriptions: activeSubscriptions(ctx.store.billing, ctx.now),
    // The fake sells no one-time purchases; the library's billing.check pages through them.
    oneTimePurchases: {
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    },
  }),
};

const TAGGABLE_TYPES = new Set(["Order", "Customer", "Product", "DraftOrder", "Article"]);

function tagMutation(kind: "tagsAdd" | "tagsRemove"): Resolver<unknown> {
  return (_root, args, ctx) => {
    const parsed = requireGid(args.id);
    const tags = args.tags as string[];
    if (!TAGGABLE_TYPES.has(parsed.type)) {
      return {
        node: null,
        userErrors: [
          {
            field: ["id"],
            message: `${parsed.type} is not a taggable resource. Tags can be added to Order, DraftOrder, Customer, Product and Article.`,
          },
        ],
      };
    }
    if (tags.length > 250) {
      return {
        node: null,
        userErrors: [{ field: ["tags"], message: "Too many tags: at most 250 in one call." }],
      };
    }
    const tooLong = tags.flatMap((t) => t.split(",")).find((t) => t.trim().length > 255);
    if (tooLong)
      return {
        node: null,
        userErrors: [
          {
            field: ["tags"],
            message: `Tag '${tooLong.trim().slice(0, 40)}…' is longer than 255 characters.`,
          },
        ],
      };
    const target = findTaggable(ctx.store, args.id);
    if (
      !target ||
      (target.type === "Order" && !orderVisible(ctx, ctx.index.orders.get(target.id)!))
    ) {
      return {
        node: null,
        userErrors: [{ field: ["id"], message: `${parsed.type} does not exist` }],
      };
    }
    const updated =
      kind === "tagsAdd"
        ? addTags(ctx.store, args.id, tags, ctx.now)
        : removeTags(ctx.store, args.id, tags, ctx.now);
    ctx.onMutation?.({
      kind,
      shop: ctx.store.shop.domain,
      id: args.id,
      type: target.type,
      tags: [...(updated ?? [])],
      at: isoUtc(ctx.now.getTime()),
    });
    return { node: typed(target.record, target.type), userErrors: [] };
  };
}

const defaultConfirmationUrl = (shop: string, id: number) =>
  `https://${shop}/admin/charges/switchboard/${id}/request_recurring_application_charge`;

function bulkOperations(ctx: AdminContext, fieldName: string): BulkOperationsApi {
  if (!ctx.bulk) throw notImplemented("Mutation", fieldName);
  return ctx.bulk;
}

const Mutation: Table<unknown> = {
  appSubscriptionCreate: (_root, args, ctx) =>
    createSubscription(billingOf(ctx.store), args, ctx.now, (id) =>
      (ctx.billingConfirmationUrl ?? defaultConfirmationUrl)(ctx.store.shop.domain, id),
    ),
  appSubscriptionCancel: (_root, args, ctx) => {
    const result = cancelSubscription(billingOf(ctx.store), args.id, ctx.now);
    const cancelled = billingOf(ctx.store).subscriptions.find(
      (s) => `gid://shopify/AppSubscription/${s.id}` === result.appSubscription?.id,
    );
    if (cancelled) ctx.onSubscriptionsChanged?.(ctx.store.shop.domain, [cancelled]);
    return result;
  },
  appUsageRecordCreate: (_root, args, ctx) =>
    createUsageRecord(billingOf(ctx.store), args, ctx.now),
  tagsAdd: tagMutation("tagsAdd"),
  tagsRemove: tagMutation("tagsRemove"),
  bulkOperationRunQuery: (_root, args, ctx) =>
    bulkOperations(ctx, "bulkOperationRunQuery").runQuery(args.query as string),
  bulkOperationCancel: (_root, args, ctx) =>
    bulkOperations(ctx, "bulkOperationCancel").cancel(args.id as string),
};

/** UnsignedInt64 is serialised as a string, like Shopify does. */
function uint64(value: number | null): string | null {
  return value === null ? null : String(value);
}

const BulkOperation = table<BulkOperationView>({
  id: (b) => `gid://shopify/BulkOperation/${b.id}`,
  type: (b) => b.type,
  status: (b) => b.status,
  errorCode: (b) => b.errorCode,
  query: (b) => b.query,
  createdAt: (b) => b.createdAt,
  completedAt: (b) => b.completedAt,
  objectCount: (b) => uint64(b.objectCount),
  rootObjectCount: (b) => uint64(b.rootObjectCount),
  fileSize: (b) => uint64(b.fileSize),
  url: (b) => b.url,
  partialDataUrl: (b) => b.partialDataUrl,
});

const RESOLVERS: Record<string, Table<unknown>> = {
  QueryRoot,
  Mutation,
  Shop,
  Location,
  Collection,
  Product,
  ProductVariant,
  Image,
  MediaImage,
  InventoryItem,
  InventoryLevel,
  Customer,
  MailingAddress,
  Order,
  LineItem,
  Fulfillment,
  FulfillmentLineItem,
  FulfillmentEvent,
  Refund,
  OrderTransaction,
  BulkOperation,
};

/** Types whose objects are free in Shopify's cost model (the connection's 2 points cover them). */
export function isFreeCostType(typeName: string): boolean {
  return typeName.endsWith("Connection") || typeName.endsWith("Edge") || typeName === "PageInfo";
}

export function isConnectionTypeName(typeName: string): boolean {
  return typeName.endsWith("Connection");
}

/**
 * graphql-js field resolver for the whole schema. Also meters the actual query cost as it goes,
 * by the same rules as the requested cost but counting what was returned: each non-null object
 * costs 1, connections 2 (their edges and pageInfo 0, each node 1), lists with `ids`/`first`
 * per element and other lists once; in a mutation only the root fields count, 10 each.
 */
export const adminFieldResolver: GraphQLFieldResolver<unknown, AdminContext> = (
  source,
  args,
  ctx,
  info,
) => {
  const typeName = info.parentType.name;
  if (!ctx.protectedCustomerData && PROTECTED_GRAPHQL_FIELDS.has(`${typeName}.${info.fieldName}`))
    // graphql-js nulls the field and reports the error with its path, as Shopify does.
    throw new GraphQLError(protectedFieldMessage(typeName, info.fieldName), {
      extensions: { code: "ACCESS_DENIED" },
    });
  const resolvers = RESOLVERS[typeName];
  let value: unknown;
  const resolver = resolvers?.[info.fieldName];
  if (resolver) {
    if (ctx.unpaged && isConnectionTypeName(getNamedType(info.returnType).name))
      args = { ...args, unpaged: info.path.prev === undefined ? ctx.unpaged.window : "all" };
    value = resolver(source, args, ctx, info);
  } else if (ctx.declaredFields.has(`${typeName}.${info.fieldName}`)) {
    value = null;
  } else if (
    !resolvers &&
    source !== null &&
    typeof source === "object" &&
    info.fieldName in source
  ) {
    value = (source as Record<string, unknown>)[info.fieldName];
  } else {
    throw notImplemented(typeName, info.fieldName);
  }
  if (value === undefined) value = null;
  meter(ctx, info, args, value);
  return value;
};

function meter(
  ctx: AdminContext,
  info: GraphQLResolveInfo,
  args: Record<string, unknown>,
  value: unknown,
): void {
  if (info.operation.operation === "mutation") {
    if (info.path.prev === undefined) ctx.cost.actual += 10;
    return;
  }
  if (value === null) return;
  const named = getNamedType(info.returnType);
  if (isLeafType(named)) return;
  if (isConnectionTypeName(named.name)) ctx.cost.actual += 2;
  else if (isFreeCostType(named.name)) return;
  else if (Array.isArray(value)) {
    // Like the requested cost: a connection's nodes and lists with ids/first count per element,
    // other lists once.
    const present = value.filter((item) => item !== null && item !== undefined).length;
    const sized =
      isConnectionTypeName(info.parentType.name) ||
      Array.isArray(args.ids) ||
      typeof args.first === "number";
    ctx.cost.actual += sized ? present : Math.min(1, present);
  } else ctx.cost.actual += 1;
}
