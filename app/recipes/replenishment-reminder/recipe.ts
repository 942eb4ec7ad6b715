import { storedReason } from "../reason-copy";
import { klaviyoEvent, profileOf } from "../actions";
import { defineRecipe, type FollowUp, type RecipeResult } from "../engine/define-recipe";
import { DAY_MS, deliveredIn, holdBack, orderSubject } from "../shared";
import { configSchema, type ReplenishmentConfig } from "./config";
import { noEmailReason } from "../protected-data";

export const RECIPE_ID = "replenishment-reminder";
const FOLLOW_UP = "replenish";

function dueDates(
  order: { lineItems: { sku: string | null; quantity: number; title: string }[] },
  deliveredAt: Date,
  config: ReplenishmentConfig,
) {
  const bySku = new Map(config.items.map((i) => [i.sku.toLowerCase(), i]));
  const due: { sku: string; days: number; at: Date; title: string }[] = [];
  for (const line of order.lineItems) {
    const item = line.sku ? bySku.get(line.sku.toLowerCase()) : undefined;
    if (!item || due.some((d) => d.sku === item.sku)) continue;
    const days = item.days * (config.scaleByQuantity ? Math.max(1, line.quantity) : 1);
    due.push({
      sku: item.sku,
      days,
      at: new Date(deliveredAt.getTime() + days * DAY_MS),
      title: line.title,
    });
  }
  return due;
}

export const replenishmentReminder = defineRecipe({
  id: RECIPE_ID,
  title: "Replenishment reminder",
  summary:
    "Reminds customers to reorder when a consumable should be running out, unless they already have.",
  fr: {
    title: "Rappel de réapprovisionnement",
    summary:
      "Rappelle aux clients de commander à nouveau quand un consommable devrait être épuisé, sauf s’ils l’ont déjà fait.",
  },
  requires: ["klaviyo"],
  triggers: [{ type: "webhook", topics: ["fulfillment_events/create", "fulfillments/update"] }],
  configSchema,
  describe(config, locale = "en") {
    if (locale === "fr") {
      if (config.items.length === 0)
        return "Ajoutez les SKU que vous vendez et le nombre de jours que dure chacun.";
      return `Envoie « ${config.metric} » quand ${config.items.length} SKU devrai${config.items.length === 1 ? "t" : "ent"} être épuisé${config.items.length === 1 ? "" : "s"} (jours après la livraison${config.scaleByQuantity ? ", × quantité" : ""}), sauf si le client a déjà recommandé.`;
    }
    if (config.items.length === 0) return "Add the SKUs you sell and how many days each lasts.";
    return `Sends “${config.metric}” when ${config.items.length} SKU${config.items.length === 1 ? "" : "s"} should be running out (days after delivery${config.scaleByQuantity ? ", × quantity" : ""}), unless the customer has reordered.`;
  },
  async validate(config, catalog) {
    const found = await catalog.existingSkus(config.items.map((i) => i.sku));
    const errors: Record<string, string> = {};
    config.items.forEach((item, i) => {
      if (!found.has(item.sku))
        errors[`items.${i}.sku`] = `No variant with SKU ${item.sku} in your store`;
    });
    return errors;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type === "follow-up" && event.name === FOLLOW_UP) {
      const order = await ctx.order(String(event.data.orderId));
      const sku = String(event.data.sku);
      if (!order) return { skip: storedReason("orderGone") };
      const subject = orderSubject(order);
      if (order.cancelledAt) return { subject, skip: storedReason("orderCancelled") };
      const customer = order.customerId ? await ctx.customer(order.customerId) : undefined;
      if (!order.email)
        return { subject, skip: noEmailReason(customer, storedReason("orderNoEmail")) };
      if (order.customerId) {
        const since = await ctx.ordersOfCustomer(order.customerId, { since: order.createdAt });
        const reorder = since.find(
          (o) =>
            o.id !== order.id &&
            !o.cancelledAt &&
            o.lineItems.some((l) => l.sku?.toLowerCase() === sku.toLowerCase()),
        );
        if (reorder)
          return {
            subject,
            skip: storedReason("reordered", {
              sku,
              order: reorder.name,
              date: ctx.time.date(reorder.createdAt),
            }),
          };
      }
      const ref = { id: order.customerId, email: order.email };
      const verdict = await ctx.guard(ref, "marketing");
      if (!verdict.ok) return { subject, ...holdBack(event, ctx, config.holdDays, verdict.reason) };
      const line = order.lineItems.find((l) => l.sku?.toLowerCase() === sku.toLowerCase());
      return {
        subject,
        actions: [
          klaviyoEvent(
            {
              source: `order/${order.id}/replenish/${sku}`,
              channel: "marketing",
              customer: ref,
              summary: `Klaviyo “${config.metric}” for ${sku} (${order.name})`,
            },
            {
              metric: config.metric,
              profile: profileOf({ ...customer, email: order.email, id: order.customerId }),
              properties: {
                Sku: sku,
                ProductTitle: line?.title ?? null,
                VariantId: line?.variantId ?? null,
                OrderName: order.name,
                DaysSupply: Number(event.data.days ?? 0),
              },
            },
          ),
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
    if (config.items.length === 0) return { subject, skip: storedReason("noSkus") };
    const memory = `order:${order.id}`;
    if (await ctx.state.get(memory)) return { subject, skip: storedReason("remindersScheduled") };
    const due = dueDates(order, delivered.at ?? ctx.now, config);
    if (due.length === 0) return { subject, skip: storedReason("noConsumptionTime") };
    const followUps: FollowUp[] = due.map((d) => {
      const at = new Date(Math.max(d.at.getTime(), ctx.now.getTime()));
      return {
        name: FOLLOW_UP,
        subject: `order/${order.id}/${d.sku}`,
        at,
        data: { orderId: order.id, sku: d.sku, days: d.days, firstDueAt: at.toISOString() },
      };
    });
    return {
      subject,
      notes: due.map((d) =>
        storedReason("reminderOn", { sku: d.sku, date: ctx.time.date(d.at), days: String(d.days) }),
      ),
      followUps,
      state: [
        {
          subject: memory,
          customerId: order.customerId,
          value: { scheduled: due.map((d) => d.sku) },
        },
      ],
    };
  },
  signal: {
    count: (sql, { shop, daysAgo }) =>
      sql`select count(*) from fulfillments where shop = ${shop} and delivered_at >= ${daysAgo(30)}`,
    text: {
      en: {
        text_one: "{count} delivery in the last 30 days could start a reminder.",
        text_other: "{count} deliveries in the last 30 days could start a reminder.",
      },
      fr: {
        text_one: "{count} livraison de ces 30 derniers jours pourrait lancer un rappel.",
        text_other: "{count} livraisons de ces 30 derniers jours pourraient lancer un rappel.",
      },
    },
  },
});
