import { klaviyoListAdd, klaviyoListRemove, profileOf } from "../actions";
import type { CustomerView } from "../engine/context";
import { defineRecipe, type RecipeAction, type RecipeResult } from "../engine/define-recipe";
import { DAY_MS, epoch, formatDate, storedOrderEvent } from "../shared";
import { configSchema, type WinBackConfig } from "./config";

export const RECIPE_ID = "win-back-segments";

/** How many customers one scan moves at most; the rest move on the next day's scan. */
export const SCAN_LIMIT = 2000;

export const listFor = (config: WinBackConfig, stage: number) => `${config.listPrefix} ${stage} days`;

/** The longest stage whose days have passed since the last order, or null. */
export function stageOf(lastOrderAt: Date, now: Date, stages: readonly number[]): number | null {
  const days = (now.getTime() - lastOrderAt.getTime()) / DAY_MS;
  let stage: number | null = null;
  for (const s of stages) if (days >= s) stage = s;
  return stage;
}

function moveActions(customer: CustomerView, from: number | null, to: number, config: WinBackConfig): RecipeAction[] {
  const ref = { id: customer.id, email: customer.email };
  const source = `customer/${customer.id}/win-back/${epoch(customer.lastOrderAt!)}`;
  const actions: RecipeAction[] = [];
  if (from !== null) {
    actions.push(klaviyoListRemove({ source, discriminator: `from-${from}`, channel: "sync", customer: ref, summary: `Remove customer ${customer.id} from “${listFor(config, from)}”` }, { list: listFor(config, from), profile: { email: customer.email! } }));
  }
  actions.push(
    klaviyoListAdd(
      { source, discriminator: `to-${to}`, channel: "sync", customer: ref, summary: `Add customer ${customer.id} to “${listFor(config, to)}”` },
      { list: listFor(config, to), profile: { ...profileOf(customer), properties: { switchboard_win_back_stage: to } } },
    ),
  );
  return actions;
}

export const winBackSegments = defineRecipe({
  id: RECIPE_ID,
  title: "Win-back segments",
  summary: "Every day, moves lapsed customers into Klaviyo lists by days since their last order; a new order takes them out.",
  requires: ["klaviyo"],
  triggers: [{ type: "daily" }, { type: "webhook", topics: ["orders/create"] }],
  configSchema,
  describe(config) {
    return `Each day, puts customers with no order in ${config.stages.join(" / ")} days into “${config.listPrefix} … days” Klaviyo lists; their next order takes them out.`;
  },
  async sampleEvents(order, ctx) {
    const view = await ctx.order(order.id);
    return view ? [storedOrderEvent("orders/create", view)] : [];
  },
  async run(event, ctx, config): Promise<RecipeResult | RecipeResult[] | null> {
    if (event.type === "daily") {
      const shortest = config.stages[0]!;
      const lapsed = await ctx.lapsedCustomers(new Date(ctx.now.getTime() - shortest * DAY_MS), { limit: SCAN_LIMIT });
      const states = await ctx.state.getMany(lapsed.map((c) => `customer:${c.id}`));
      const results: RecipeResult[] = [];
      for (const customer of lapsed) {
        const stage = stageOf(customer.lastOrderAt!, ctx.now, config.stages);
        const previous = states.get(`customer:${customer.id}`);
        const from = typeof previous?.stage === "number" ? previous.stage : null;
        const sameLapse = previous?.lastOrderAt === customer.lastOrderAt!.toISOString();
        if (stage === null || (sameLapse && stage === from)) continue;
        const subject = { label: `Customer ${customer.id}`, customerId: customer.id };
        if (!customer.email) {
          results.push({ key: `customer/${customer.id}`, subject, skip: "the customer has no email address for Klaviyo" });
          continue;
        }
        results.push({
          key: `customer/${customer.id}`,
          subject,
          notes: [`last order ${formatDate(customer.lastOrderAt!)}: ${stage}+ days`],
          actions: moveActions(customer, from, stage, config),
          state: [{ subject: `customer:${customer.id}`, customerId: customer.id, value: { stage, lastOrderAt: customer.lastOrderAt!.toISOString() } }],
        });
      }
      if (results.length === 0) return { subject: { label: `Daily scan ${event.date}` }, skip: `nobody crossed ${config.stages.join(" / ")} days since the last scan` };
      return results;
    }
    if (event.type !== "webhook" || event.topic !== "orders/create") return null;
    const order = event.data;
    if (!order.customer) return null;
    const subject = { label: `Customer ${order.customer.id}`, orderId: order.id, customerId: order.customer.id };
    const memory = `customer:${order.customer.id}`;
    const previous = await ctx.state.get(memory);
    if (typeof previous?.stage !== "number") return { subject, skip: "the customer is not in a win-back list" };
    const customer = await ctx.customer(order.customer.id);
    const email = customer?.email ?? order.customer.email ?? order.email;
    const state = [{ subject: memory, customerId: order.customer.id, value: null }];
    if (!email) return { subject, skip: "the customer has no email address for Klaviyo", state };
    const stage = previous.stage;
    return {
      subject,
      notes: [`came back after ${stage}+ days with ${order.name}`],
      state,
      actions: [
        klaviyoListRemove(
          { source: `order/${order.id}`, discriminator: `win-back-${stage}`, channel: "sync", customer: { id: order.customer.id, email }, summary: `Remove customer ${order.customer.id} from “${listFor(config, stage)}” (ordered again)` },
          { list: listFor(config, stage), profile: { email } },
        ),
      ],
    };
  },
});
