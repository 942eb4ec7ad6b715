/**
 * The Activity screen's query values, shared by its server module (which parses the URL) and
 * its tabs (which link to them). Pure: the browser bundle imports it.
 */

/** The tabs, in the order they are shown; `?view=` names one. */
export const VIEWS = ["runs", "deliveries", "webhooks"] as const;
export type ActivityView = (typeof VIEWS)[number];

/** What the Deliveries tab filters by (`?delivery=`). */
export const DELIVERY_STATUSES = ["queued", "waiting", "succeeded", "dead", "dropped"] as const;
