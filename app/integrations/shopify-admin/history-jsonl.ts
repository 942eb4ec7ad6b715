import { z } from "zod";
import type {
  ImportedFulfillment,
  ImportedOrder,
  ImportedVariant,
} from "../../models/history-load.server";
import type { OrderPayload } from "../../webhooks/payloads";
import { parseShopifyId, type ShopifyId } from "../../utils/shopify-id";

/**
 * The JSONL a history bulk operation returns (HistoryBulkQueries.ts), turned into the read
 * model's inputs. Shopify writes one node per line, each connection's nodes on their own lines
 * after their parent with `__parentId` naming it (a line item's parent is its order, an inventory
 * level's its variant); objects and lists (customer, fulfillments, refunds) stay inline. Orders
 * become the same OrderPayload the webhooks carry, so they go through the same guarded upsert.
 */

const gid = (type: string) =>
  z.string().transform((value, ctx) => {
    const id = parseShopifyId(value, type);
    if (id === null) {
      ctx.addIssue({ code: "custom", message: `must be a gid://shopify/${type}/… id` });
      return z.NEVER;
    }
    return id;
  });
const money = z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount");
const shopMoney = z.object({ shopMoney: z.object({ amount: money }) });
const instant = z.iso.datetime({ offset: true });
const nodeRef = (type: string) => z.object({ id: gid(type) }).nullish();

const customerNode = z.object({
  id: gid("Customer"),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  phone: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  updatedAt: instant.nullish(),
  emailMarketingConsent: z.object({ marketingState: z.string().nullish() }).nullish(),
});

const fulfillmentNode = z.object({
  id: gid("Fulfillment"),
  status: z.string().nullish(),
  displayStatus: z.string().nullish(),
  createdAt: instant.nullish(),
  updatedAt: instant,
  estimatedDeliveryAt: instant.nullish(),
  deliveredAt: instant.nullish(),
  trackingInfo: z
    .array(
      z.object({
        company: z.string().nullish(),
        number: z.string().nullish(),
        url: z.string().nullish(),
      }),
    )
    .nullish(),
});

const orderNode = z.object({
  id: gid("Order"),
  name: z.string(),
  email: z.string().nullish(),
  currencyCode: z.string().length(3),
  presentmentCurrencyCode: z.string().length(3).nullish(),
  shippingAddress: z.object({ countryCodeV2: z.string().nullish() }).nullish(),
  totalPriceSet: z.object({
    shopMoney: z.object({ amount: money }),
    presentmentMoney: z.object({ amount: money }).nullish(),
  }),
  subtotalPriceSet: shopMoney.nullish(),
  totalTaxSet: shopMoney.nullish(),
  currentTotalPriceSet: shopMoney.nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  cancelledAt: instant.nullish(),
  processedAt: instant.nullish(),
  createdAt: instant,
  updatedAt: instant,
  customer: customerNode.nullish(),
  refunds: z.array(z.object({ id: gid("Refund") })).nullish(),
  fulfillments: z.array(fulfillmentNode).nullish(),
});

const lineItemNode = z.object({
  id: gid("LineItem"),
  sku: z.string().nullish(),
  title: z.string(),
  quantity: z.number().int(),
  originalUnitPriceSet: shopMoney,
  variant: nodeRef("ProductVariant"),
  product: nodeRef("Product"),
  __parentId: z.string(),
});

const variantNode = z.object({
  id: gid("ProductVariant"),
  sku: z.string().nullish(),
  title: z.string().nullish(),
  price: money.nullish(),
  product: nodeRef("Product"),
  inventoryItem: nodeRef("InventoryItem"),
});

const inventoryLevelNode = z.object({
  id: z.string(),
  updatedAt: instant,
  location: z.object({ id: gid("Location") }),
  quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
  __parentId: z.string(),
});

/** A line that is not what the query asks for: the import stops with the line number. */
export class HistoryLineError extends Error {
  constructor(
    readonly lineNumber: number,
    detail: string,
  ) {
    super(`line ${lineNumber} of Shopify's export: ${detail}`);
    this.name = "HistoryLineError";
  }
}

function parseLine<S extends z.ZodType>(schema: S, raw: unknown, lineNumber: number): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new HistoryLineError(lineNumber, z.prettifyError(parsed.error).replace(/\n/g, "; "));
  return parsed.data;
}

const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : null);

/** displayFulfillmentStatus → the REST `fulfillment_status` the webhooks carry. */
function restFulfillmentStatus(display: string | null | undefined): string | null {
  switch (display) {
    case "FULFILLED":
      return "fulfilled";
    case "PARTIALLY_FULFILLED":
      return "partial";
    case "RESTOCKED":
      return "restocked";
    default:
      return null;
  }
}

/** FulfillmentDisplayStatus values that are shipment news (the REST `shipment_status`). */
const SHIPMENT_STATUSES = new Set([
  "ATTEMPTED_DELIVERY",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "NOT_DELIVERED",
  "OUT_FOR_DELIVERY",
  "PICKED_UP",
  "READY_FOR_PICKUP",
]);

function toFulfillment(
  node: z.output<typeof fulfillmentNode>,
  orderId: ShopifyId,
): ImportedFulfillment {
  const tracking = node.trackingInfo ?? [];
  const shipmentStatus = node.deliveredAt
    ? "delivered"
    : node.displayStatus && SHIPMENT_STATUSES.has(node.displayStatus)
      ? node.displayStatus.toLowerCase()
      : null;
  return {
    id: node.id,
    orderId,
    status: lower(node.status),
    shipmentStatus,
    trackingCompany: tracking.find((t) => t.company)?.company ?? null,
    trackingNumbers: tracking.flatMap((t) => (t.number ? [t.number] : [])),
    trackingUrls: tracking.flatMap((t) => (t.url ? [t.url] : [])),
    estimatedDeliveryAt: node.estimatedDeliveryAt ? new Date(node.estimatedDeliveryAt) : null,
    deliveredAt: node.deliveredAt ? new Date(node.deliveredAt) : null,
    createdAt: node.createdAt ? new Date(node.createdAt) : null,
    updatedAt: new Date(node.updatedAt),
  };
}

function toOrder(node: z.output<typeof orderNode>): ImportedOrder {
  const customer = node.customer;
  const date = (value: string | null | undefined) => (value ? new Date(value) : null);
  const order: OrderPayload = {
    id: node.id,
    name: node.name,
    email: node.email ?? null,
    currency: node.currencyCode,
    presentment_currency: node.presentmentCurrencyCode ?? null,
    shipping_address: node.shippingAddress
      ? { country_code: node.shippingAddress.countryCodeV2 }
      : null,
    total_price: node.totalPriceSet.shopMoney.amount,
    subtotal_price: node.subtotalPriceSet?.shopMoney.amount ?? null,
    total_tax: node.totalTaxSet?.shopMoney.amount ?? null,
    current_total_price: node.currentTotalPriceSet?.shopMoney.amount ?? null,
    total_price_set: node.totalPriceSet.presentmentMoney
      ? {
          presentment_money: {
            amount: node.totalPriceSet.presentmentMoney.amount,
            currency_code: node.presentmentCurrencyCode ?? node.currencyCode,
          },
        }
      : null,
    financial_status: lower(node.displayFinancialStatus),
    fulfillment_status: restFulfillmentStatus(node.displayFulfillmentStatus),
    tags: node.tags ?? [],
    line_items: [],
    customer: customer
      ? {
          id: customer.id,
          email: customer.email ?? null,
          first_name: customer.firstName ?? null,
          last_name: customer.lastName ?? null,
          phone: customer.phone ?? null,
          tags: customer.tags ?? [],
          updated_at: date(customer.updatedAt),
        }
      : null,
    // Without their transactions the history import cannot date a refund's money (order_refunds).
    refunds: (node.refunds ?? []).map((refund) => ({ id: refund.id, created_at: null })),
    cancelled_at: date(node.cancelledAt),
    processed_at: date(node.processedAt),
    created_at: new Date(node.createdAt),
    updated_at: new Date(node.updatedAt),
  };
  const state = customer?.emailMarketingConsent?.marketingState;
  return {
    order,
    fulfillments: (node.fulfillments ?? []).map((f) => toFulfillment(f, node.id)),
    consent:
      customer && state
        ? {
            customerId: customer.id,
            emailMarketingState: state.toLowerCase(),
            updatedAt: date(customer.updatedAt),
          }
        : null,
  };
}

/**
 * Groups a phase's lines into closed groups of whole records, counting lines, so a batch always
 * ends where every record in it is complete and `lines_loaded` names a clean place to resume.
 * Shopify writes a parent before its children, either grouped (each parent followed by its own
 * children) or, the default from 2026-01, ungrouped per page (a page's parents, then their
 * children). Either way a parent line that comes after a child line starts a new page: every
 * record still open is complete. `firstLine` is the 1-based number of the first line read.
 */
export async function* historyRecords<T>(
  lines: AsyncIterable<string>,
  firstLine: number,
  reader: RecordReader<T>,
): AsyncGenerator<{ records: T[]; lines: number }> {
  let open = new Map<string, T>();
  let openLines = 0;
  let afterChild = false;
  let lineNumber = firstLine - 1;
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === "") {
      openLines++;
      continue;
    }
    let raw: unknown;
    try {
      // Plain JSON.parse is exact here: Admin GraphQL sends ids as gid strings and 64-bit
      // integers (UnsignedInt64) as strings; its Int fields are 32-bit.
      raw = JSON.parse(text);
    } catch {
      throw new HistoryLineError(lineNumber, "not JSON");
    }
    const parentGid = (raw as { __parentId?: unknown }).__parentId;
    if (typeof parentGid === "string") {
      const parent = open.get(parentGid);
      if (parent === undefined)
        throw new HistoryLineError(lineNumber, `its parent ${parentGid} is not in the same page`);
      reader.addChild(parent, raw, lineNumber);
      openLines++;
      afterChild = true;
      continue;
    }
    if (afterChild && open.size > 0) {
      yield { records: [...open.values()], lines: openLines };
      open = new Map();
      openLines = 0;
    }
    afterChild = false;
    const parent = reader.parent(raw, lineNumber);
    open.set(parent.gid, parent.record);
    openLines++;
  }
  if (openLines > 0) yield { records: [...open.values()], lines: openLines };
}

export interface RecordReader<T> {
  parent(raw: unknown, lineNumber: number): { record: T; gid: string };
  addChild(record: T, raw: unknown, lineNumber: number): void;
}

export const orderLines: RecordReader<ImportedOrder> = {
  parent(raw, lineNumber) {
    const node = parseLine(orderNode, raw, lineNumber);
    return { record: toOrder(node), gid: (raw as { id: string }).id };
  },
  addChild(record, raw, lineNumber) {
    const item = parseLine(lineItemNode, raw, lineNumber);
    record.order.line_items.push({
      id: item.id,
      variant_id: item.variant?.id ?? null,
      product_id: item.product?.id ?? null,
      sku: item.sku ?? null,
      title: item.title,
      quantity: item.quantity,
      price: item.originalUnitPriceSet.shopMoney.amount,
    });
  },
};

export const stockLines: RecordReader<ImportedVariant | null> = {
  parent(raw, lineNumber) {
    const node = parseLine(variantNode, raw, lineNumber);
    const gidText = (raw as { id: string }).id;
    // A variant that tracks no inventory item has no levels to link.
    if (!node.inventoryItem) return { record: null, gid: gidText };
    return {
      record: {
        id: node.id,
        productId: node.product?.id ?? null,
        inventoryItemId: node.inventoryItem.id,
        sku: node.sku ?? null,
        title: node.title ?? null,
        price: node.price ?? null,
        levels: [],
      },
      gid: gidText,
    };
  },
  addChild(record, raw, lineNumber) {
    const level = parseLine(inventoryLevelNode, raw, lineNumber);
    if (!record) return;
    const available = level.quantities.find((q) => q.name === "available");
    record.levels.push({
      locationId: level.location.id,
      available: available?.quantity ?? null,
      updatedAt: new Date(level.updatedAt),
    });
  },
};
