/**
 * Shopify's protected customer data, as an app without approved level 2 access sees it: orders
 * and customers still arrive, but name, email, phone and address are withheld. Webhook payloads
 * carry those keys as null; Admin GraphQL resolves the fields to null and adds one
 * `ACCESS_DENIED` error per field (https://shopify.dev/docs/apps/launch/protected-customer-data).
 * The sandbox's knob for practising the app without that access (`npm run demo -- --no-protected-data`).
 */

/** Webhook keys Shopify withholds, per object they appear on. */
const ORDER_FIELDS = ["email", "contact_email", "phone", "billing_address", "shipping_address"];
const CUSTOMER_FIELDS = ["email", "first_name", "last_name", "phone", "default_address"];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function nulled(object: Json, fields: readonly string[]): Json {
  const copy = { ...object };
  for (const field of fields) if (field in copy) copy[field] = null;
  return copy;
}

/**
 * A webhook payload as Shopify sends it to an app without protected customer data access: the
 * order's (or checkout's) and its customer's contact fields and addresses null, the customer still there (id,
 * tags, dates). Compliance topics are unchanged: Shopify always sends those.
 */
export function withholdProtectedCustomerData<T>(topic: string, payload: T): T {
  if (!isObject(payload)) return payload;
  if (topic.startsWith("orders/") || topic.startsWith("checkouts/")) {
    const order = nulled(payload, ORDER_FIELDS);
    if (isObject(order.customer)) order.customer = nulled(order.customer, CUSTOMER_FIELDS);
    return order as T;
  }
  if (topic === "customers/update") {
    const customer = nulled(payload, CUSTOMER_FIELDS);
    if (Array.isArray(customer.addresses)) customer.addresses = [];
    return customer as T;
  }
  return payload;
}

/** Admin GraphQL fields (`Type.field`) withheld without access: null, with an access error. */
export const PROTECTED_GRAPHQL_FIELDS: ReadonlySet<string> = new Set([
  "Customer.email",
  "Customer.firstName",
  "Customer.lastName",
  "Customer.phone",
  "Customer.defaultAddress",
  "Customer.defaultEmailAddress",
  "Customer.defaultPhoneNumber",
  "Order.email",
  "Order.phone",
  "Order.billingAddress",
  "Order.shippingAddress",
]);

/** Shopify's wording for a withheld field. */
export function protectedFieldMessage(typeName: string, fieldName: string): string {
  return `This app is not approved to use the ${fieldName} field on ${typeName}. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.`;
}
