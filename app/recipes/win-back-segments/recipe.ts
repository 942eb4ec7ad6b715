import { storedReason } from "../reason-copy";
import { klaviyoListRemove } from "../actions";
import type { RecipeContext } from "../engine/context";
import { defineRecipe, type RecipeResult } from "../engine/define-recipe";
import type { ShopifyId } from "../../utils/shopify-id";
import { DAY_MS } from "../shared";
import { configSchema, type WinBackConfig } from "./config";
import { contactOfPayload, noEmailReason } from "../protected-data";

export const RECIPE_ID = "win-back-segments";

export const listFor = (config: WinBackConfig, stage: number) =>
  `${config.listPrefix} ${stage} days`;

/** The longest stage whose days have passed since the last order, or null. */
export function stageOf(lastOrderAt: Date, now: Date, stages: readonly number[]): number | null {
  const days = (now.getTime() - lastOrderAt.getTime()) / DAY_MS;
  let stage: number | null = null;
  for (const s of stages) if (days >= s) stage = s;
  return stage;
}

/**
 * The stage list a returning customer was kept in: the stage of the days between their
 * previous order and this one (what the last reconciliation saw), or null if too few.
 */
async function stageBefore(
  ctx: RecipeContext,
  customerId: ShopifyId,
  orderId: ShopifyId,
  at: Date,
  config: WinBackConfig,
): Promise<number | null> {
  const earlier = (await ctx.ordersOfCustomer(customerId, { limit: 5 })).find(
    (o) => o.id !== orderId && o.createdAt.getTime() < at.getTime(),
  );
  return earlier ? stageOf(earlier.createdAt, at, config.stages) : null;
}

export const winBackSegments = defineRecipe({
  id: RECIPE_ID,
  title: "Win-back segments",
  summary:
    "Every day, moves lapsed customers into Klaviyo lists by days since their last order; a new order takes them out.",
  fr: {
    title: "Segments de reconquête",
    summary:
      "Chaque jour, place les clients inactifs dans des listes Klaviyo selon les jours écoulés depuis leur dernière commande ; une nouvelle commande les en retire.",
  },
  requires: ["klaviyo"],
  // The daily moves between stage lists are the segments' reconciliation (below), in bulk.
  triggers: [{ type: "webhook", topics: ["orders/create"] }],
  configSchema,
  describe(config, locale = "en") {
    if (locale === "fr")
      return `Chaque jour, place les clients sans commande depuis ${config.stages.join(" / ")} jours dans les listes Klaviyo « ${config.listPrefix} … days » ; leur prochaine commande les en retire.`;
    return `Each day, puts customers with no order in ${config.stages.join(" / ")} days into “${config.listPrefix} … days” Klaviyo lists; their next order takes them out.`;
  },
  segments: (config) =>
    config.stages.map((stage, i) => ({
      list: listFor(config, stage),
      rule: { type: "lapsed", minDays: stage, maxDays: config.stages[i + 1] },
      properties: () => ({ switchboard_win_back_stage: stage }),
    })),
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type !== "webhook" || event.topic !== "orders/create") return null;
    const order = event.data;
    if (!order.customer) return null;
    const subject = {
      label: `Customer ${order.customer.id}`,
      orderId: order.id,
      customerId: order.customer.id,
    };
    const memory = `customer:${order.customer.id}`;
    const previous = await ctx.state.get(memory);
    const stage =
      typeof previous?.stage === "number"
        ? previous.stage
        : await stageBefore(ctx, order.customer.id, order.id, order.created_at, config);
    if (stage === null) return { subject, skip: storedReason("notInWinBack") };
    const customer = await ctx.customer(order.customer.id);
    const email = customer?.email ?? order.customer.email ?? order.email;
    const state = previous ? [{ subject: memory, customerId: order.customer.id, value: null }] : [];
    if (!email)
      return {
        subject,
        skip: noEmailReason(
          customer ?? contactOfPayload(order.customer),
          storedReason("customerNoKlaviyoEmail"),
        ),
        state,
      };
    return {
      subject,
      notes: [storedReason("cameBack", { days: String(stage), order: order.name })],
      ...(state.length ? { state } : {}),
      actions: [
        klaviyoListRemove(
          {
            source: `order/${order.id}`,
            discriminator: `win-back-${stage}`,
            channel: "sync",
            customer: { id: order.customer.id, email },
            summary: `Remove customer ${order.customer.id} from “${listFor(config, stage)}” (ordered again)`,
          },
          { list: listFor(config, stage), profile: { email } },
        ),
      ],
    };
  },
  signal: {
    count: (sql, { shop, daysAgo }) =>
      sql`select count(*) from customers where shop = ${shop} and last_order_at < ${daysAgo(60)}`,
    text: {
      en: {
        text_one: "{count} customer has not ordered in 60+ days.",
        text_other: "{count} customers have not ordered in 60+ days.",
      },
      fr: {
        text_one: "{count} client n’a pas commandé depuis plus de 60 jours.",
        text_other: "{count} clients n’ont pas commandé depuis plus de 60 jours.",
      },
    },
  },
});
