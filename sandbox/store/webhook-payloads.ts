/**
 * REST-shaped webhook payloads built from the sandbox store, for the topics Switchboard
 * subscribes to. Shopify sends the REST resource of the topic as the body, so field names
 * follow the REST Admin resources exactly (snake_case, ids as numbers, money as decimal strings,
 * `*_set` objects with shop and presentment money, timestamps in the shop's time zone with
 * offset, tags as one comma-separated string). A simulator signs and sends these; this module
 * only builds them.
 *
 * Payloads are built from the store as it is now, so after a mutation (tagsAdd through the
 * fake, setAvailable from mutations.ts) the next payload shows the change.
 */

import { customerStats, fulfilledQuantity, indexStore, refundedQuantity } from "./lookup";
import { gid, gids, inventoryLevelGid } from "./ids";
import { fromCents, toCents } from "./money";
import { toShopLocal, toShopLocalOrNull } from "./time";
import type {
  MoneyPair,
  MoneyString,
  SandboxAddress,
  SandboxCustomer,
  SandboxFulfillment,
  SandboxFulfillmentEvent,
  SandboxLineItem,
  SandboxOrder,
  SandboxStore,
} from "./types";

// ---------------------------------------------------------------------------------------------
// REST shapes
// ---------------------------------------------------------------------------------------------

export interface RestMoney {
  amount: string;
  currency_code: string;
}

export interface RestMoneySet {
  shop_money: RestMoney;
  presentment_money: RestMoney;
}

export interface RestAddress {
  first_name: string;
  last_name: string;
  name: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  province_code: string;
  country: string;
  country_code: string;
  zip: string;
  phone: string | null;
  latitude: number;
  longitude: number;
}

export interface RestCustomerAddress extends Omit<RestAddress, "latitude" | "longitude"> {
  id: number;
  customer_id: number;
  country_name: string;
  default: boolean;
}

export interface RestEmailMarketingConsent {
  state: string;
  opt_in_level: string | null;
  consent_updated_at: string | null;
}

export interface RestSmsMarketingConsent extends RestEmailMarketingConsent {
  consent_collected_from: string;
}

/** Customer as embedded in an order payload. */
export interface RestOrderCustomer {
  id: number;
  email: string;
  created_at: string;
  updated_at: string;
  first_name: string;
  last_name: string;
  state: string;
  note: string | null;
  verified_email: boolean;
  multipass_identifier: null;
  tax_exempt: boolean;
  phone: string | null;
  email_marketing_consent: RestEmailMarketingConsent;
  sms_marketing_consent: RestSmsMarketingConsent | null;
  tags: string;
  currency: string;
  tax_exemptions: string[];
  admin_graphql_api_id: string;
  default_address: RestCustomerAddress | null;
}

/** The REST Customer resource (customers/update). */
export interface RestCustomer extends RestOrderCustomer {
  orders_count: number;
  total_spent: string;
  last_order_id: number | null;
  last_order_name: string | null;
  addresses: RestCustomerAddress[];
}

export interface RestTaxLine {
  title: string;
  rate: number;
  price: string;
  price_set: RestMoneySet;
  channel_liable: boolean;
}

export interface RestLineItem {
  id: number;
  admin_graphql_api_id: string;
  attributed_staffs: unknown[];
  current_quantity: number;
  fulfillable_quantity: number;
  fulfillment_service: string;
  fulfillment_status: "fulfilled" | "partial" | null;
  gift_card: boolean;
  grams: number;
  name: string;
  price: string;
  price_set: RestMoneySet;
  product_exists: boolean;
  product_id: number | null;
  properties: { name: string; value: string }[];
  quantity: number;
  requires_shipping: boolean;
  sku: string;
  taxable: boolean;
  title: string;
  total_discount: string;
  total_discount_set: RestMoneySet;
  variant_id: number | null;
  variant_inventory_management: string;
  variant_title: string | null;
  vendor: string;
  tax_lines: RestTaxLine[];
  duties: unknown[];
  discount_allocations: {
    amount: string;
    amount_set: RestMoneySet;
    discount_application_index: number;
  }[];
}

export interface RestShippingLine {
  id: number;
  carrier_identifier: string | null;
  code: string;
  discounted_price: string;
  discounted_price_set: RestMoneySet;
  is_removed: boolean;
  phone: string | null;
  price: string;
  price_set: RestMoneySet;
  requested_fulfillment_service_id: null;
  source: string;
  title: string;
  tax_lines: RestTaxLine[];
  discount_allocations: unknown[];
}

export interface RestTransaction {
  id: number;
  admin_graphql_api_id: string;
  amount: string;
  authorization: string | null;
  created_at: string;
  currency: string;
  device_id: null;
  error_code: null;
  gateway: string;
  kind: string;
  location_id: null;
  message: string | null;
  order_id: number;
  parent_id: number | null;
  processed_at: string;
  receipt: Record<string, unknown>;
  source_name: string;
  status: string;
  test: boolean;
  user_id: null;
}

export interface RestRefund {
  id: number;
  admin_graphql_api_id: string;
  created_at: string;
  note: string | null;
  order_id: number;
  processed_at: string;
  restock: boolean;
  total_duties_set: RestMoneySet;
  user_id: null;
  order_adjustments: unknown[];
  transactions: RestTransaction[];
  refund_line_items: {
    id: number;
    line_item_id: number;
    location_id: number | null;
    quantity: number;
    restock_type: string;
    subtotal: number;
    subtotal_set: RestMoneySet;
    total_tax: number;
    total_tax_set: RestMoneySet;
    line_item: RestLineItem;
  }[];
  duties: unknown[];
}

/** The REST Fulfillment resource (fulfillments/create, fulfillments/update, and inside orders). */
export interface RestFulfillment {
  id: number;
  admin_graphql_api_id: string;
  created_at: string;
  location_id: number;
  name: string;
  order_id: number;
  origin_address: Record<string, unknown>;
  receipt: Record<string, unknown>;
  service: string;
  shipment_status: string | null;
  status: string;
  tracking_company: string | null;
  tracking_number: string | null;
  tracking_numbers: string[];
  tracking_url: string | null;
  tracking_urls: string[];
  updated_at: string;
  line_items: RestLineItem[];
}

/** The REST Order resource (orders/create, orders/updated, orders/paid, orders/fulfilled). */
export interface RestOrder {
  id: number;
  admin_graphql_api_id: string;
  app_id: number;
  browser_ip: string;
  buyer_accepts_marketing: boolean;
  cancel_reason: string | null;
  cancelled_at: string | null;
  cart_token: string;
  checkout_id: number;
  checkout_token: string;
  client_details: {
    accept_language: string;
    browser_height: null;
    browser_ip: string;
    browser_width: null;
    session_hash: null;
    user_agent: string;
  };
  closed_at: string | null;
  confirmation_number: string;
  confirmed: boolean;
  contact_email: string;
  created_at: string;
  currency: string;
  current_shipping_price_set: RestMoneySet;
  current_subtotal_price: string;
  current_subtotal_price_set: RestMoneySet;
  current_total_additional_fees_set: null;
  current_total_discounts: string;
  current_total_discounts_set: RestMoneySet;
  current_total_duties_set: null;
  current_total_price: string;
  current_total_price_set: RestMoneySet;
  current_total_tax: string;
  current_total_tax_set: RestMoneySet;
  customer_locale: string;
  device_id: null;
  discount_codes: { code: string; amount: string; type: string }[];
  duties_included: boolean;
  email: string;
  estimated_taxes: boolean;
  financial_status: string;
  fulfillment_status: string | null;
  landing_site: string;
  landing_site_ref: null;
  location_id: number | null;
  merchant_of_record_app_id: null;
  name: string;
  note: string | null;
  note_attributes: { name: string; value: string }[];
  number: number;
  order_number: number;
  order_status_url: string;
  original_total_additional_fees_set: null;
  original_total_duties_set: null;
  payment_gateway_names: string[];
  phone: string | null;
  po_number: null;
  presentment_currency: string;
  processed_at: string;
  reference: null;
  referring_site: string | null;
  source_identifier: null;
  source_name: string;
  source_url: null;
  subtotal_price: string;
  subtotal_price_set: RestMoneySet;
  tags: string;
  tax_exempt: boolean;
  tax_lines: RestTaxLine[];
  taxes_included: boolean;
  test: boolean;
  token: string;
  total_discounts: string;
  total_discounts_set: RestMoneySet;
  total_line_items_price: string;
  total_line_items_price_set: RestMoneySet;
  total_outstanding: string;
  total_price: string;
  total_price_set: RestMoneySet;
  total_shipping_price_set: RestMoneySet;
  total_tax: string;
  total_tax_set: RestMoneySet;
  total_tip_received: string;
  total_weight: number;
  updated_at: string;
  user_id: null;
  billing_address: RestAddress | null;
  customer: RestOrderCustomer | null;
  discount_applications: {
    target_type: string;
    type: string;
    value: string;
    value_type: string;
    allocation_method: string;
    target_selection: string;
    code: string;
  }[];
  fulfillments: RestFulfillment[];
  line_items: RestLineItem[];
  payment_terms: null;
  refunds: RestRefund[];
  shipping_address: RestAddress | null;
  shipping_lines: RestShippingLine[];
}

/** A line of the REST Checkout resource: no id of its own, a `key` instead. */
export interface RestCheckoutLineItem {
  key: string;
  applied_discounts: never[];
  discount_allocations: never[];
  compare_at_price: string | null;
  destination_location_id: number | null;
  fulfillment_service: string;
  gift_card: boolean;
  grams: number;
  line_price: string;
  origin_location_id: number | null;
  presentment_title: string;
  presentment_variant_title: string | null;
  price: string;
  product_id: number | null;
  properties: null;
  quantity: number;
  requires_shipping: boolean;
  sku: string;
  tax_lines: never[];
  taxable: boolean;
  title: string;
  variant_id: number | null;
  variant_price: string;
  variant_title: string | null;
  vendor: string;
}

/** The REST Checkout resource (checkouts/create, checkouts/update). */
export interface RestCheckout {
  id: number;
  token: string;
  cart_token: string;
  email: string;
  gateway: string | null;
  buyer_accepts_marketing: boolean;
  buyer_accepts_sms: boolean;
  created_at: string;
  updated_at: string;
  landing_site: string;
  note: string | null;
  note_attributes: { name: string; value: string }[];
  referring_site: string | null;
  shipping_lines: never[];
  taxes_included: boolean;
  total_weight: number;
  currency: string;
  completed_at: string | null;
  closed_at: string | null;
  user_id: null;
  location_id: null;
  source_identifier: null;
  source_url: null;
  device_id: null;
  phone: string | null;
  customer_locale: string;
  line_items: RestCheckoutLineItem[];
  name: string;
  source: null;
  abandoned_checkout_url: string;
  discount_codes: never[];
  tax_lines: never[];
  source_name: string;
  presentment_currency: string;
  sms_marketing_phone: string | null;
  total_discounts: string;
  total_line_items_price: string;
  total_price: string;
  total_tax: string;
  subtotal_price: string;
  total_duties: null;
  reservation_token: null;
  billing_address: RestAddress | null;
  shipping_address: RestAddress | null;
  customer: RestOrderCustomer | null;
}

/** The REST FulfillmentEvent resource (fulfillment_events/create). */
export interface RestFulfillmentEvent {
  id: number;
  admin_graphql_api_id: string;
  fulfillment_id: number;
  order_id: number;
  shop_id: number;
  status: string;
  message: string;
  happened_at: string;
  estimated_delivery_at: string | null;
  address1: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
  zip: string | null;
  latitude: number | null;
  longitude: number | null;
  created_at: string;
  updated_at: string;
}

/** The REST InventoryLevel resource (inventory_levels/update). */
export interface RestInventoryLevel {
  inventory_item_id: number;
  location_id: number;
  available: number;
  updated_at: string;
  admin_graphql_api_id: string;
}

export interface RestCustomerRef {
  id: number;
  email: string;
  phone: string | null;
}

export interface RestCustomersDataRequest {
  shop_id: number;
  shop_domain: string;
  orders_requested: number[];
  customer: RestCustomerRef;
  data_request: { id: number };
}

export interface RestCustomersRedact {
  shop_id: number;
  shop_domain: string;
  customer: RestCustomerRef;
  orders_to_redact: number[];
}

export interface RestShopRedact {
  shop_id: number;
  shop_domain: string;
}

/** The REST Shop resource (app/uninstalled). */
export interface RestShop {
  id: number;
  name: string;
  email: string;
  domain: string;
  province: string;
  country: string;
  address1: string;
  zip: string;
  city: string;
  source: null;
  phone: string | null;
  latitude: number;
  longitude: number;
  primary_locale: string;
  address2: string | null;
  created_at: string;
  updated_at: string;
  country_code: string;
  country_name: string;
  currency: string;
  customer_email: string;
  timezone: string;
  iana_timezone: string;
  shop_owner: string;
  money_format: string;
  money_with_currency_format: string;
  weight_unit: string;
  province_code: string;
  taxes_included: boolean;
  auto_configure_tax_inclusivity: null;
  tax_shipping: boolean;
  county_taxes: boolean;
  plan_display_name: string;
  plan_name: string;
  has_discounts: boolean;
  has_gift_cards: boolean;
  myshopify_domain: string;
  google_apps_domain: null;
  google_apps_login_enabled: null;
  money_in_emails_format: string;
  money_with_currency_in_emails_format: string;
  eligible_for_payments: boolean;
  requires_extra_payments_agreement: boolean;
  password_enabled: boolean;
  has_storefront: boolean;
  finances: boolean;
  primary_location_id: number;
  checkout_api_supported: boolean;
  multi_location_enabled: boolean;
  setup_required: boolean;
  pre_launch_enabled: boolean;
  enabled_presentment_currencies: string[];
  marketing_sms_consent_enabled_at_checkout: boolean;
  transactional_sms_disabled: boolean;
}

export interface RestAppScopesUpdate {
  id: number;
  previous: string[];
  current: string[];
  updated_at: string;
  admin_graphql_api_id: string;
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

function money(
  pair: MoneyPair,
  order: { currency: string; presentmentCurrency: string },
): RestMoneySet {
  return {
    shop_money: { amount: pair.shop, currency_code: order.currency },
    presentment_money: { amount: pair.presentment, currency_code: order.presentmentCurrency },
  };
}

function subtract(a: MoneyPair, b: MoneyPair): MoneyPair {
  return {
    shop: fromCents(toCents(a.shop) - toCents(b.shop)),
    presentment: fromCents(toCents(a.presentment) - toCents(b.presentment)),
  };
}

function sumPairs(pairs: MoneyPair[]): MoneyPair {
  return {
    shop: fromCents(pairs.reduce((sum, p) => sum + toCents(p.shop), 0)),
    presentment: fromCents(pairs.reduce((sum, p) => sum + toCents(p.presentment), 0)),
  };
}

const ZERO: MoneyPair = { shop: "0.00", presentment: "0.00" };

function tagString(tags: readonly string[]): string {
  return tags.join(", ");
}

function address(value: SandboxAddress | null): RestAddress | null {
  if (!value) return null;
  return {
    first_name: value.firstName,
    last_name: value.lastName,
    name: `${value.firstName} ${value.lastName}`,
    company: value.company,
    address1: value.address1,
    address2: value.address2,
    city: value.city,
    province: value.province,
    province_code: value.provinceCode,
    country: value.country,
    country_code: value.countryCode,
    zip: value.zip,
    phone: value.phone,
    latitude: value.latitude,
    longitude: value.longitude,
  };
}

function customerAddress(customer: SandboxCustomer, value: SandboxAddress): RestCustomerAddress {
  const { latitude: _lat, longitude: _lng, ...rest } = address(value)!;
  return {
    id: value.id,
    customer_id: customer.id,
    ...rest,
    country_name: value.country,
    default: value.id === customer.defaultAddressId,
  };
}

function orderCustomer(store: SandboxStore, customer: SandboxCustomer): RestOrderCustomer {
  const tz = store.shop.ianaTimezone;
  const defaultAddress = customer.addresses.find((a) => a.id === customer.defaultAddressId) ?? null;
  return {
    id: customer.id,
    email: customer.email,
    created_at: toShopLocal(customer.createdAt, tz),
    updated_at: toShopLocal(customer.updatedAt, tz),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state,
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: customer.taxExempt,
    phone: customer.phone,
    email_marketing_consent: {
      state: customer.emailMarketingConsent.state,
      opt_in_level: customer.emailMarketingConsent.optInLevel,
      consent_updated_at: toShopLocalOrNull(customer.emailMarketingConsent.consentUpdatedAt, tz),
    },
    sms_marketing_consent: customer.smsMarketingConsent
      ? {
          state: customer.smsMarketingConsent.state,
          opt_in_level: customer.smsMarketingConsent.optInLevel,
          consent_updated_at: toShopLocalOrNull(customer.smsMarketingConsent.consentUpdatedAt, tz),
          consent_collected_from: customer.smsMarketingConsent.consentCollectedFrom,
        }
      : null,
    tags: tagString(customer.tags),
    currency: customer.currency,
    tax_exemptions: [],
    admin_graphql_api_id: gids.customer(customer.id),
    default_address: defaultAddress ? customerAddress(customer, defaultAddress) : null,
  };
}

function lineItem(
  store: SandboxStore,
  order: SandboxOrder,
  line: SandboxLineItem,
  quantityOverride?: number,
): RestLineItem {
  const fulfilled = fulfilledQuantity(store, order.id, line.id);
  const refunded = refundedQuantity(order, line.id);
  const current = Math.max(0, line.quantity - refunded);
  const fulfillable = order.cancelledAt ? 0 : Math.max(0, current - fulfilled);
  return {
    id: line.id,
    admin_graphql_api_id: gids.lineItem(line.id),
    attributed_staffs: [],
    current_quantity: current,
    fulfillable_quantity: fulfillable,
    fulfillment_service: "manual",
    fulfillment_status: fulfilled >= line.quantity ? "fulfilled" : fulfilled > 0 ? "partial" : null,
    gift_card: false,
    grams: line.grams,
    name: line.name,
    price: line.price.shop,
    price_set: money(line.price, order),
    product_exists: line.productId !== null && indexStore(store).products.has(line.productId),
    product_id: line.productId,
    properties: [],
    quantity: quantityOverride ?? line.quantity,
    requires_shipping: line.requiresShipping,
    sku: line.sku,
    taxable: line.taxable,
    title: line.title,
    total_discount: line.totalDiscount.shop,
    total_discount_set: money(line.totalDiscount, order),
    variant_id: line.variantId,
    variant_inventory_management: "shopify",
    variant_title: line.variantTitle,
    vendor: line.vendor,
    tax_lines: line.taxLines.map((taxLine) => ({
      title: taxLine.title,
      rate: taxLine.rate,
      price: taxLine.price.shop,
      price_set: money(taxLine.price, order),
      channel_liable: false,
    })),
    duties: [],
    discount_allocations:
      toCents(line.totalDiscount.shop) > 0
        ? [
            {
              amount: line.totalDiscount.shop,
              amount_set: money(line.totalDiscount, order),
              discount_application_index: 0,
            },
          ]
        : [],
  };
}

function fulfillment(store: SandboxStore, value: SandboxFulfillment): RestFulfillment {
  const tz = store.shop.ianaTimezone;
  const index = indexStore(store);
  const order = index.orders.get(value.orderId);
  if (!order) throw new Error(`fulfillment ${value.id} points at unknown order ${value.orderId}`);
  const warehouse = index.locations.get(value.locationId);
  return {
    id: value.id,
    admin_graphql_api_id: gids.fulfillment(value.id),
    created_at: toShopLocal(value.createdAt, tz),
    location_id: value.locationId,
    name: value.name,
    order_id: value.orderId,
    origin_address: warehouse
      ? {
          address1: warehouse.address.address1,
          city: warehouse.address.city,
          province_code: warehouse.address.provinceCode,
          country_code: warehouse.address.countryCode,
          zip: warehouse.address.zip,
        }
      : {},
    receipt: {},
    service: "manual",
    shipment_status: value.shipmentStatus,
    status: value.status,
    tracking_company: value.trackingCompany,
    tracking_number: value.trackingNumbers[0] ?? null,
    tracking_numbers: [...value.trackingNumbers],
    tracking_url: value.trackingUrls[0] ?? null,
    tracking_urls: [...value.trackingUrls],
    updated_at: toShopLocal(value.updatedAt, tz),
    line_items: value.lineItems.flatMap((entry) => {
      const line = order.lineItems.find((l) => l.id === entry.lineItemId);
      return line ? [lineItem(store, order, line, entry.quantity)] : [];
    }),
  };
}

function refund(
  store: SandboxStore,
  order: SandboxOrder,
  value: SandboxOrder["refunds"][number],
): RestRefund {
  const tz = store.shop.ianaTimezone;
  return {
    id: value.id,
    admin_graphql_api_id: gids.refund(value.id),
    created_at: toShopLocal(value.createdAt, tz),
    note: value.note,
    order_id: order.id,
    processed_at: toShopLocal(value.processedAt, tz),
    restock: value.restock,
    total_duties_set: money(ZERO, order),
    user_id: null,
    order_adjustments: [],
    transactions: value.transactions.map((transaction) => ({
      id: transaction.id,
      admin_graphql_api_id: gid("OrderTransaction", transaction.id),
      amount: transaction.amount.presentment,
      authorization: null,
      created_at: toShopLocal(transaction.createdAt, tz),
      currency: order.presentmentCurrency,
      device_id: null,
      error_code: null,
      gateway: transaction.gateway,
      kind: transaction.kind,
      location_id: null,
      message: "Refund issued",
      order_id: order.id,
      parent_id: null,
      processed_at: toShopLocal(transaction.createdAt, tz),
      receipt: {},
      source_name: "web",
      status: transaction.status,
      test: order.test,
      user_id: null,
    })),
    refund_line_items: value.refundLineItems.flatMap((entry) => {
      const line = order.lineItems.find((l) => l.id === entry.lineItemId);
      if (!line) return [];
      return [
        {
          id: entry.id,
          line_item_id: entry.lineItemId,
          location_id: value.restock ? store.shop.primaryLocationId : null,
          quantity: entry.quantity,
          restock_type: entry.restockType,
          subtotal: Number(entry.subtotal.shop),
          subtotal_set: money(entry.subtotal, order),
          total_tax: Number(entry.totalTax.shop),
          total_tax_set: money(entry.totalTax, order),
          line_item: lineItem(store, order, line),
        },
      ];
    }),
    duties: [],
  };
}

function refundedTotals(order: SandboxOrder): {
  subtotal: MoneyPair;
  tax: MoneyPair;
  total: MoneyPair;
  shipping: MoneyPair;
} {
  const lines = order.refunds.flatMap((r) => r.refundLineItems);
  const subtotal = sumPairs(lines.map((l) => l.subtotal));
  const tax = sumPairs(lines.map((l) => l.totalTax));
  const total = sumPairs(order.refunds.flatMap((r) => r.transactions.map((t) => t.amount)));
  const shipping = subtract(total, sumPairs([subtotal, tax]));
  return { subtotal, tax, total, shipping };
}

// ---------------------------------------------------------------------------------------------
// Topics
// ---------------------------------------------------------------------------------------------

function requireOrder(store: SandboxStore, orderId: number): SandboxOrder {
  const order = indexStore(store).orders.get(orderId);
  if (!order) throw new Error(`no order ${orderId} in the sandbox store`);
  return order;
}

function requireCustomer(store: SandboxStore, customerId: number): SandboxCustomer {
  const customer = indexStore(store).customers.get(customerId);
  if (!customer) throw new Error(`no customer ${customerId} in the sandbox store`);
  return customer;
}

/** The REST Order resource, as sent for every orders/* topic. */
export function orderPayload(store: SandboxStore, orderId: number): RestOrder {
  const order = requireOrder(store, orderId);
  const tz = store.shop.ianaTimezone;
  const index = indexStore(store);
  const customer =
    order.customerId !== null ? (index.customers.get(order.customerId) ?? null) : null;
  const refunded = refundedTotals(order);
  const currentSubtotal = subtract(order.totals.subtotal, refunded.subtotal);
  const currentTax = subtract(order.totals.tax, refunded.tax);
  const currentShipping = subtract(order.totals.shipping, refunded.shipping);
  const currentTotal = subtract(order.totals.total, refunded.total);
  const unpaid = order.financialStatus === "pending" || order.financialStatus === "authorized";
  const browserIp = `203.0.113.${(order.orderNumber % 250) + 1}`;
  const discount = order.discountCodes[0];
  return {
    id: order.id,
    admin_graphql_api_id: gids.order(order.id),
    app_id: 580111,
    browser_ip: browserIp,
    buyer_accepts_marketing: order.buyerAcceptsMarketing,
    cancel_reason: order.cancelReason,
    cancelled_at: toShopLocalOrNull(order.cancelledAt, tz),
    cart_token: order.token.slice(0, 24),
    checkout_id: order.checkoutId ?? order.id + 1_000_000_000,
    checkout_token: order.checkoutToken ?? order.token.split("").reverse().join(""),
    client_details: {
      accept_language: order.customerLocale === "en" ? "en-US" : order.customerLocale,
      browser_height: null,
      browser_ip: browserIp,
      browser_width: null,
      session_hash: null,
      user_agent: "Mozilla/5.0 (Sandbox) AppleWebKit/537.36 (KHTML, like Gecko)",
    },
    closed_at: toShopLocalOrNull(order.closedAt, tz),
    confirmation_number: order.confirmationNumber,
    confirmed: true,
    contact_email: order.email,
    created_at: toShopLocal(order.createdAt, tz),
    currency: order.currency,
    current_shipping_price_set: money(currentShipping, order),
    current_subtotal_price: currentSubtotal.shop,
    current_subtotal_price_set: money(currentSubtotal, order),
    current_total_additional_fees_set: null,
    current_total_discounts: order.totals.discounts.shop,
    current_total_discounts_set: money(order.totals.discounts, order),
    current_total_duties_set: null,
    current_total_price: currentTotal.shop,
    current_total_price_set: money(currentTotal, order),
    current_total_tax: currentTax.shop,
    current_total_tax_set: money(currentTax, order),
    customer_locale: order.customerLocale,
    device_id: null,
    discount_codes: order.discountCodes.map((code) => ({
      code: code.code,
      amount: code.amount,
      type: code.type,
    })),
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: order.financialStatus,
    fulfillment_status: order.fulfillmentStatus,
    landing_site: "/",
    landing_site_ref: null,
    location_id: null,
    merchant_of_record_app_id: null,
    name: order.name,
    note: order.note,
    note_attributes: [],
    number: order.orderNumber - 1000,
    order_number: order.orderNumber,
    order_status_url: `https://${store.shop.primaryDomain}/${store.shop.id}/orders/${order.token}/authenticate?key=${order.token.slice(0, 16)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [order.gateway],
    phone: order.phone,
    po_number: null,
    presentment_currency: order.presentmentCurrency,
    processed_at: toShopLocal(order.processedAt, tz),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: order.sourceName,
    source_url: null,
    subtotal_price: order.totals.subtotal.shop,
    subtotal_price_set: money(order.totals.subtotal, order),
    tags: tagString(order.tags),
    tax_exempt: customer?.taxExempt ?? false,
    tax_lines: order.taxLines.map((taxLine) => ({
      title: taxLine.title,
      rate: taxLine.rate,
      price: taxLine.price.shop,
      price_set: money(taxLine.price, order),
      channel_liable: false,
    })),
    taxes_included: store.shop.taxesIncluded,
    test: order.test,
    token: order.token,
    total_discounts: order.totals.discounts.shop,
    total_discounts_set: money(order.totals.discounts, order),
    total_line_items_price: order.totals.lineItems.shop,
    total_line_items_price_set: money(order.totals.lineItems, order),
    total_outstanding: unpaid ? order.totals.total.shop : "0.00",
    total_price: order.totals.total.shop,
    total_price_set: money(order.totals.total, order),
    total_shipping_price_set: money(order.totals.shipping, order),
    total_tax: order.totals.tax.shop,
    total_tax_set: money(order.totals.tax, order),
    total_tip_received: "0.00",
    total_weight: order.lineItems.reduce((sum, line) => sum + line.grams * line.quantity, 0),
    updated_at: toShopLocal(order.updatedAt, tz),
    user_id: null,
    billing_address: address(order.billingAddress),
    customer: customer ? orderCustomer(store, customer) : null,
    discount_applications: discount
      ? [
          {
            target_type: "line_item",
            type: "discount_code",
            value: Math.round(
              (toCents(order.totals.discounts.shop) /
                Math.max(1, toCents(order.totals.lineItems.shop))) *
                100,
            ).toFixed(1),
            value_type: discount.type,
            allocation_method: "across",
            target_selection: "all",
            code: discount.code,
          },
        ]
      : [],
    fulfillments: (index.fulfillmentsByOrder.get(order.id) ?? []).map((value) =>
      fulfillment(store, value),
    ),
    line_items: order.lineItems.map((line) => lineItem(store, order, line)),
    payment_terms: null,
    refunds: order.refunds.map((value) => refund(store, order, value)),
    shipping_address: address(order.shippingAddress),
    shipping_lines: order.shippingLines.map((line) => ({
      id: line.id,
      carrier_identifier: null,
      code: line.code,
      discounted_price: line.price.shop,
      discounted_price_set: money(line.price, order),
      is_removed: false,
      phone: null,
      price: line.price.shop,
      price_set: money(line.price, order),
      requested_fulfillment_service_id: null,
      source: line.source,
      title: line.title,
      tax_lines: [],
      discount_allocations: [],
    })),
  };
}

/** `orders/create`: a new order, as placed (same REST Order shape as the other order topics). */
export function ordersCreatePayload(store: SandboxStore, orderId: number): RestOrder {
  return orderPayload(store, orderId);
}

/** `orders/updated`: any change to the order (tags, notes, fulfillment, refund); the full order. */
export function ordersUpdatedPayload(store: SandboxStore, orderId: number): RestOrder {
  return orderPayload(store, orderId);
}

/**
 * `orders/edited`: an order edit was committed (Shopify applies a post-purchase changeset as
 * one). It names the added and removed lines by id and delta only, not what they are.
 */
export interface RestOrderEdit {
  order_edit: {
    id: number;
    app_id: number | null;
    created_at: string;
    notify_customer: boolean;
    order_id: number;
    staff_note: string;
    user_id: number | null;
    line_items: {
      additions: { id: number; delta: number }[];
      removals: { id: number; delta: number }[];
    };
    discounts: { additions: unknown[]; removals: unknown[] };
    shipping_lines: { additions: unknown[]; removals: unknown[] };
  };
}

export function ordersEditedPayload(store: SandboxStore, editId: number): RestOrderEdit {
  const edit = (store.orderEdits ?? []).find((e) => e.id === editId);
  if (!edit) throw new Error(`no order edit ${editId} in the sandbox store`);
  return {
    order_edit: {
      id: edit.id,
      app_id: null,
      created_at: toShopLocal(edit.createdAt, store.shop.ianaTimezone),
      notify_customer: false,
      order_id: edit.orderId,
      staff_note: "",
      user_id: null,
      line_items: {
        additions: edit.additions.map((a) => ({ id: a.lineItemId, delta: a.delta })),
        removals: [],
      },
      discounts: { additions: [], removals: [] },
      shipping_lines: { additions: [], removals: [] },
    },
  };
}

/** `orders/paid`: sent when financial_status becomes paid; the full order. */
export function ordersPaidPayload(store: SandboxStore, orderId: number): RestOrder {
  return orderPayload(store, orderId);
}

/** `orders/fulfilled`: sent when every line is fulfilled (fulfillment_status "fulfilled"); the full order. */
export function ordersFulfilledPayload(store: SandboxStore, orderId: number): RestOrder {
  return orderPayload(store, orderId);
}

interface CheckoutFields {
  id: number;
  token: string;
  cartToken: string;
  customer: SandboxCustomer | null;
  email: string;
  phone: string | null;
  locale: string;
  acceptsMarketing: boolean;
  presentmentCurrency: string;
  gateway: string | null;
  lines: {
    variantId: number | null;
    productId: number | null;
    sku: string;
    title: string;
    variantTitle: string | null;
    vendor: string;
    quantity: number;
    price: MoneyString;
    grams: number;
    taxable: boolean;
    requiresShipping: boolean;
  }[];
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  address: SandboxAddress | null;
  /** Shown after the checkout's token in the recovery link. */
  key: string;
}

function restCheckout(store: SandboxStore, c: CheckoutFields): RestCheckout {
  const tz = store.shop.ianaTimezone;
  const lineCents = c.lines.reduce((sum, line) => sum + toCents(line.price) * line.quantity, 0);
  return {
    id: c.id,
    token: c.token,
    cart_token: c.cartToken,
    email: c.email,
    gateway: c.gateway,
    buyer_accepts_marketing: c.acceptsMarketing,
    buyer_accepts_sms: false,
    created_at: toShopLocal(c.createdAt, tz),
    updated_at: toShopLocal(c.updatedAt, tz),
    landing_site: "/",
    note: null,
    note_attributes: [],
    referring_site: null,
    shipping_lines: [],
    taxes_included: store.shop.taxesIncluded,
    total_weight: c.lines.reduce((sum, line) => sum + line.grams * line.quantity, 0),
    currency: store.shop.currency,
    completed_at: toShopLocalOrNull(c.completedAt, tz),
    closed_at: null,
    user_id: null,
    location_id: null,
    source_identifier: null,
    source_url: null,
    device_id: null,
    phone: c.phone,
    customer_locale: c.locale,
    line_items: c.lines.map((line) => ({
      key: `${line.variantId ?? 0}:${c.token.slice(0, 8)}`,
      applied_discounts: [],
      discount_allocations: [],
      compare_at_price: null,
      destination_location_id: null,
      fulfillment_service: "manual",
      gift_card: false,
      grams: line.grams,
      line_price: fromCents(toCents(line.price) * line.quantity),
      origin_location_id: null,
      presentment_title: line.title,
      presentment_variant_title: line.variantTitle,
      price: line.price,
      product_id: line.productId,
      properties: null,
      quantity: line.quantity,
      requires_shipping: line.requiresShipping,
      sku: line.sku,
      tax_lines: [],
      taxable: line.taxable,
      title: line.title,
      variant_id: line.variantId,
      variant_price: line.price,
      variant_title: line.variantTitle,
      vendor: line.vendor,
    })),
    name: `#${c.id}`,
    source: null,
    abandoned_checkout_url: `https://${store.shop.primaryDomain}/${store.shop.id}/checkouts/${c.token}/recover?key=${c.key}`,
    discount_codes: [],
    tax_lines: [],
    source_name: "web",
    presentment_currency: c.presentmentCurrency,
    sms_marketing_phone: null,
    total_discounts: "0.00",
    total_line_items_price: fromCents(lineCents),
    total_price: fromCents(lineCents),
    total_tax: "0.00",
    subtotal_price: fromCents(lineCents),
    total_duties: null,
    reservation_token: null,
    billing_address: address(c.address),
    shipping_address: address(c.address),
    customer: c.customer ? orderCustomer(store, c.customer) : null,
  };
}

/**
 * The checkout a sandbox order was placed from (the same `checkout_token` and `checkout_id` the
 * order payload names), opened 20 minutes before the order and last touched 5 minutes before it.
 * `completed: true` is the checkouts/update Shopify sends when the order is placed; without it,
 * the checkout as the buyer left it: sending it without the order is an abandoned checkout.
 */
export function checkoutPayload(
  store: SandboxStore,
  orderId: number,
  options: { completed?: boolean } = {},
): RestCheckout {
  const order = requireOrder(store, orderId);
  const customer =
    order.customerId !== null ? (indexStore(store).customers.get(order.customerId) ?? null) : null;
  const placed = Date.parse(order.createdAt);
  return restCheckout(store, {
    id: order.checkoutId ?? order.id + 1_000_000_000,
    token: order.checkoutToken ?? order.token.split("").reverse().join(""),
    cartToken: order.token.slice(0, 24),
    customer,
    email: order.email,
    phone: order.phone,
    locale: order.customerLocale,
    acceptsMarketing: order.buyerAcceptsMarketing,
    presentmentCurrency: order.presentmentCurrency,
    gateway: options.completed ? order.gateway : null,
    lines: order.lineItems.map((line) => ({ ...line, price: line.price.shop })),
    createdAt: new Date(placed - 20 * 60_000).toISOString(),
    updatedAt: options.completed ? order.createdAt : new Date(placed - 5 * 60_000).toISOString(),
    completedAt: options.completed ? order.createdAt : null,
    address: order.shippingAddress,
    key: order.token.slice(0, 16),
  });
}

/** A checkout the store-day simulator's shopper left (`store.checkouts`), as it stands now. */
export function storedCheckoutPayload(store: SandboxStore, checkoutId: number): RestCheckout {
  const checkout = store.checkouts?.find((c) => c.id === checkoutId);
  if (!checkout) throw new Error(`no checkout ${checkoutId} in the sandbox store`);
  const index = indexStore(store);
  const customer = index.customers.get(checkout.customerId) ?? null;
  return restCheckout(store, {
    id: checkout.id,
    token: checkout.token,
    cartToken: checkout.token.slice(8, 32),
    customer,
    email: checkout.email,
    phone: customer?.phone ?? null,
    locale: customer?.locale ?? "en",
    acceptsMarketing: customer?.emailMarketingConsent.state === "subscribed",
    presentmentCurrency: customer?.currency ?? store.shop.currency,
    gateway: checkout.completedAt ? "shopify_payments" : null,
    lines: checkout.lines.map((line) => {
      const variant = index.variants.get(line.variantId)!;
      const product = index.products.get(variant.productId)!;
      return {
        variantId: variant.id,
        productId: product.id,
        sku: variant.sku,
        title: product.title,
        variantTitle: variant.title === "Default Title" ? null : variant.title,
        vendor: product.vendor,
        quantity: line.quantity,
        price: variant.price,
        grams: variant.grams,
        taxable: variant.taxable,
        requiresShipping: true,
      };
    }),
    createdAt: checkout.createdAt,
    updatedAt: checkout.updatedAt,
    completedAt: checkout.completedAt,
    address: customer?.addresses[0] ?? null,
    key: checkout.token.slice(0, 16),
  });
}

function requireFulfillment(store: SandboxStore, fulfillmentId: number): SandboxFulfillment {
  const value = indexStore(store).fulfillments.get(fulfillmentId);
  if (!value) throw new Error(`no fulfillment ${fulfillmentId} in the sandbox store`);
  return value;
}

/** `fulfillments/create`: the REST Fulfillment, line_items carrying the fulfilled quantities. */
export function fulfillmentsCreatePayload(
  store: SandboxStore,
  fulfillmentId: number,
): RestFulfillment {
  return fulfillment(store, requireFulfillment(store, fulfillmentId));
}

/** `fulfillments/update`: the REST Fulfillment after a change (tracking, shipment_status). */
export function fulfillmentsUpdatePayload(
  store: SandboxStore,
  fulfillmentId: number,
): RestFulfillment {
  return fulfillment(store, requireFulfillment(store, fulfillmentId));
}

/** `fulfillment_events/create`: one carrier tracking event; `status` is the lowercase event status. */
export function fulfillmentEventsCreatePayload(
  store: SandboxStore,
  eventId: number,
): RestFulfillmentEvent {
  const event: SandboxFulfillmentEvent | undefined =
    indexStore(store).fulfillmentEvents.get(eventId);
  if (!event) throw new Error(`no fulfillment event ${eventId} in the sandbox store`);
  const tz = store.shop.ianaTimezone;
  return {
    id: event.id,
    admin_graphql_api_id: gids.fulfillmentEvent(event.id),
    fulfillment_id: event.fulfillmentId,
    order_id: event.orderId,
    shop_id: store.shop.id,
    status: event.status,
    message: event.message,
    happened_at: toShopLocal(event.happenedAt, tz),
    estimated_delivery_at: toShopLocalOrNull(event.estimatedDeliveryAt, tz),
    address1: event.address1,
    city: event.city,
    province: event.province,
    country: event.country,
    zip: event.zip,
    latitude: event.latitude,
    longitude: event.longitude,
    created_at: toShopLocal(event.createdAt, tz),
    updated_at: toShopLocal(event.updatedAt, tz),
  };
}

/** `inventory_levels/update`: `available` at one location; map to a variant via the inventory item. */
export function inventoryLevelsUpdatePayload(
  store: SandboxStore,
  inventoryItemId: number,
  locationId: number,
): RestInventoryLevel {
  const level = (indexStore(store).levelsByItem.get(inventoryItemId) ?? []).find(
    (l) => l.locationId === locationId,
  );
  if (!level)
    throw new Error(`no inventory level for item ${inventoryItemId} at location ${locationId}`);
  return {
    inventory_item_id: level.inventoryItemId,
    location_id: level.locationId,
    available: level.quantities.available,
    updated_at: toShopLocal(level.updatedAt, store.shop.ianaTimezone),
    admin_graphql_api_id: inventoryLevelGid(level.id, level.inventoryItemId),
  };
}

/** `customers/update`: the REST Customer, with orders_count, total_spent and the last order. */
export function customersUpdatePayload(store: SandboxStore, customerId: number): RestCustomer {
  const customer = requireCustomer(store, customerId);
  const stats = customerStats(store, customerId);
  return {
    ...orderCustomer(store, customer),
    orders_count: stats.ordersCount,
    total_spent: fromCents(stats.totalSpentCents),
    last_order_id: stats.lastOrder?.id ?? null,
    last_order_name: stats.lastOrder?.name ?? null,
    addresses: customer.addresses.map((a) => customerAddress(customer, a)),
  };
}

function orderIdsOf(store: SandboxStore, customerId: number): number[] {
  return (indexStore(store).ordersByCustomer.get(customerId) ?? []).map((order) => order.id);
}

/** `customers/data_request` (compliance): the customer asked the shop for their data. */
export function customersDataRequestPayload(
  store: SandboxStore,
  customerId: number,
  dataRequestId = 9_870_001,
): RestCustomersDataRequest {
  const customer = requireCustomer(store, customerId);
  return {
    shop_id: store.shop.id,
    shop_domain: store.shop.domain,
    orders_requested: orderIdsOf(store, customerId),
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    data_request: { id: dataRequestId },
  };
}

/** `customers/redact` (compliance): erase this customer's data and the listed orders'. */
export function customersRedactPayload(
  store: SandboxStore,
  customerId: number,
): RestCustomersRedact {
  const customer = requireCustomer(store, customerId);
  return {
    shop_id: store.shop.id,
    shop_domain: store.shop.domain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
    orders_to_redact: orderIdsOf(store, customerId),
  };
}

/** `shop/redact` (compliance): 48 hours after uninstall, erase everything about the shop. */
export function shopRedactPayload(store: SandboxStore): RestShopRedact {
  return { shop_id: store.shop.id, shop_domain: store.shop.domain };
}

/** `app/uninstalled`: the REST Shop resource of the shop that removed the app. */
export function appUninstalledPayload(store: SandboxStore): RestShop {
  const shop = store.shop;
  const tz = shop.ianaTimezone;
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: shop.primaryDomain,
    province: shop.address.province,
    country: shop.address.countryCode,
    address1: shop.address.address1,
    zip: shop.address.zip,
    city: shop.address.city,
    source: null,
    phone: shop.address.phone,
    latitude: shop.address.latitude,
    longitude: shop.address.longitude,
    primary_locale: shop.primaryLocale,
    address2: shop.address.address2,
    created_at: toShopLocal(shop.createdAt, tz),
    updated_at: toShopLocal(shop.updatedAt, tz),
    country_code: shop.address.countryCode,
    country_name: shop.address.country,
    currency: shop.currency,
    customer_email: shop.customerEmail,
    timezone: shop.timezone,
    iana_timezone: shop.ianaTimezone,
    shop_owner: shop.shopOwner,
    money_format: shop.moneyFormat,
    money_with_currency_format: shop.moneyWithCurrencyFormat,
    weight_unit: shop.weightUnit,
    province_code: shop.address.provinceCode,
    taxes_included: shop.taxesIncluded,
    auto_configure_tax_inclusivity: null,
    tax_shipping: shop.taxShipping,
    county_taxes: true,
    plan_display_name: shop.planDisplayName,
    plan_name: shop.planName,
    has_discounts: true,
    has_gift_cards: false,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: shop.moneyFormat,
    money_with_currency_in_emails_format: shop.moneyWithCurrencyFormat,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: shop.primaryLocationId,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [...shop.enabledPresentmentCurrencies],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}

/** `app/scopes_update`: the app's granted scopes changed. */
export function appScopesUpdatePayload(
  store: SandboxStore,
  scopes: { previous: string[]; current: string[]; updatedAt?: string },
): RestAppScopesUpdate {
  const installationId = store.shop.id + 1;
  return {
    id: installationId,
    previous: [...scopes.previous],
    current: [...scopes.current],
    updated_at: toShopLocal(scopes.updatedAt ?? store.baseDate, store.shop.ianaTimezone),
    admin_graphql_api_id: `gid://shopify/AppInstallation/${installationId}`,
  };
}

// ---------------------------------------------------------------------------------------------
// One entry point for a simulator
// ---------------------------------------------------------------------------------------------

/** What each topic's payload is about. */
export interface WebhookSubjects {
  /** The checkout an order was placed from, as the buyer left it; or one the simulator's shopper left. */
  "checkouts/create": { orderId: number } | { checkoutId: number };
  /** The same; `completed` as Shopify sends it when the order is placed. */
  "checkouts/update": { orderId: number; completed?: boolean } | { checkoutId: number };
  "orders/create": { orderId: number };
  "orders/updated": { orderId: number };
  "orders/edited": { editId: number };
  "orders/paid": { orderId: number };
  "orders/fulfilled": { orderId: number };
  "fulfillments/create": { fulfillmentId: number };
  "fulfillments/update": { fulfillmentId: number };
  "fulfillment_events/create": { eventId: number };
  "inventory_levels/update": { inventoryItemId: number; locationId: number };
  "customers/update": { customerId: number };
  "customers/data_request": { customerId: number; dataRequestId?: number };
  "customers/redact": { customerId: number };
  "shop/redact": Record<string, never>;
  "app/uninstalled": Record<string, never>;
  "app/scopes_update": { previous: string[]; current: string[]; updatedAt?: string };
}

export type WebhookTopic = keyof WebhookSubjects;

export interface WebhookPayloads {
  "checkouts/create": RestCheckout;
  "checkouts/update": RestCheckout;
  "orders/create": RestOrder;
  "orders/updated": RestOrder;
  "orders/edited": RestOrderEdit;
  "orders/paid": RestOrder;
  "orders/fulfilled": RestOrder;
  "fulfillments/create": RestFulfillment;
  "fulfillments/update": RestFulfillment;
  "fulfillment_events/create": RestFulfillmentEvent;
  "inventory_levels/update": RestInventoryLevel;
  "customers/update": RestCustomer;
  "customers/data_request": RestCustomersDataRequest;
  "customers/redact": RestCustomersRedact;
  "shop/redact": RestShopRedact;
  "app/uninstalled": RestShop;
  "app/scopes_update": RestAppScopesUpdate;
}

export const WEBHOOK_TOPICS: readonly WebhookTopic[] = [
  "checkouts/create",
  "checkouts/update",
  "orders/create",
  "orders/updated",
  "orders/edited",
  "orders/paid",
  "orders/fulfilled",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "inventory_levels/update",
  "customers/update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "app/uninstalled",
  "app/scopes_update",
];

/** Builds the payload for any topic from its subject. */
export function webhookPayload<T extends WebhookTopic>(
  store: SandboxStore,
  topic: T,
  subject: WebhookSubjects[T],
): WebhookPayloads[T] {
  const s = subject as Record<string, unknown>;
  const build: { [K in WebhookTopic]: () => WebhookPayloads[K] } = {
    "checkouts/create": () =>
      "checkoutId" in s
        ? storedCheckoutPayload(store, s.checkoutId as number)
        : checkoutPayload(store, s.orderId as number),
    "checkouts/update": () =>
      "checkoutId" in s
        ? storedCheckoutPayload(store, s.checkoutId as number)
        : checkoutPayload(store, s.orderId as number, { completed: s.completed === true }),
    "orders/create": () => ordersCreatePayload(store, s.orderId as number),
    "orders/updated": () => ordersUpdatedPayload(store, s.orderId as number),
    "orders/edited": () => ordersEditedPayload(store, s.editId as number),
    "orders/paid": () => ordersPaidPayload(store, s.orderId as number),
    "orders/fulfilled": () => ordersFulfilledPayload(store, s.orderId as number),
    "fulfillments/create": () => fulfillmentsCreatePayload(store, s.fulfillmentId as number),
    "fulfillments/update": () => fulfillmentsUpdatePayload(store, s.fulfillmentId as number),
    "fulfillment_events/create": () => fulfillmentEventsCreatePayload(store, s.eventId as number),
    "inventory_levels/update": () =>
      inventoryLevelsUpdatePayload(store, s.inventoryItemId as number, s.locationId as number),
    "customers/update": () => customersUpdatePayload(store, s.customerId as number),
    "customers/data_request": () =>
      customersDataRequestPayload(
        store,
        s.customerId as number,
        s.dataRequestId as number | undefined,
      ),
    "customers/redact": () => customersRedactPayload(store, s.customerId as number),
    "shop/redact": () => shopRedactPayload(store),
    "app/uninstalled": () => appUninstalledPayload(store),
    "app/scopes_update": () =>
      appScopesUpdatePayload(store, subject as WebhookSubjects["app/scopes_update"]),
  };
  return build[topic]() as WebhookPayloads[T];
}

/**
 * A representative subject per topic, for demos and smoke tests: the newest order, the newest
 * fully fulfilled order, the newest delayed parcel and its last event, a variant that is nearly
 * sold out, the biggest spender.
 */
export function sampleSubjects(store: SandboxStore): { [K in WebhookTopic]: WebhookSubjects[K] } {
  const newest = [...store.orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const latestOrder = newest[0]!;
  const paid = newest.find((order) => order.financialStatus === "paid") ?? latestOrder;
  const fulfilled = newest.find((order) => order.fulfillmentStatus === "fulfilled") ?? latestOrder;
  const troubled =
    [...store.fulfillments]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .find((f) => f.shipmentStatus === "delayed" || f.shipmentStatus === "failure") ??
    store.fulfillments[store.fulfillments.length - 1]!;
  const lastEvent = troubled.events[troubled.events.length - 1]!;
  const low = [...store.inventoryLevels]
    .filter((level) => level.locationId === store.shop.primaryLocationId)
    .sort((a, b) => a.quantities.available - b.quantities.available || a.id - b.id)[0]!;
  const bigSpender = [...store.customers].sort(
    (a, b) =>
      customerStats(store, b.id).totalSpentCents - customerStats(store, a.id).totalSpentCents ||
      a.id - b.id,
  )[0]!;
  return {
    "checkouts/create": { orderId: latestOrder.id },
    "checkouts/update": { orderId: latestOrder.id },
    "orders/create": { orderId: latestOrder.id },
    "orders/updated": { orderId: latestOrder.id },
    // The newest order edit: the store has one once a post-purchase offer was applied.
    "orders/edited": { editId: store.orderEdits?.at(-1)?.id ?? 0 },
    "orders/paid": { orderId: paid.id },
    "orders/fulfilled": { orderId: fulfilled.id },
    "fulfillments/create": { fulfillmentId: troubled.id },
    "fulfillments/update": { fulfillmentId: troubled.id },
    "fulfillment_events/create": { eventId: lastEvent.id },
    "inventory_levels/update": { inventoryItemId: low.inventoryItemId, locationId: low.locationId },
    "customers/update": { customerId: bigSpender.id },
    "customers/data_request": { customerId: bigSpender.id },
    "customers/redact": { customerId: bigSpender.id },
    "shop/redact": {},
    "app/uninstalled": {},
    "app/scopes_update": {
      previous: ["read_orders", "read_products"],
      current: ["read_orders", "read_products", "write_orders"],
    },
  };
}
