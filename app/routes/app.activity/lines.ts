import { deliveryLine, type LineDelivery } from "../../models/activity-lines";
import { vendorName } from "../../utils/vendor-names";

/**
 * The Webhooks tab's and the failed-jobs panel's sentences (runs and deliveries have theirs in
 * app/models/activity-lines.ts). Topics and task names stay in the technical details.
 */

const TOPICS: Record<string, string> = {
  "orders/create": "New order",
  "orders/updated": "Order updated",
  "orders/edited": "Order edited",
  "orders/paid": "Order paid",
  "orders/fulfilled": "Order fulfilled",
  "fulfillments/create": "Shipment created",
  "fulfillments/update": "Shipment updated",
  "fulfillment_events/create": "Parcel scan",
  "inventory_levels/update": "Stock level changed",
  "checkouts/create": "Checkout started",
  "checkouts/update": "Checkout updated",
  "customers/update": "Customer updated",
  "customers/data_request": "Customer data request",
  "customers/redact": "Customer erasure request",
  "shop/redact": "Store data erasure request",
  "app/uninstalled": "App uninstalled",
  "app/scopes_update": "App permissions changed",
  "app_subscriptions/update": "Plan changed",
  "bulk_operations/finish": "History import finished",
};

/** "New order #1042", "Parcel scan": what Shopify told the app, without its ids. */
export function webhookLine(event: { topic: string; resourceName: string | null }): string {
  const what = TOPICS[event.topic] ?? `Update from Shopify (${event.topic})`;
  return event.resourceName ? `${what} ${event.resourceName}` : what;
}

const TASKS: Record<string, string> = {
  "process-webhook": "Reading an update from Shopify",
  "run-recipes": "Running recipes on an event",
  "sync-inventory-item": "Checking a product's stock",
  "confirm-upsell-charge": "Confirming a post-purchase offer's charge",
  "import-gorgias-tickets": "Importing Gorgias tickets",
  "import-shopify-history": "Importing your order history",
  "sync-shop-details": "Reading your store's details",
  "reconcile-segments": "Syncing Klaviyo lists",
  "bill-upsell-fee": "Billing the upsell fee",
  "compute-gap-report": "Computing the gap report",
};

interface DeadLetterRow {
  task: string;
  error: string;
  errorKind: "terminal" | "exhausted";
  attempts: number;
  delivery: {
    vendor: string | null;
    operation: string | null;
    recipe: string | null;
    lastError: string | null;
    list: string | null;
    metric: string | null;
    tags: string[] | null;
    resource: string | null;
    customerName: string | null;
  } | null;
}

/** What failed ("Couldn't add Lena Park to the Klaviyo list VIP") and why, in plain words. */
export function deadLetterLine(letter: DeadLetterRow): { what: string; why: string } {
  const d = letter.delivery;
  const what =
    d?.operation && d.recipe && d.vendor
      ? deliveryLine(
          d.recipe,
          d.operation,
          {
            ...d,
            vendor: d.vendor,
            status: "dead",
            lastError: d.lastError,
          } satisfies LineDelivery,
          {},
        )
      : `${TASKS[letter.task] ?? "A background job"} did not finish`;
  const who = d?.vendor ? vendorName(d.vendor) : null;
  const why =
    letter.errorKind === "terminal"
      ? `${who ? `${who} refused it` : "It cannot be done as it is"}: ${letter.error}`
      : `${who ? `${who} kept failing` : "It kept failing"}, so it stopped after ${letter.attempts} tries: ${letter.error}`;
  return { what, why };
}
