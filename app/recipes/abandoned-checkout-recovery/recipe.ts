import { storedReason } from "../reason-copy";
import type { CheckoutLineItem } from "../../../db/schema/read-model";
import type { ShopifyId } from "../../utils/shopify-id";
import { fullName, gorgiasNote, gorgiasTicket, klaviyoEvent, profileOf } from "../actions";
import type { CheckoutView, CustomerView, RecipeContext, StockLevel } from "../engine/context";
import {
  defineRecipe,
  type FollowUp,
  type FollowUpEvent,
  type RecipeResult,
} from "../engine/define-recipe";
import { noEmailReason } from "../protected-data";
import { formatMoney, holdBack, HOUR_MS, plural } from "../shared";
import { configSchema, type AbandonedCheckoutConfig } from "./config";

export const RECIPE_ID = "abandoned-checkout-recovery";
const LOW_STOCK_RECIPE = "low-stock-promo-pause";
export const ABANDONED_CHECK = "abandoned-check";
/** A capped or suppressed email is held back a day at a time, at most this long: a cart goes cold. */
const HOLD_DAYS = 2;

/** What the recipe remembers of a checkout it followed up on (recipe_state; the recovery rate reads it). */
export const checkoutMemory = (token: string) => `checkout:${token}`;
export type Outreach = "klaviyo-event" | "ticket-note" | "white-glove-ticket";

const checkoutSubject = (checkout: Pick<CheckoutView, "id" | "customerId">) => ({
  label: `Checkout ${checkout.id}`,
  customerId: checkout.customerId,
});

/** When the checkout counts as abandoned: N hours after the last change, never in the past. */
function abandonedAt(checkout: CheckoutView, config: AbandonedCheckoutConfig, now: Date): Date {
  const due = checkout.lastActivityAt.getTime() + config.abandonAfterHours * HOUR_MS;
  return new Date(Math.max(due, now.getTime()));
}

function check(checkout: CheckoutView, at: Date, attempt = 1): FollowUp {
  return {
    name: ABANDONED_CHECK,
    subject: `checkout/${checkout.token}`,
    at,
    data: { token: checkout.token, firstDueAt: at.toISOString() },
    attempt,
  };
}

const lineLabel = (line: Pick<CheckoutLineItem, "title" | "variantTitle">) =>
  line.variantTitle ? `${line.title} (${line.variantTitle})` : line.title;

interface Alternative {
  forTitle: string;
  variantId: ShopifyId;
  title: string;
  price: string | null;
}

interface Cart {
  /** Lines still in stock and not paused by low-stock-promo-pause. */
  kept: CheckoutLineItem[];
  /** Lines left out, with why ("sold out", "running low"). */
  left: { line: CheckoutLineItem; why: string }[];
  alternatives: Alternative[];
  notes: string[];
}

function stockNotes(levels: Iterable<StockLevel>, time: RecipeContext["time"]): string[] {
  const notes: string[] = [];
  for (const level of levels) {
    if (level.source === "live")
      notes.push(
        `variant ${level.variantId}: ${level.available ?? "unknown"} in stock (checked with Shopify just now)`,
      );
    if (level.source === "stale")
      notes.push(
        storedReason(level.note ? "stockStaleNote" : "stockStale", {
          variant: String(level.variantId),
          date: level.checkedAt ? time.dateTime(level.checkedAt) : storedReason("earlierCheck"),
          note: level.note ?? "",
        }),
      );
  }
  return notes;
}

/**
 * Splits the cart into what can still be bought and what cannot: sold out, stock unknown, or
 * taken out of promotion by low-stock-promo-pause. For a line left out, another variant of the
 * same product that is in stock (and not paused) is suggested when the read model knows one.
 */
async function sortCart(
  checkout: CheckoutView,
  ctx: RecipeContext,
  config: AbandonedCheckoutConfig,
): Promise<Cart> {
  const ids = checkout.lineItems.map((l) => l.variantId).filter((id): id is ShopifyId => !!id);
  const pausedOf = ctx.state.of(LOW_STOCK_RECIPE);
  const [stock, paused] = await Promise.all([
    ctx.stock(ids),
    pausedOf.getMany(ids.map((id) => `variant:${id}`)),
  ]);
  const isPaused = (id: ShopifyId, rows: Map<string, Record<string, unknown>>) =>
    rows.get(`variant:${id}`)?.paused === true;
  const cart: Cart = {
    kept: [],
    left: [],
    alternatives: [],
    notes: stockNotes(stock.values(), ctx.time),
  };
  for (const line of checkout.lineItems) {
    if (!line.variantId) {
      cart.left.push({ line, why: "no longer in the catalog" });
      continue;
    }
    const available = stock.get(line.variantId)?.available ?? null;
    if (isPaused(line.variantId, paused)) cart.left.push({ line, why: "paused: running low" });
    else if (available === null) cart.left.push({ line, why: "stock unknown" });
    else if (available <= 0) cart.left.push({ line, why: "sold out" });
    else cart.kept.push(line);
  }
  if (!config.suggestAlternatives || cart.left.length === 0) return cart;

  const inCart = new Set(ids);
  const candidatesOf = new Map<CheckoutLineItem, ShopifyId[]>();
  const titles = new Map<ShopifyId, { title: string | null; price: string | null }>();
  for (const { line } of cart.left) {
    if (!line.productId) continue;
    const siblings = (await ctx.variantsOfProduct(line.productId)).filter((v) => !inCart.has(v.id));
    candidatesOf.set(
      line,
      siblings.map((v) => v.id),
    );
    for (const v of siblings) titles.set(v.id, { title: v.title, price: v.price });
  }
  const candidates = [...new Set([...candidatesOf.values()].flat())];
  if (candidates.length === 0) return cart;
  const [candidateStock, candidatePaused] = await Promise.all([
    ctx.stock(candidates),
    pausedOf.getMany(candidates.map((id) => `variant:${id}`)),
  ]);
  cart.notes.push(...stockNotes(candidateStock.values(), ctx.time));
  const offered = new Set<ShopifyId>();
  for (const [line, options] of candidatesOf) {
    const pick = options.find(
      (id) =>
        !offered.has(id) &&
        !isPaused(id, candidatePaused) &&
        (candidateStock.get(id)?.available ?? 0) > 0,
    );
    if (!pick) continue;
    offered.add(pick);
    const known = titles.get(pick);
    cart.alternatives.push({
      forTitle: lineLabel(line),
      variantId: pick,
      title: known?.title ?? line.title,
      price: known?.price ?? null,
    });
  }
  return cart;
}

function cartLines(checkout: CheckoutView, cart: Cart): string[] {
  return [
    ...cart.kept.map(
      (l) =>
        `- ${l.quantity} × ${lineLabel(l)} (${formatMoney(Number(l.price), checkout.currency)})`,
    ),
    ...cart.left.map((l) => `- ${l.line.quantity} × ${lineLabel(l.line)}: ${l.why}`),
    ...cart.alternatives.map((a) => `  in stock instead of ${a.forTitle}: ${a.title}`),
  ];
}

function customerLine(customer: CustomerView | undefined, currency: string): string {
  return customer && customer.orderCount > 0
    ? `They have ordered ${plural(customer.orderCount, "time", "times")} for ${formatMoney(customer.lifetimeSpend, currency)} in total.`
    : "They have not ordered before.";
}

async function followUpOnCheckout(
  event: FollowUpEvent,
  ctx: RecipeContext,
  config: AbandonedCheckoutConfig,
): Promise<RecipeResult> {
  const token = String(event.data.token ?? "");
  const checkout = token ? await ctx.checkout(token) : undefined;
  if (!checkout) return { skip: storedReason("checkoutGone") };
  const subject = checkoutSubject(checkout);
  if (checkout.orderId) {
    const order = await ctx.order(checkout.orderId);
    return {
      subject: { ...subject, orderId: checkout.orderId },
      skip: storedReason("recovered", { order: order?.name ?? String(checkout.orderId) }),
    };
  }
  if (checkout.completedAt) return { subject, skip: storedReason("checkoutCompleted") };
  // The customer came back to it since this check was scheduled: count again from then.
  const due = checkout.lastActivityAt.getTime() + config.abandonAfterHours * HOUR_MS;
  if (due > ctx.now.getTime()) {
    const at = new Date(due);
    return {
      subject,
      skip: storedReason("checkoutChanged", { date: ctx.time.dateTime(at) }),
      followUps: [check(checkout, at, event.attempt + 1)],
    };
  }
  const memory = checkoutMemory(checkout.token);
  const done = await ctx.state.get(memory);
  if (done)
    return {
      subject,
      skip: storedReason("alreadyFollowedUp", { date: String(done.at).slice(0, 10) }),
    };
  const customer = checkout.customerId ? await ctx.customer(checkout.customerId) : undefined;
  const email = checkout.email ?? customer?.email ?? null;
  if (!email) return { subject, skip: noEmailReason(customer, storedReason("checkoutNoEmail")) };

  const ref = { id: checkout.customerId, email };
  const source = `checkout/${checkout.token}`;
  const amount = formatMoney(checkout.subtotalPrice, checkout.currency);
  const name = fullName(customer ?? {});
  const gorgiasCustomer = { email, ...(name ? { name } : {}) };
  const cart = await sortCart(checkout, ctx, config);
  const notes = [storedReason("cartOf", { amount }), ...cart.notes];
  const remember = (outreach: Outreach) => [
    {
      subject: memory,
      customerId: checkout.customerId,
      value: {
        outreach,
        at: ctx.now.toISOString(),
        abandonedAt: new Date(due).toISOString(),
        subtotal: checkout.subtotalPrice,
        currency: checkout.currency,
      },
    },
  ];
  const recovery = checkout.abandonedCheckoutUrl
    ? `Their checkout, ready to complete: ${checkout.abandonedCheckoutUrl}`
    : null;
  const gorgias = ctx.connected("gorgias");
  const left = `left a checkout of ${amount} ${plural(
    Math.max(1, Math.round((ctx.now.getTime() - checkout.lastActivityAt.getTime()) / HOUR_MS)),
    "hour",
    "hours",
  )} ago without ordering.`;

  if (config.noteOnOpenTicket && gorgias && (await ctx.hasOpenTicket(email))) {
    return {
      subject,
      notes: [...notes, storedReason("openTicketNote")],
      actions: [
        gorgiasNote(
          {
            source,
            channel: "service",
            customer: ref,
            summary: `Note on the customer's open Gorgias ticket: checkout ${checkout.id} left (${amount})`,
          },
          {
            customer: gorgiasCustomer,
            bodyText: [
              `${name || "This customer"} ${left}`,
              ...cartLines(checkout, cart),
              recovery,
              "Switchboard sent no marketing email while this ticket is open; mention the cart if it helps.",
            ]
              .filter(Boolean)
              .join("\n"),
          },
        ),
      ],
      state: remember("ticket-note"),
    };
  }

  // The threshold is in the shop's currency, which is what a checkout's `currency` names.
  const comparable = !ctx.shopCurrency || ctx.shopCurrency === checkout.currency;
  if (config.whiteGloveFrom > 0 && !comparable)
    notes.push(
      `the cart is in ${checkout.currency}, not your store's ${ctx.shopCurrency}: not compared with the white-glove amount`,
    );
  if (comparable && config.whiteGloveFrom > 0 && checkout.subtotalPrice >= config.whiteGloveFrom) {
    if (gorgias)
      return {
        subject,
        notes: [
          ...notes,
          `${amount} is at least ${formatMoney(config.whiteGloveFrom, checkout.currency)}: a ticket for your team`,
        ],
        actions: [
          gorgiasTicket(
            {
              source,
              channel: "service",
              customer: ref,
              summary: `Gorgias ticket: white-glove follow-up on checkout ${checkout.id} (${amount})`,
            },
            {
              customer: gorgiasCustomer,
              subject: `White-glove: a ${amount} cart was left at checkout`,
              bodyText: [
                `${name || "A customer"} ${left}`,
                customerLine(customer, checkout.currency),
                ...cartLines(checkout, cart),
                recovery,
                "Switchboard opened this ticket instead of an automated email so someone can reach out personally.",
              ]
                .filter(Boolean)
                .join("\n"),
              tags: config.ticketTags,
            },
          ),
        ],
        state: remember("white-glove-ticket"),
      };
    notes.push(storedReason("gorgiasMissing"));
  }

  if (cart.kept.length === 0 && cart.alternatives.length === 0)
    return {
      subject,
      notes,
      skip: storedReason("nothingBuyable", {
        lines: cart.left.map((l) => `${lineLabel(l.line)}: ${l.why}`).join("; "),
      }),
    };
  const verdict = await ctx.guard(ref, "marketing");
  if (!verdict.ok) return { subject, notes, ...holdBack(event, ctx, HOLD_DAYS, verdict.reason) };
  const keptValue = cart.kept.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0);
  if (cart.left.length)
    notes.push(
      `left out: ${cart.left.map((l) => `${lineLabel(l.line)} (${l.why})`).join(", ")}${cart.alternatives.length ? `; suggested ${cart.alternatives.map((a) => a.title).join(", ")}` : ""}`,
    );
  return {
    subject,
    notes,
    actions: [
      klaviyoEvent(
        {
          source,
          channel: "marketing",
          customer: ref,
          summary: `Klaviyo “${config.metric}” for checkout ${checkout.id}: ${plural(cart.kept.length, "item", "items")} in stock${cart.alternatives.length ? `, ${plural(cart.alternatives.length, "alternative", "alternatives")}` : ""}`,
        },
        {
          metric: config.metric,
          profile: profileOf({ ...customer, email, id: checkout.customerId }),
          properties: {
            CheckoutId: checkout.id,
            CheckoutUrl: checkout.abandonedCheckoutUrl,
            Items: cart.kept.map((l) => ({
              ProductId: l.productId,
              VariantId: l.variantId,
              Sku: l.sku,
              Title: l.title,
              VariantTitle: l.variantTitle,
              Quantity: l.quantity,
              Price: l.price,
            })),
            Alternatives: cart.alternatives.map((a) => ({
              InsteadOf: a.forTitle,
              VariantId: a.variantId,
              Title: a.title,
              Price: a.price,
            })),
            ItemsLeftOut: cart.left.length,
            AbandonedAt: new Date(due).toISOString(),
          },
          value: Math.round(keptValue * 100) / 100,
          valueCurrency: checkout.currency,
        },
      ),
    ],
    state: remember("klaviyo-event"),
  };
}

export const abandonedCheckoutRecovery = defineRecipe({
  id: RECIPE_ID,
  title: "Abandoned checkout recovery",
  summary:
    "Follows up on checkouts left without an order: a Klaviyo event with the items still in stock, a note on the customer's open ticket instead of marketing, or a Gorgias ticket for big carts.",
  fr: {
    title: "Récupération des paiements abandonnés",
    summary:
      "Relance les paiements abandonnés sans commande : un événement Klaviyo avec les articles encore en stock, une note sur le ticket ouvert du client au lieu du marketing, ou un ticket Gorgias pour les gros paniers.",
  },
  requires: ["klaviyo"],
  triggers: [
    {
      type: "webhook",
      topics: ["checkouts/create", "checkouts/update"],
      actsFor: "who left a checkout without ordering",
    },
  ],
  configSchema,
  describe(config, locale = "en") {
    if (locale === "fr") {
      const note = config.noteOnOpenTicket
        ? "les clients avec un ticket Gorgias ouvert reçoivent une note sur ce ticket au lieu d’un e-mail ; "
        : "";
      const whiteGlove =
        config.whiteGloveFrom > 0
          ? `les paniers de ${config.whiteGloveFrom} ou plus (devise de la boutique) font l’objet d’un ticket Gorgias pour votre équipe ; `
          : "";
      return `Paiements sans commande ${config.abandonAfterHours} heures après la dernière modification du client : ${note}${whiteGlove}les autres reçoivent « ${config.metric} » dans Klaviyo avec uniquement les articles encore en stock${config.suggestAlternatives ? " (et une alternative en stock pour ce qui est épuisé)" : ""}. Une commande passée depuis le paiement arrête la relance.`;
    }
    const note = config.noteOnOpenTicket
      ? "customers with an open Gorgias ticket get a note on it instead of an email; "
      : "";
    const whiteGlove =
      config.whiteGloveFrom > 0
        ? `carts of ${config.whiteGloveFrom} or more (store currency) get a Gorgias ticket for your team; `
        : "";
    return `Checkouts with no order ${config.abandonAfterHours} hours after the customer's last change: ${note}${whiteGlove}everyone else gets “${config.metric}” in Klaviyo with only the items still in stock${config.suggestAlternatives ? " (and an in-stock alternative for what sold out)" : ""}. An order from the checkout stops it.`;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type === "follow-up")
      return event.name === ABANDONED_CHECK ? followUpOnCheckout(event, ctx, config) : null;
    if (event.type !== "webhook") return null;
    if (event.topic !== "checkouts/create" && event.topic !== "checkouts/update") return null;
    const checkout = await ctx.checkout(event.data.token);
    if (!checkout)
      return {
        subject: checkoutSubject({
          id: event.data.id,
          customerId: event.data.customer?.id ?? null,
        }),
        skip: storedReason("checkoutMissing"),
      };
    const subject = checkoutSubject(checkout);
    if (checkout.orderId || checkout.completedAt)
      return { subject, skip: storedReason("checkoutCompletedNothing") };
    const at = abandonedAt(checkout, config, ctx.now);
    return {
      subject,
      followUps: [check(checkout, at)],
      notes: [storedReason("checksOrderFollowed", { date: ctx.time.dateTime(at) })],
    };
  },
  signal: {
    count: (
      sql,
      { shop, daysAgo },
    ) => sql`select count(*) from checkouts where shop = ${shop} and created_at >= ${daysAgo(30)}
      and order_id is null and completed_at is null and last_activity_at < ${daysAgo(1 / 6)}`,
    text: {
      en: {
        text_one: "{count} checkout was left without an order in the last 30 days.",
        text_other: "{count} checkouts were left without an order in the last 30 days.",
      },
      fr: {
        text_one: "{count} paiement a été abandonné sans commande ces 30 derniers jours.",
        text_other: "{count} paiements ont été abandonnés sans commande ces 30 derniers jours.",
      },
    },
  },
});
