import { z } from "zod";
import type { OrderView, RecipeContext } from "./engine/context";
import type {
  FollowUpEvent,
  RecipeEvent,
  RecipeResult,
  WebhookEvent,
} from "./engine/define-recipe";
import type { OrderPayload } from "../webhooks/payloads";
import { isShopifyId, parseShopifyId, type ShopifyId } from "../utils/shopify-id";
import { fieldError } from "./field-copy";
import { storedReason } from "./reason-copy";

/**
 * Pieces several recipes share: config fields (ids, durations, lists) with merchant-worded
 * errors, and small readers over events. Pure: the settings form imports them too.
 */

type IdType = "ProductVariant" | "Product" | "Collection";
const ID_WORDS = {
  ProductVariant: "variant",
  Product: "product",
  Collection: "collection",
} as const satisfies Record<IdType, string>;

/** A Shopify id typed as digits or pasted as a gid (`gid://shopify/ProductVariant/123`); kept as its digits. */
export function shopifyId(type: IdType) {
  const word = ID_WORDS[type];
  const invalid = fieldError(`idInvalid_${word}`);
  return z.preprocess(
    (value) => {
      // Settings saved before ids were text hold numbers (all below 2^53).
      if (typeof value === "number") return Number.isSafeInteger(value) ? String(value) : value;
      if (typeof value !== "string") return value;
      const text = value.trim();
      if (text === "") return undefined;
      return parseShopifyId(text, type) ?? text;
    },
    z
      // Left empty in the form: the picker is what fills it.
      .string({
        error: (issue) => (issue.input === undefined ? fieldError(`choose_${word}`) : invalid),
      })
      .refine(isShopifyId, { error: invalid }),
  );
}

/** A chosen variant Shopify no longer has (the form lists it as "no longer in your store"). */
export const GONE_VARIANT = fieldError("goneVariant");

/** Some of a list's chosen products or collections are gone: how many, and what to do. */
export const goneFromList = (count: number, many: "products" | "collections") =>
  fieldError(many === "products" ? "goneProducts" : "goneCollections", { count });

/** Lists typed as "a, b, c" in the form; stored as arrays. `numeric` turns "60" into 60. */
export function listOf<T extends z.ZodType>(item: T, { numeric = false } = {}) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const parts = value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    return numeric ? parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : p)) : parts;
  }, z.array(item));
}

export const tagList = (max = 10) =>
  listOf(
    z
      .string()
      .trim()
      .min(1)
      .max(40, { error: fieldError("tagTooLong") }),
  ).pipe(z.array(z.string()).max(max, { error: fieldError("atMostTags", { max }) }));

/** ISO 3166-1 alpha-2 codes ("us, FR" → ["US", "FR"]), as Shopify names a shipping country. */
export const countryList = (max = 50) =>
  listOf(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, { error: fieldError("countryCode") }),
  ).pipe(z.array(z.string()).max(max, { error: fieldError("atMostCountries", { max }) }));

/** `what` is the plural unit ("days"): "At least 1 day", "At most 365 days". */
export const wholeNumber = (
  what: "hours" | "days" | "units" | "orders" | "minutes",
  min: number,
  max: number,
) =>
  z
    .int({ error: fieldError(`wholeNumber_${what}`) })
    .min(min, {
      error: min === 0 ? fieldError("notNegative") : fieldError(`atLeast_${what}`, { count: min }),
    })
    .max(max, { error: fieldError(`atMost_${what}`, { count: max }) });

/** A whole percentage of shoppers, e.g. an A/B split. */
export const percentShare = (min: number, max: number) =>
  z
    .int({ error: fieldError("wholePercent") })
    .min(min, {
      error: min === 0 ? fieldError("notNegative") : fieldError("atLeastPercent", { min }),
    })
    .max(max, { error: fieldError("atMostPercent", { max }) });

export const money = (min = 0, max = 1_000_000) =>
  z
    .number({ error: fieldError("enterAmount") })
    .min(min, {
      error: min === 0 ? fieldError("notNegative") : fieldError("atLeastNumber", { min }),
    })
    .max(max, { error: fieldError("atMostNumber", { max }) });

export const metricName = (fallback: string) =>
  z
    .string()
    .trim()
    .min(1, { error: fieldError("giveEventName") })
    .max(64, { error: fieldError("atMostCharacters", { max: 64 }) })
    .default(fallback);

export const listName = (fallback: string) =>
  z
    .string()
    .trim()
    .min(1, { error: fieldError("giveListName") })
    .max(100, { error: fieldError("atMostCharacters", { max: 100 }) })
    .default(fallback);

export function formatMoney(amount: number, currency: string, locale = "en-US"): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "1 order", "3 orders": the count with the phrase that agrees with it. */
export const plural = (count: number, one: string, many: string) =>
  `${count} ${count === 1 ? one : many}`;

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/**
 * A follow-up the guards held back (cap used, ticket open): checked again a day after it was
 * due, until `holdDays` have passed since it first came due, then dropped. Counted on the
 * schedule (when each check was due), not on when its job happened to run, so queue latency and
 * a clock a few seconds off neither shorten the hold nor add a check.
 */
export function holdBack(
  event: FollowUpEvent,
  ctx: Pick<RecipeContext, "now" | "time">,
  holdDays: number,
  reason: string,
): Pick<RecipeResult, "skip" | "followUps" | "heldBack"> {
  const now = ctx.now;
  const firstDue = new Date(String(event.data.firstDueAt ?? event.dueAt.toISOString()));
  const waited = event.dueAt.getTime() - firstDue.getTime();
  if (waited + DAY_MS > holdDays * DAY_MS)
    return { skip: storedReason("droppedAfter", { days: String(holdDays), reason }) };
  // A job that ran more than a day late checks again now rather than in the past.
  const at = new Date(Math.max(event.dueAt.getTime() + DAY_MS, now.getTime()));
  return {
    skip: storedReason("heldBackUntil", { reason, date: ctx.time.date(at) }),
    heldBack: reason,
    followUps: [
      {
        name: event.name,
        subject: event.subject,
        at,
        data: event.data,
        attempt: event.attempt + 1,
      },
    ],
  };
}

export function orderSubject(order: Pick<OrderView, "id" | "name" | "customerId">) {
  return { label: `Order ${order.name}`, orderId: order.id, customerId: order.customerId };
}

/** The order a webhook is about (read model first: it holds the aggregates just applied). */
export async function orderOf(
  event: WebhookEvent,
  ctx: RecipeContext,
): Promise<OrderView | undefined> {
  const id =
    "order_id" in event.data
      ? event.data.order_id
      : "line_items" in event.data
        ? event.data.id
        : undefined;
  return id ? ctx.order(id) : undefined;
}

/** A delivered fulfillment in a webhook: fulfillment_events/create "delivered", or a fulfillment whose shipment_status is. */
export function deliveredIn(
  event: RecipeEvent,
): { orderId: ShopifyId; fulfillmentId: ShopifyId; at: Date | null } | null {
  if (event.type !== "webhook") return null;
  if (
    event.topic === "fulfillment_events/create" &&
    event.data.status.toLowerCase() === "delivered"
  ) {
    return {
      orderId: event.data.order_id,
      fulfillmentId: event.data.fulfillment_id,
      at: event.data.happened_at ?? event.data.created_at,
    };
  }
  if (
    (event.topic === "fulfillments/update" || event.topic === "fulfillments/create") &&
    event.data.shipment_status === "delivered"
  ) {
    return {
      orderId: event.data.order_id,
      fulfillmentId: event.data.id,
      at: event.data.updated_at,
    };
  }
  return null;
}

/** A webhook-shaped order payload from a stored order (dry runs replay stored orders). */
export function orderPayloadOf(order: OrderView): OrderPayload {
  return {
    id: order.id,
    name: order.name,
    email: order.email,
    currency: order.currency,
    presentment_currency: order.presentmentCurrency,
    total_price: order.totalPrice.toFixed(2),
    subtotal_price: null,
    total_tax: null,
    current_total_price: order.currentTotalPrice.toFixed(2),
    total_price_set:
      order.presentmentTotalPrice !== null && order.presentmentCurrency
        ? {
            presentment_money: {
              amount: order.presentmentTotalPrice.toFixed(2),
              currency_code: order.presentmentCurrency,
            },
          }
        : null,
    financial_status: order.financialStatus,
    fulfillment_status: order.fulfillmentStatus,
    tags: order.tags,
    line_items: order.lineItems.map((item) => ({
      id: item.id,
      variant_id: item.variantId,
      product_id: item.productId,
      sku: item.sku,
      title: item.title,
      quantity: item.quantity,
      price: item.price,
    })),
    customer: order.customerId ? { id: order.customerId, email: order.email, tags: [] } : null,
    refunds: [],
    cancelled_at: order.cancelledAt,
    processed_at: order.processedAt,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
  };
}

export function storedOrderEvent(
  topic: "orders/create" | "orders/paid" | "orders/updated",
  order: OrderView,
): RecipeEvent {
  return { type: "webhook", topic, eventId: 0, data: orderPayloadOf(order) } as RecipeEvent;
}

export const epoch = (date: Date) => Math.floor(date.getTime() / 1000);
