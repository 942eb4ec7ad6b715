import type {
  checkouts,
  customers,
  fulfillments,
  orders,
  variants,
} from "../../../db/schema/index";
import { idText, idTextOrNull } from "../../utils/shopify-id";
import type {
  CheckoutView,
  CustomerView,
  FulfillmentView,
  OrderView,
  VariantView,
} from "./context";

/** The views recipes get of read-model rows, from Drizzle rows or from `row_to_json` (the prefetch). */

const num = (value: string | null | undefined) =>
  value === null || value === undefined ? null : Number(value);

export function orderView(row: typeof orders.$inferSelect): OrderView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    customerId: row.customerId,
    currency: row.currency,
    presentmentCurrency: row.presentmentCurrency,
    totalPrice: Number(row.totalPrice),
    currentTotalPrice: Number(row.currentTotalPrice),
    presentmentTotalPrice: num(row.presentmentTotalPrice),
    shippingCountry: row.shippingCountry,
    financialStatus: row.financialStatus,
    fulfillmentStatus: row.fulfillmentStatus,
    tags: row.tags,
    lineItems: row.lineItems,
    refundCount: row.refundCount,
    cancelledAt: row.cancelledAt,
    processedAt: row.processedAt,
    createdAt: row.createdAt,
    updatedAt: row.sourceUpdatedAt,
  };
}

export function customerView(row: typeof customers.$inferSelect): CustomerView {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    tags: row.tags,
    acceptsMarketing: row.acceptsMarketing,
    lifetimeSpend: Number(row.lifetimeSpend),
    orderCount: row.orderCount,
    firstOrderAt: row.firstOrderAt,
    lastOrderAt: row.lastOrderAt,
  };
}

export function checkoutView(row: typeof checkouts.$inferSelect): CheckoutView {
  return {
    token: row.token,
    id: row.id,
    customerId: row.customerId,
    email: row.email,
    lineItems: row.lineItems,
    subtotalPrice: Number(row.subtotalPrice),
    currency: row.currency,
    presentmentCurrency: row.presentmentCurrency,
    abandonedCheckoutUrl: row.abandonedCheckoutUrl,
    completedAt: row.completedAt,
    orderId: row.orderId,
    orderedAt: row.orderedAt,
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
  };
}

export function fulfillmentView(row: typeof fulfillments.$inferSelect): FulfillmentView {
  return {
    id: row.id,
    orderId: row.orderId,
    status: row.status,
    shipmentStatus: row.shipmentStatus,
    trackingCompany: row.trackingCompany,
    trackingNumbers: row.trackingNumbers,
    trackingUrls: row.trackingUrls,
    estimatedDeliveryAt: row.estimatedDeliveryAt,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}

export const variantView = (row: typeof variants.$inferSelect): VariantView => ({
  id: row.id,
  productId: row.productId,
  inventoryItemId: row.inventoryItemId,
  sku: row.sku,
  title: row.title,
  price: row.price,
});

/** Rows as `row_to_json` gives them (snake_case; timestamps as text). */
export type JsonRow = Record<string, any>;
const jsonDate = (value: unknown) =>
  value === null || value === undefined ? null : new Date(String(value));

export function orderFromJson(r: JsonRow): OrderView {
  return orderView({
    ...r,
    id: idText(r.id),
    shop: r.shop,
    customerId: idTextOrNull(r.customer_id),
    presentmentCurrency: r.presentment_currency,
    shippingCountry: r.shipping_country ?? null,
    totalPrice: String(r.total_price),
    subtotalPrice: r.subtotal_price === null ? null : String(r.subtotal_price),
    totalTax: r.total_tax === null ? null : String(r.total_tax),
    currentTotalPrice: String(r.current_total_price),
    presentmentTotalPrice:
      r.presentment_total_price === null ? null : String(r.presentment_total_price),
    financialStatus: r.financial_status,
    fulfillmentStatus: r.fulfillment_status,
    lineItems: r.line_items ?? [],
    refundCount: r.refund_count,
    cancelledAt: jsonDate(r.cancelled_at),
    processedAt: jsonDate(r.processed_at),
    createdAt: jsonDate(r.created_at)!,
    sourceUpdatedAt: jsonDate(r.source_updated_at)!,
  } as typeof orders.$inferSelect);
}

export function customerFromJson(r: JsonRow): CustomerView {
  return customerView({
    ...r,
    id: idText(r.id),
    firstName: r.first_name,
    lastName: r.last_name,
    emailMarketingState: r.email_marketing_state,
    acceptsMarketing: r.accepts_marketing,
    lifetimeSpend: String(r.lifetime_spend),
    orderCount: r.order_count,
    firstOrderAt: jsonDate(r.first_order_at),
    lastOrderAt: jsonDate(r.last_order_at),
    sourceUpdatedAt: jsonDate(r.source_updated_at),
  } as typeof customers.$inferSelect);
}

export function fulfillmentFromJson(r: JsonRow): FulfillmentView {
  return fulfillmentView({
    ...r,
    id: idText(r.id),
    orderId: idText(r.order_id),
    shipmentStatus: r.shipment_status,
    trackingCompany: r.tracking_company,
    trackingNumbers: r.tracking_numbers ?? [],
    trackingUrls: r.tracking_urls ?? [],
    estimatedDeliveryAt: jsonDate(r.estimated_delivery_at),
    deliveredAt: jsonDate(r.delivered_at),
    createdAt: jsonDate(r.created_at),
  } as typeof fulfillments.$inferSelect);
}

export function variantFromJson(v: JsonRow): VariantView {
  return variantView({
    ...v,
    id: idText(v.id),
    productId: idTextOrNull(v.product_id),
    inventoryItemId: idTextOrNull(v.inventory_item_id),
    price: v.price === null ? null : String(v.price),
  } as typeof variants.$inferSelect);
}
