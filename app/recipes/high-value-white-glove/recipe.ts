import { storedReason } from "../reason-copy";
import { gorgiasTicket, shopifyTagsAdd } from "../actions";
import { defineRecipe, type RecipeAction, type RecipeResult } from "../engine/define-recipe";
import { formatMoney, orderSubject } from "../shared";
import { configSchema, HIGH_VALUE_DEFAULT } from "./config";
import { noEmailReason } from "../protected-data";

export const RECIPE_ID = "high-value-white-glove";

export const highValueWhiteGlove = defineRecipe({
  id: RECIPE_ID,
  title: "High-value white glove",
  summary:
    "Tags big orders in Shopify and opens a Gorgias ticket so someone follows up personally.",
  fr: {
    title: "Service premium pour les grosses commandes",
    summary:
      "Ajoute une balise aux grosses commandes dans Shopify et ouvre un ticket Gorgias pour qu’un membre de l’équipe assure un suivi personnalisé.",
  },
  requires: [],
  triggers: [{ type: "webhook", topics: ["orders/create"] }],
  configSchema,
  describe(config, locale = "en", money = String) {
    if (locale === "fr")
      return `Les commandes de ${money(config.threshold)} ou plus reçoivent la balise « ${config.orderTag} »${config.tagCustomer ? " (leur client aussi)" : ""}${config.openTicket ? " et un ticket Gorgias pour un suivi personnalisé" : ""}.`;
    return `Orders of ${money(config.threshold)} or more get the “${config.orderTag}” tag${config.tagCustomer ? " (and their customer too)" : ""}${config.openTicket ? " and a Gorgias ticket for a personal follow-up" : ""}.`;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type !== "webhook" || event.topic !== "orders/create") return null;
    const order = await ctx.order(event.data.id);
    if (!order)
      return {
        subject: { label: `Order ${event.data.name}`, orderId: event.data.id },
        skip: storedReason("orderMissing"),
      };
    const subject = orderSubject(order);
    // total_price is in the shop's currency; what the buyer paid is the presentment amount.
    const shopTotal = formatMoney(order.totalPrice, order.currency);
    const paid =
      order.presentmentCurrency &&
      order.presentmentCurrency !== order.currency &&
      order.presentmentTotalPrice !== null
        ? `${formatMoney(order.presentmentTotalPrice, order.presentmentCurrency)} (${shopTotal})`
        : shopTotal;
    if (order.totalPrice < config.threshold)
      return {
        subject,
        skip: storedReason("belowThreshold", {
          total: shopTotal,
          threshold: formatMoney(config.threshold, order.currency),
        }),
      };
    const ref = { id: order.customerId, email: order.email };
    const source = `order/${order.id}`;
    const actions: RecipeAction[] = [
      shopifyTagsAdd(
        {
          source,
          channel: "sync",
          customer: ref,
          summary: `Tag order ${order.name} “${config.orderTag}” in Shopify`,
        },
        { resource: "Order", id: order.id, tags: [config.orderTag] },
      ),
    ];
    if (config.tagCustomer && order.customerId) {
      actions.push(
        shopifyTagsAdd(
          {
            source,
            discriminator: "customer",
            channel: "sync",
            customer: ref,
            summary: `Tag customer ${order.customerId} “${config.orderTag}” in Shopify`,
          },
          { resource: "Customer", id: order.customerId, tags: [config.orderTag] },
        ),
      );
    }
    const notes: string[] = [storedReason("paid", { amount: paid })];
    if (config.openTicket) {
      const customer = order.customerId ? await ctx.customer(order.customerId) : undefined;
      if (!order.email)
        notes.push(
          storedReason("noTicket", {
            reason: noEmailReason(customer, storedReason("orderNoEmail")),
          }),
        );
      else {
        const name = [customer?.firstName, customer?.lastName].filter(Boolean).join(" ");
        const lines = order.lineItems.map((l) => `- ${l.quantity} × ${l.title}`).join("\n");
        actions.push(
          gorgiasTicket(
            {
              source,
              channel: "service",
              customer: ref,
              summary: `Gorgias ticket: white-glove follow-up for ${order.name}`,
            },
            {
              customer: { email: order.email, ...(name ? { name } : {}) },
              subject: `White-glove follow-up: order ${order.name} (${paid})`,
              bodyText: [
                `${name || "A customer"} just placed order ${order.name} for ${paid}.`,
                customer
                  ? `They have ordered ${customer.orderCount} time${customer.orderCount === 1 ? "" : "s"} for ${formatMoney(customer.lifetimeSpend, order.currency)} in total.`
                  : "A guest checkout.",
                lines,
                "Switchboard opened this ticket for a personal thank-you and to make sure everything arrives perfectly.",
              ].join("\n"),
              tags: config.ticketTags,
            },
          ),
        );
      }
    }
    return { subject, notes, actions };
  },
  signal: {
    count: (sql, { shop, daysAgo }) =>
      sql`select count(*) from orders where shop = ${shop} and created_at >= ${daysAgo(30)} and total_price >= ${HIGH_VALUE_DEFAULT}`,
    // The recipe's default threshold: the signal is read before the merchant has set one.
    amount: HIGH_VALUE_DEFAULT,
    text: {
      en: {
        text_one: "{count} order of {amount} or more in the last 30 days.",
        text_other: "{count} orders of {amount} or more in the last 30 days.",
      },
      fr: {
        text_one: "{count} commande de {amount} ou plus ces 30 derniers jours.",
        text_other: "{count} commandes de {amount} ou plus ces 30 derniers jours.",
      },
    },
  },
});
