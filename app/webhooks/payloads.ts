import { z } from "zod";
import { shopifyIdSchema } from "../utils/shopify-id";

/**
 * zod schemas for the webhook payloads we read: only the fields we use, unknown fields
 * tolerated. Shopify sends REST resources; ids are 64-bit integers (kept as their digits, parsed
 * with parseJsonLosslessly), money is a decimal string.
 */

const id = shopifyIdSchema;
const money = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  // Stored as numeric(14, 2): twelve digits before the point are more than any order holds.
  .pipe(z.string().regex(/^-?\d{1,12}(\.\d+)?$/, "must be a decimal amount below 10^12"));
const timestamp = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const tags = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((v) =>
    (Array.isArray(v) ? v : (v ?? "").split(",")).map((t) => t.trim()).filter(Boolean),
  );

export const customerRefSchema = z.object({
  id,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  tags,
  updated_at: timestamp.nullish(),
});

/** A REST money set; only the shop's side is read (analytics are in the shop's currency). */
const moneySet = z.object({ shop_money: z.object({ amount: money }).nullish() }).nullish();

export const lineItemSchema = z.object({
  id,
  variant_id: id.nullish(),
  product_id: id.nullish(),
  sku: z.string().nullish(),
  title: z.string(),
  quantity: z.number().int(),
  price: money,
  price_set: moneySet,
  /** What discounts took off this line (a post-purchase offer's discount lands here). */
  discount_allocations: z
    .array(z.object({ amount: money.nullish(), amount_set: moneySet }))
    .nullish(),
});

/**
 * A time Shopify sent that we can do without: an unreadable one is null rather than a refused
 * order (refund times feed a report, not the order's state).
 */
const optionalTime = z
  .string()
  .nullish()
  .transform((v) => {
    const date = v ? new Date(v) : null;
    return date && !Number.isNaN(date.getTime()) ? date : null;
  });

/**
 * An order's refund (REST `refunds[]`): when it was issued and its transactions (`kind`
 * "refund": the money going back, `processed_at` when it went). The history import's refunds
 * carry only their id.
 */
export const refundSchema = z.object({
  id,
  // Read for the gap report only: what cannot be read leaves the refund untimed, never refuses
  // the order.
  created_at: optionalTime.catch(null),
  transactions: z
    .array(
      z.object({
        kind: z.string().nullish(),
        status: z.string().nullish(),
        processed_at: optionalTime,
        created_at: optionalTime,
      }),
    )
    .nullish()
    .catch(null),
});
export type RefundPayload = z.output<typeof refundSchema>;

export const orderSchema = z.object({
  id,
  name: z.string(),
  email: z.string().nullish(),
  currency: z.string().length(3),
  /** The checkout it was placed from (marks that checkout ordered: see the checkouts table). */
  checkout_token: z.string().nullish(),
  checkout_id: id.nullish(),
  presentment_currency: z.string().length(3).nullish(),
  total_price: money,
  subtotal_price: money.nullish(),
  total_tax: money.nullish(),
  current_total_price: money.nullish(),
  total_price_set: z
    .object({ presentment_money: z.object({ amount: money, currency_code: z.string() }).nullish() })
    .nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  shipping_address: z.object({ country_code: z.string().nullish() }).nullish().catch(null),
  tags,
  line_items: z.array(lineItemSchema),
  customer: customerRefSchema.nullish(),
  refunds: z.array(refundSchema).nullish(),
  cancelled_at: timestamp.nullish(),
  processed_at: timestamp.nullish(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type OrderPayload = z.output<typeof orderSchema>;

export const customerSchema = customerRefSchema.extend({
  email_marketing_consent: z.object({ state: z.string().nullish() }).nullish(),
  accepts_marketing: z.boolean().nullish(),
  updated_at: timestamp,
});
export type CustomerPayload = z.output<typeof customerSchema>;

const stringList = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

export const fulfillmentSchema = z.object({
  id,
  order_id: id,
  status: z.string().nullish(),
  shipment_status: z.string().nullish(),
  tracking_company: z.string().nullish(),
  tracking_number: z.string().nullish(),
  tracking_numbers: stringList,
  tracking_url: z.string().nullish(),
  tracking_urls: stringList,
  estimated_delivery_at: timestamp.nullish(),
  created_at: timestamp.nullish(),
  updated_at: timestamp,
});
export type FulfillmentPayload = z.output<typeof fulfillmentSchema>;

export const fulfillmentEventSchema = z.object({
  id,
  fulfillment_id: id,
  order_id: id,
  status: z.string().min(1),
  message: z.string().nullish(),
  happened_at: timestamp.nullish(),
  estimated_delivery_at: timestamp.nullish(),
  city: z.string().nullish(),
  province: z.string().nullish(),
  country: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp.nullish(),
});
export type FulfillmentEventPayload = z.output<typeof fulfillmentEventSchema>;

export const inventoryLevelSchema = z.object({
  inventory_item_id: id,
  location_id: id,
  // Shopify's quantities are 32-bit; the column is an integer.
  available: z.number().int().min(-2_147_483_648).max(2_147_483_647).nullable(),
  updated_at: timestamp,
});
export type InventoryLevelPayload = z.output<typeof inventoryLevelSchema>;

export const appUninstalledSchema = z.object({
  id: id.nullish(),
  domain: z.string().nullish(),
  myshopify_domain: z.string().nullish(),
});
export const scopesUpdateSchema = z.object({
  previous: z.array(z.string()),
  current: z.array(z.string()),
});

/** `app_subscriptions/update`: the app subscription's status changed (approved, declined, frozen, …). */
export const appSubscriptionUpdateSchema = z.object({
  app_subscription: z.object({
    admin_graphql_api_id: z.string().min(1),
    name: z.string(),
    status: z.enum(["ACTIVE", "PENDING", "ACCEPTED", "DECLINED", "FROZEN", "CANCELLED", "EXPIRED"]),
    created_at: z.coerce.date(),
    updated_at: z.coerce.date().nullish(),
  }),
});

export const customersDataRequestSchema = z.object({
  shop_id: id,
  shop_domain: z.string(),
  customer: z.object({ id, email: z.string().nullish(), phone: z.string().nullish() }),
  orders_requested: z
    .array(id)
    .nullish()
    .transform((v) => v ?? []),
  data_request: z.object({ id }).nullish(),
});

export const customersRedactSchema = z.object({
  shop_id: id,
  shop_domain: z.string(),
  customer: z.object({ id, email: z.string().nullish(), phone: z.string().nullish() }),
  orders_to_redact: z
    .array(id)
    .nullish()
    .transform((v) => v ?? []),
});

export const shopRedactSchema = z.object({ shop_id: id, shop_domain: z.string() });

/** A bulk operation ended (the history import's exports): its gid and how it ended. */
export const bulkOperationFinishSchema = z.object({
  admin_graphql_api_id: z.string().min(1),
  status: z.string(),
  error_code: z.string().nullish(),
  type: z.string().nullish(),
  completed_at: z.string().nullish(),
});

/**
 * orders/edited: an order edit was committed (a post-purchase changeset is applied as one). It
 * names the added and removed line items by id and delta only, not their variants.
 */
export const orderEditedSchema = z.object({
  order_edit: z.object({
    id,
    order_id: id,
    created_at: timestamp.nullish(),
    line_items: z
      .object({
        additions: z.array(z.object({ id, delta: z.number().int() })).nullish(),
        removals: z.array(z.object({ id, delta: z.number().int() })).nullish(),
      })
      .nullish(),
  }),
});
export type OrderEditedPayload = z.output<typeof orderEditedSchema>;

/**
 * checkouts/create and checkouts/update: the REST Checkout resource. `token` is its stable key
 * (an order names it as `checkout_token`); line items carry no id of their own, only a `key`.
 */
export const checkoutSchema = z.object({
  id,
  token: z.string().min(1),
  cart_token: z.string().nullish(),
  email: z.string().nullish(),
  currency: z.string().length(3),
  presentment_currency: z.string().length(3).nullish(),
  subtotal_price: money.nullish(),
  total_price: money.nullish(),
  abandoned_checkout_url: z.string().nullish(),
  line_items: z.array(
    z.object({
      key: z.string().nullish(),
      variant_id: id.nullish(),
      product_id: id.nullish(),
      sku: z.string().nullish(),
      title: z.string(),
      variant_title: z.string().nullish(),
      quantity: z.number().int(),
      price: money,
    }),
  ),
  customer: customerRefSchema.nullish(),
  completed_at: timestamp.nullish(),
  closed_at: timestamp.nullish(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type CheckoutPayload = z.output<typeof checkoutSchema>;

/** Every topic we subscribe to (shopify.app.toml), with the schema its payload must satisfy. */
export const TOPIC_SCHEMAS = {
  "orders/create": orderSchema,
  "orders/paid": orderSchema,
  "orders/updated": orderSchema,
  "orders/fulfilled": orderSchema,
  "orders/edited": orderEditedSchema,
  "checkouts/create": checkoutSchema,
  "checkouts/update": checkoutSchema,
  "fulfillments/create": fulfillmentSchema,
  "fulfillments/update": fulfillmentSchema,
  "fulfillment_events/create": fulfillmentEventSchema,
  "inventory_levels/update": inventoryLevelSchema,
  "customers/update": customerSchema,
  "app/uninstalled": appUninstalledSchema,
  "app/scopes_update": scopesUpdateSchema,
  "app_subscriptions/update": appSubscriptionUpdateSchema,
  "customers/data_request": customersDataRequestSchema,
  "customers/redact": customersRedactSchema,
  "shop/redact": shopRedactSchema,
  "bulk_operations/finish": bulkOperationFinishSchema,
} as const;

export type Topic = keyof typeof TOPIC_SCHEMAS;

export function isKnownTopic(topic: string): topic is Topic {
  // Own keys only: "constructor" or "__proto__" are in every object.
  return Object.hasOwn(TOPIC_SCHEMAS, topic);
}
