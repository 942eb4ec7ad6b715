import { storedReason } from "../reason-copy";
import { klaviyoListAdd, klaviyoListRemove, klaviyoProfile, profileOf } from "../actions";
import type { CustomerView } from "../engine/context";
import { defineRecipe, type RecipeResult } from "../engine/define-recipe";
import { epoch, formatMoney } from "../shared";
import { configSchema, type VipConfig } from "./config";
import { noEmailReason } from "../protected-data";

export const RECIPE_ID = "vip-tier-sync";

export function qualifies(
  customer: Pick<CustomerView, "lifetimeSpend" | "orderCount">,
  config: VipConfig,
): boolean {
  return (
    (config.minLifetimeSpend > 0 && customer.lifetimeSpend >= config.minLifetimeSpend) ||
    (config.minOrders > 0 && customer.orderCount >= config.minOrders)
  );
}

export const vipTierSync = defineRecipe({
  id: RECIPE_ID,
  title: "VIP tier sync",
  summary:
    "Keeps a Klaviyo VIP list and profile property in step with lifetime spend and order count, refunds included.",
  fr: {
    title: "Synchronisation des VIP",
    summary:
      "Tient une liste VIP et une propriété de profil Klaviyo à jour selon le total dépensé et le nombre de commandes, remboursements compris.",
  },
  requires: ["klaviyo"],
  triggers: [{ type: "webhook", topics: ["orders/create", "orders/updated"] }],
  configSchema,
  describe(config, locale = "en", money = String) {
    if (locale === "fr") {
      const when = [
        config.minLifetimeSpend > 0
          ? `son total dépensé atteint ${money(config.minLifetimeSpend)}`
          : null,
        config.minOrders > 0 ? `il a passé ${config.minOrders} commandes` : null,
      ]
        .filter(Boolean)
        .join(" ou ");
      return `Ajoute le client à « ${config.listName} » (et marque son profil Klaviyo « ${config.profileProperty} ») dès que ${when} ; l’en retire quand des remboursements le font repasser en dessous.`;
    }
    const when = [
      config.minLifetimeSpend > 0
        ? `their lifetime spend reaches ${money(config.minLifetimeSpend)}`
        : null,
      config.minOrders > 0 ? `they have placed ${config.minOrders} orders` : null,
    ]
      .filter(Boolean)
      .join(" or ");
    return `Adds customers to “${config.listName}” (and marks their Klaviyo profile “${config.profileProperty}”) once ${when}; takes them off when refunds bring them below.`;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (
      event.type !== "webhook" ||
      (event.topic !== "orders/create" && event.topic !== "orders/updated")
    )
      return null;
    const order = event.data;
    if (!order.customer)
      return {
        subject: { label: `Order ${order.name}`, orderId: order.id },
        skip: storedReason("guestOrder"),
      };
    const customer = await ctx.customer(order.customer.id);
    const subject = {
      label: `Customer ${order.customer.id}`,
      orderId: order.id,
      customerId: order.customer.id,
    };
    if (!customer) return { subject, skip: storedReason("customerMissing") };
    const isVip = qualifies(customer, config);
    const memory = `customer:${customer.id}`;
    const wasVip = (await ctx.state.get(memory))?.vip === true;
    const standing = storedReason("standing", {
      amount: formatMoney(customer.lifetimeSpend, order.currency),
      count: customer.orderCount,
    });
    if (isVip === wasVip)
      return { subject, skip: storedReason(isVip ? "alreadyVip" : "notVipYet", { standing }) };
    if (!customer.email)
      return {
        subject,
        skip: noEmailReason(customer, storedReason("customerNoKlaviyoEmail")),
      };
    const ref = { id: customer.id, email: customer.email };
    const source = `customer/${customer.id}/vip/${isVip ? "join" : "leave"}/${order.id}-${epoch(order.updated_at)}`;
    const properties = {
      [config.profileProperty]: isVip,
      switchboard_lifetime_spend: customer.lifetimeSpend,
      switchboard_order_count: customer.orderCount,
    };
    const state = [
      {
        subject: memory,
        customerId: customer.id,
        value: { vip: isVip, since: ctx.now.toISOString() },
      },
    ];
    if (isVip) {
      return {
        subject,
        notes: [storedReason("qualifies", { standing })],
        state,
        actions: [
          klaviyoListAdd(
            {
              source,
              channel: "sync",
              customer: ref,
              summary: `Add customer ${customer.id} to Klaviyo list “${config.listName}”`,
            },
            { list: config.listName, profile: { ...profileOf(customer), properties } },
          ),
        ],
      };
    }
    return {
      subject,
      notes: [storedReason("noLongerQualifies", { standing })],
      state,
      actions: [
        klaviyoListRemove(
          {
            source,
            channel: "sync",
            customer: ref,
            summary: `Remove customer ${customer.id} from Klaviyo list “${config.listName}”`,
          },
          { list: config.listName, profile: { email: customer.email } },
        ),
        klaviyoProfile(
          {
            source,
            channel: "sync",
            customer: ref,
            summary: `Set ${config.profileProperty} = false on customer ${customer.id}`,
          },
          { profile: { ...profileOf(customer), properties } },
        ),
      ],
    };
  },
  // The list in bulk; `run` above moves single customers as their orders come in.
  segments: (config) => [
    {
      list: config.listName,
      rule: {
        type: "customers",
        minLifetimeSpend: config.minLifetimeSpend,
        minOrders: config.minOrders,
      },
      properties: (member) => ({
        [config.profileProperty]: true,
        switchboard_lifetime_spend: member.lifetimeSpend,
        switchboard_order_count: member.orderCount,
      }),
      leaverProperties: { [config.profileProperty]: false },
    },
  ],
  signal: {
    count: (sql, { shop }) =>
      sql`select count(*) from customers where shop = ${shop} and (lifetime_spend >= 1000 or order_count >= 5)`,
    text: {
      en: {
        text_one: "{count} customer already qualifies as VIP.",
        text_other: "{count} customers already qualify as VIP.",
      },
      fr: {
        text_one: "{count} client remplit déjà les conditions VIP.",
        text_other: "{count} clients remplissent déjà les conditions VIP.",
      },
    },
  },
});
