import { storedReason } from "../reason-copy";
import { klaviyoEvent, profileOf } from "../actions";
import type { RecipeContext, VariantView } from "../engine/context";
import { defineRecipe, type RecipeAction, type RecipeResult } from "../engine/define-recipe";
import { DAY_MS, epoch, GONE_VARIANT } from "../shared";
import { configSchema, type LowStockConfig } from "./config";
import type { ShopifyId } from "../../utils/shopify-id";
import { contactWithheld } from "../protected-data";

export const RECIPE_ID = "low-stock-promo-pause";
const UPSELL = "post-purchase-upsell";
const AUDIENCE_LIMIT = 200;

/** Customers who were offered the variant after an order, or wanted it while it was short (waitlist). */
async function audience(ctx: RecipeContext, variantId: ShopifyId, config: LowStockConfig) {
  const since = new Date(ctx.now.getTime() - config.audienceDays * DAY_MS);
  const offers = ctx.state.of(UPSELL);
  const rows = [
    ...(await offers.matching({ variantId }, { since, limit: AUDIENCE_LIMIT })),
    ...(await offers.matching({ wanted: variantId }, { since, limit: AUDIENCE_LIMIT })),
  ];
  const ids = [
    ...new Set(rows.map((r) => r.customerId).filter((id): id is ShopifyId => id !== null)),
  ].slice(0, AUDIENCE_LIMIT);
  const customers = [];
  let withheld = 0;
  for (const id of ids) {
    const customer = await ctx.customer(id);
    if (customer?.email) customers.push(customer);
    else if (contactWithheld(customer)) withheld++;
  }
  return { customers, withheld };
}

/** Says how many of the audience Shopify sent without an email (protected customer data). */
function withheldNote(withheld: number): string[] {
  return withheld ? [storedReason("withheld", { count: withheld })] : [];
}

async function evaluateVariant(
  variant: VariantView,
  available: number,
  at: Date,
  ctx: RecipeContext,
  config: LowStockConfig,
): Promise<RecipeResult> {
  const threshold =
    config.overrides.find((o) => o.variantId === variant.id)?.threshold ?? config.threshold;
  const memory = `variant:${variant.id}`;
  const paused = (await ctx.state.get(memory))?.paused === true;
  const name = variant.sku ? `SKU ${variant.sku}` : `Variant ${variant.id}`;
  const subject = { label: name };
  if (!paused && available < threshold) {
    const { customers: people, withheld } = await audience(ctx, variant.id, config);
    const source = `variant/${variant.id}/low/${epoch(at)}`;
    const actions: RecipeAction[] = people.map((c) =>
      klaviyoEvent(
        {
          source,
          discriminator: `customer-${c.id}`,
          channel: "sync",
          customer: { id: c.id, email: c.email },
          summary: `Klaviyo “${config.lowStockMetric}” (${name}) for customer ${c.id}`,
        },
        {
          metric: config.lowStockMetric,
          profile: profileOf(c),
          properties: {
            VariantId: variant.id,
            Sku: variant.sku,
            Title: variant.title,
            Available: available,
          },
        },
      ),
    );
    return {
      subject,
      notes: [
        `${available} in stock, below ${threshold}: taken out of post-purchase offers`,
        people.length
          ? storedReason("flagged", { count: people.length })
          : storedReason("nobodyOffered"),
        ...withheldNote(withheld),
      ],
      actions,
      state: [
        { subject: memory, value: { paused: true, since: ctx.now.toISOString(), available } },
      ],
    };
  }
  if (paused && available >= threshold) {
    const { customers: people, withheld } = await audience(ctx, variant.id, config);
    const source = `variant/${variant.id}/back/${epoch(at)}`;
    return {
      subject,
      notes: [
        `${available} in stock again (threshold ${threshold}): offered again`,
        ...withheldNote(withheld),
      ],
      actions: people.map((c) =>
        klaviyoEvent(
          {
            source,
            discriminator: `customer-${c.id}`,
            channel: "marketing",
            customer: { id: c.id, email: c.email },
            summary: `Klaviyo “${config.backInStockMetric}” (${name}) for customer ${c.id}`,
          },
          {
            metric: config.backInStockMetric,
            profile: profileOf(c),
            properties: {
              VariantId: variant.id,
              Sku: variant.sku,
              Title: variant.title,
              Available: available,
            },
          },
        ),
      ),
      state: [
        { subject: memory, value: { paused: false, since: ctx.now.toISOString(), available } },
      ],
    };
  }
  return {
    subject,
    skip: storedReason(paused ? "inStockStillPaused" : "inStock", {
      available: String(available),
      threshold: String(threshold),
    }),
  };
}

export const lowStockPromoPause = defineRecipe({
  id: RECIPE_ID,
  title: "Low-stock promo pause",
  summary:
    "Stops offering a variant that runs low, flags it to Klaviyo, and sends “Back In Stock” to the customers who wanted it.",
  fr: {
    title: "Pause des promotions en stock faible",
    summary:
      "Cesse de proposer une variante dont le stock baisse, le signale à Klaviyo et envoie « Back In Stock » aux clients qui la voulaient.",
  },
  requires: ["klaviyo"],
  triggers: [
    {
      type: "webhook",
      topics: ["inventory_levels/update"],
      actsFor: "whose stock ran low or came back",
    },
  ],
  configSchema,
  describe(config, locale = "en") {
    if (locale === "fr")
      return `Retire une variante des offres sous ${config.threshold} unités${config.overrides.length ? ` (${config.overrides.length} avec leur propre seuil)` : ""} ; au réassort, envoie « ${config.backInStockMetric} » aux clients à qui elle a été proposée au cours des ${config.audienceDays} derniers jours.`;
    return `Takes a variant out of offers below ${config.threshold} units${config.overrides.length ? ` (${config.overrides.length} with their own threshold)` : ""}; on restock sends “${config.backInStockMetric}” to customers offered it in the last ${config.audienceDays} days.`;
  },
  async validate(config, catalog) {
    const found = await catalog.existingVariants(config.overrides.map((o) => o.variantId));
    const errors: Record<string, string> = {};
    config.overrides.forEach((o, i) => {
      if (!found.has(o.variantId)) errors[`overrides.${i}.variantId`] = GONE_VARIANT;
    });
    return errors;
  },
  async run(event, ctx, config): Promise<RecipeResult | RecipeResult[] | null> {
    if (event.type !== "webhook" || event.topic !== "inventory_levels/update") return null;
    const itemId = event.data.inventory_item_id;
    const variants = await ctx.variantsOfInventoryItem(itemId);
    if (variants.length === 0)
      return {
        subject: { label: `Inventory item ${itemId}` },
        skip: storedReason("notLinked"),
      };
    const available = await ctx.cachedAvailable(itemId);
    if (available === null)
      return {
        subject: { label: `Inventory item ${itemId}` },
        skip: storedReason("notTracked"),
      };
    const results: RecipeResult[] = [];
    for (const variant of variants)
      results.push({
        ...(await evaluateVariant(variant, available, event.data.updated_at, ctx, config)),
        ...(variants.length > 1 ? { key: `variant/${variant.id}` } : {}),
      });
    return results;
  },
  signal: {
    count: (sql, { shop }) =>
      sql`select count(*) from (select inventory_item_id from inventory_levels where shop = ${shop} group by inventory_item_id having sum(available) < 5) low`,
    text: {
      en: {
        text_one: "{count} item is below 5 units.",
        text_other: "{count} items are below 5 units.",
      },
      fr: {
        text_one: "{count} article est sous les 5 unités.",
        text_other: "{count} articles sont sous les 5 unités.",
      },
    },
  },
});
