import { carrierStatusWords, storedReason } from "../reason-copy";
import { gorgiasTag, gorgiasTicket, klaviyoEvent, profileOf } from "../actions";
import type { FulfillmentView, OrderView, RecipeContext } from "../engine/context";
import { defineRecipe, type RecipeAction, type RecipeResult } from "../engine/define-recipe";
import { HOUR_MS, orderSubject } from "../shared";
import { configSchema, type ShippingDelayConfig } from "./config";
import type { ShopifyId } from "../../utils/shopify-id";
import { noEmailReason } from "../protected-data";

export const RECIPE_ID = "shipping-delay-outreach";

const STATUS_WORDS: Record<string, string> = {
  delayed: "is delayed",
  failure: "could not be delivered",
  attempted_delivery: "had a failed delivery attempt",
  unshipped: "has not shipped yet",
};

interface Delay {
  order: OrderView;
  fulfillment: FulfillmentView | null;
  status: string;
  message: string | null;
  estimate: Date | null;
  /** Idempotency source: once per fulfillment (or per order when nothing shipped). */
  source: string;
}

async function outreach(
  delay: Delay,
  ctx: RecipeContext,
  config: ShippingDelayConfig,
): Promise<RecipeResult> {
  const { order, fulfillment } = delay;
  const subject = orderSubject(order);
  const memory = delay.source.replace("/", ":");
  const done = await ctx.state.get(memory);
  if (done)
    return {
      subject,
      skip: storedReason(fulfillment ? "contactedShipment" : "contactedOrder", {
        date: ctx.time.date(String(done.at)),
      }),
    };
  const customer = order.customerId ? await ctx.customer(order.customerId) : undefined;
  if (!order.email) return { subject, skip: noEmailReason(customer, storedReason("orderNoEmail")) };
  const ref = { id: order.customerId, email: order.email };
  const tracking = fulfillment
    ? {
        Carrier: fulfillment.trackingCompany,
        TrackingNumber: fulfillment.trackingNumbers[0] ?? null,
        TrackingUrl: fulfillment.trackingUrls[0] ?? null,
      }
    : { Carrier: null, TrackingNumber: null, TrackingUrl: null };
  const what =
    (Object.hasOwn(STATUS_WORDS, delay.status) ? STATUS_WORDS[delay.status] : undefined) ??
    `reports “${delay.status}”`;
  const actions: RecipeAction[] = [
    klaviyoEvent(
      {
        source: delay.source,
        channel: "service",
        customer: ref,
        summary: `Klaviyo “${config.metric}” for ${order.name} (${delay.status})`,
      },
      {
        metric: config.metric,
        profile: profileOf({ ...customer, email: order.email, id: order.customerId }),
        properties: {
          OrderName: order.name,
          OrderId: order.id,
          Status: delay.status,
          Message: delay.message,
          ...tracking,
          NewEstimate: delay.estimate ? delay.estimate.toISOString() : null,
        },
        value: order.totalPrice,
        valueCurrency: order.currency,
      },
    ),
  ];
  if (config.openTicket) {
    const gorgiasCustomer = {
      email: order.email,
      ...(customer && (customer.firstName || customer.lastName)
        ? { name: [customer.firstName, customer.lastName].filter(Boolean).join(" ") }
        : {}),
    };
    if (await ctx.hasOpenTicket(order.email)) {
      actions.push(
        gorgiasTag(
          {
            source: delay.source,
            channel: "service",
            customer: ref,
            summary: `Tag the customer's open Gorgias ticket (${order.name} ${delay.status})`,
          },
          {
            customer: gorgiasCustomer,
            tags: config.ticketTags.length ? config.ticketTags : ["proactive-wismo"],
          },
        ),
      );
    } else {
      const lines = [
        `Order ${order.name} ${what}.`,
        delay.message ? `Carrier note: ${delay.message}` : null,
        tracking.Carrier || tracking.TrackingNumber
          ? `Tracking: ${[tracking.Carrier, tracking.TrackingNumber].filter(Boolean).join(" ")}${tracking.TrackingUrl ? ` (${tracking.TrackingUrl})` : ""}`
          : null,
        delay.estimate ? `New estimate: ${ctx.time.date(delay.estimate)}.` : null,
        "Switchboard opened this ticket so you can reach out before the customer has to ask where their order is.",
      ].filter(Boolean);
      actions.push(
        gorgiasTicket(
          {
            source: delay.source,
            channel: "service",
            customer: ref,
            summary: `Gorgias ticket: ${order.name} ${what}`,
          },
          {
            customer: gorgiasCustomer,
            subject: `Order ${order.name} ${what}`,
            bodyText: lines.join("\n"),
            tags: config.ticketTags,
          },
        ),
      );
    }
  }
  return {
    subject,
    actions,
    state: [
      {
        subject: memory,
        customerId: order.customerId,
        value: { at: ctx.now.toISOString(), status: delay.status },
      },
    ],
  };
}

export const shippingDelayOutreach = defineRecipe({
  id: RECIPE_ID,
  title: "Shipping delay outreach",
  summary:
    "When a parcel is late, tells the customer through Klaviyo and opens a Gorgias ticket before they ask “where is my order?”.",
  fr: {
    title: "Prévenir les retards d’expédition",
    summary:
      "Quand un colis est en retard, prévient le client via Klaviyo et ouvre un ticket Gorgias avant qu’il ne demande « où est ma commande ? ».",
  },
  requires: ["klaviyo", "gorgias"],
  triggers: [
    {
      type: "webhook",
      topics: ["fulfillment_events/create", "fulfillments/update"],
      actsFor: "whose parcels were late",
    },
    { type: "webhook", topics: ["orders/paid"], actsFor: "whose paid orders had not shipped" },
  ],
  configSchema,
  describe(config, locale = "en") {
    if (locale === "fr") {
      const statuses = config.statuses
        .map(
          (s) =>
            ({
              delayed: "en retard",
              failure: "non livré",
              attempted_delivery: "en tentative de livraison",
            })[s],
        )
        .join(", ");
      const unshipped =
        config.unshippedAfterHours > 0
          ? ` ou non expédié ${config.unshippedAfterHours} h après le paiement`
          : "";
      return `Quand un colis est ${statuses}${unshipped} : envoie « ${config.metric} » à Klaviyo${config.openTicket ? " et ouvre un ticket Gorgias" : ""}, une fois par expédition.`;
    }
    const statuses = config.statuses
      .map((s) => ({ delayed: "delayed", failure: "failed", attempted_delivery: "attempted" })[s])
      .join(", ");
    const unshipped =
      config.unshippedAfterHours > 0
        ? ` or not shipped ${config.unshippedAfterHours} h after payment`
        : "";
    return `When a parcel is ${statuses}${unshipped}: sends “${config.metric}” to Klaviyo${config.openTicket ? " and opens a Gorgias ticket" : ""}, once per shipment.`;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type === "follow-up" && event.name === "unshipped-check") {
      const order = await ctx.order(String(event.data.orderId));
      if (!order) return { skip: storedReason("orderGone") };
      const subject = orderSubject(order);
      if (order.cancelledAt) return { subject, skip: storedReason("orderCancelled") };
      const fulfillments = await ctx.fulfillmentsOfOrder(order.id);
      if (order.fulfillmentStatus === "fulfilled" || fulfillments.length > 0)
        return { subject, skip: storedReason("orderShipped") };
      return outreach(
        {
          order,
          fulfillment: null,
          status: "unshipped",
          message: `Not shipped ${config.unshippedAfterHours} hours after payment`,
          estimate: null,
          source: `order/${order.id}/unshipped`,
        },
        ctx,
        config,
      );
    }
    if (event.type !== "webhook") return null;
    if (event.topic === "orders/paid") {
      const order = await ctx.order(event.data.id);
      if (!order) return null;
      const subject = orderSubject(order);
      if (config.unshippedAfterHours === 0)
        return { subject, skip: storedReason("notShippedCheckOff") };
      if (order.fulfillmentStatus === "fulfilled")
        return { subject, skip: storedReason("orderAlreadyShipped") };
      const at = new Date(ctx.now.getTime() + config.unshippedAfterHours * HOUR_MS);
      return {
        subject,
        followUps: [
          {
            name: "unshipped-check",
            subject: `order/${order.id}`,
            at,
            data: { orderId: order.id },
          },
        ],
        notes: [storedReason("checksShipped", { date: ctx.time.dateTime(at) })],
      };
    }
    let fulfillmentId: ShopifyId;
    let status: string | null | undefined;
    let message: string | null = null;
    let estimate: Date | null = null;
    if (event.topic === "fulfillment_events/create") {
      fulfillmentId = event.data.fulfillment_id;
      status = event.data.status.toLowerCase();
      message = event.data.message ?? null;
      estimate = event.data.estimated_delivery_at ?? null;
    } else if (event.topic === "fulfillments/update") {
      fulfillmentId = event.data.id;
      status = event.data.shipment_status;
      estimate = event.data.estimated_delivery_at ?? null;
    } else return null;
    const orderId = event.data.order_id;
    const order = await ctx.order(orderId);
    if (!order)
      return {
        subject: { label: `Order ${orderId}`, orderId },
        skip: storedReason("orderMissingYet"),
      };
    if (!status || !(config.statuses as string[]).includes(status))
      return {
        subject: orderSubject(order),
        skip: storedReason("carrierStatus", { status: carrierStatusWords(status ?? null) }),
      };
    const fulfillment = (await ctx.fulfillment(fulfillmentId)) ?? null;
    return outreach(
      {
        order,
        fulfillment,
        status,
        message,
        estimate: estimate ?? fulfillment?.estimatedDeliveryAt ?? null,
        source: `fulfillment/${fulfillmentId}`,
      },
      ctx,
      config,
    );
  },
  signal: {
    count: (
      sql,
      { shop, daysAgo },
    ) => sql`select count(distinct fulfillment_id) from fulfillment_events
      where shop = ${shop} and happened_at >= ${daysAgo(30)} and status in ('delayed', 'failure', 'attempted_delivery')`,
    text: {
      en: {
        text_one: "{count} parcel was late or failed in the last 30 days.",
        text_other: "{count} parcels were late or failed in the last 30 days.",
      },
      fr: {
        text_one: "{count} colis en retard ou non livré ces 30 derniers jours.",
        text_other: "{count} colis en retard ou non livrés ces 30 derniers jours.",
      },
    },
  },
});
