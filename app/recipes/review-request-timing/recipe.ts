import { storedReason } from "../reason-copy";
import { klaviyoEvent, profileOf } from "../actions";
import { defineRecipe, type RecipeResult } from "../engine/define-recipe";
import { DAY_MS, deliveredIn, holdBack, orderSubject } from "../shared";
import { configSchema } from "./config";
import { noEmailReason } from "../protected-data";

export const RECIPE_ID = "review-request-timing";
const FOLLOW_UP = "review-request";

export const reviewRequestTiming = defineRecipe({
  id: RECIPE_ID,
  title: "Review request timing",
  summary:
    "Asks for a review a set number of days after delivery, and holds back while a ticket or refund is open.",
  fr: {
    title: "Demande d’avis au bon moment",
    summary:
      "Demande un avis un nombre de jours défini après la livraison, et attend tant qu’un ticket ou un remboursement est ouvert.",
  },
  requires: ["klaviyo"],
  triggers: [{ type: "webhook", topics: ["fulfillment_events/create", "fulfillments/update"] }],
  configSchema,
  describe(config, locale = "en") {
    if (locale === "fr")
      return `${config.daysAfterDelivery} jours après la livraison, envoie « ${config.metric} » à Klaviyo, sauf si un ticket ou un remboursement est ouvert (attend alors jusqu’à ${config.holdDays} jours de plus) ou si la limite marketing est atteinte.`;
    return `${config.daysAfterDelivery} days after delivery, sends “${config.metric}” to Klaviyo, unless a ticket or refund is open (then waits up to ${config.holdDays} more days) or the marketing cap is used.`;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type === "follow-up" && event.name === FOLLOW_UP) {
      const order = await ctx.order(String(event.data.orderId));
      if (!order) return { skip: storedReason("orderGone") };
      const subject = orderSubject(order);
      if (order.cancelledAt) return { subject, skip: storedReason("orderCancelled") };
      if (order.financialStatus === "refunded")
        return { subject, skip: storedReason("orderRefunded") };
      const customer = order.customerId ? await ctx.customer(order.customerId) : undefined;
      if (!order.email)
        return { subject, skip: noEmailReason(customer, storedReason("orderNoEmail")) };
      const ref = { id: order.customerId, email: order.email };
      const verdict = await ctx.guard(ref, "marketing");
      if (!verdict.ok) return { subject, ...holdBack(event, ctx, config.holdDays, verdict.reason) };
      return {
        subject,
        actions: [
          klaviyoEvent(
            {
              source: `order/${order.id}/review`,
              channel: "marketing",
              customer: ref,
              summary: `Klaviyo “${config.metric}” for ${order.name}`,
            },
            {
              metric: config.metric,
              profile: profileOf({ ...customer, email: order.email, id: order.customerId }),
              properties: {
                OrderName: order.name,
                OrderId: order.id,
                Products: order.lineItems.map((l) => l.title),
                ProductIds: order.lineItems.map((l) => l.productId),
              },
            },
          ),
        ],
        state: [
          {
            subject: `order:${order.id}`,
            customerId: order.customerId,
            value: { sentAt: ctx.now.toISOString() },
          },
        ],
      };
    }
    const delivered = deliveredIn(event);
    if (!delivered) return null;
    const order = await ctx.order(delivered.orderId);
    if (!order)
      return {
        subject: { label: `Order ${delivered.orderId}`, orderId: delivered.orderId },
        skip: storedReason("orderMissing"),
      };
    const subject = orderSubject(order);
    const memory = await ctx.state.get(`order:${order.id}`);
    if (memory)
      return {
        subject,
        skip: memory.sentAt
          ? storedReason("reviewSent")
          : storedReason("alreadyScheduled", { date: ctx.time.date(String(memory.scheduledFor)) }),
      };
    const deliveredAt = delivered.at ?? ctx.now;
    const at = new Date(
      Math.max(deliveredAt.getTime() + config.daysAfterDelivery * DAY_MS, ctx.now.getTime()),
    );
    return {
      subject,
      notes: [
        storedReason("deliveredAsks", {
          date: ctx.time.date(deliveredAt),
          later: ctx.time.date(at),
        }),
      ],
      followUps: [
        {
          name: FOLLOW_UP,
          subject: `order/${order.id}`,
          at,
          data: { orderId: order.id, firstDueAt: at.toISOString() },
        },
      ],
      state: [
        {
          subject: `order:${order.id}`,
          customerId: order.customerId,
          value: { scheduledFor: at.toISOString() },
        },
      ],
    };
  },
  signal: {
    count: (sql, { shop, daysAgo }) =>
      sql`select count(*) from fulfillments where shop = ${shop} and delivered_at >= ${daysAgo(30)}`,
    text: {
      en: {
        text_one: "{count} parcel was delivered in the last 30 days.",
        text_other: "{count} parcels were delivered in the last 30 days.",
      },
      fr: {
        text_one: "{count} colis a été livré ces 30 derniers jours.",
        text_other: "{count} colis ont été livrés ces 30 derniers jours.",
      },
    },
  },
});
