import type { FunnelStep } from "../recipes/post-purchase-upsell/decide-offer";
import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import {
  changesetSignatures,
  upsellHoldouts,
  upsellOffers,
  type OfferDisplay,
  type UpsellOffer,
} from "../../db/schema/index";
import type { Database, Db } from "../db.server";
import { StatementBatcher, statementBatcher } from "../utils/statement-batcher.server";
import type { ShopifyId } from "../utils/shopify-id";

/** Shopify lets a buyer accept at most this many post-purchase offers on one order. */
export const MAX_ACCEPTED_OFFERS_PER_ORDER = 3;

export interface OfferDiscount {
  valueType: "percentage" | "fixed_amount";
  value: number;
}

export interface NewOffer {
  shop: string;
  referenceId: string;
  customerId: ShopifyId | null;
  recipe: string;
  reason: string | null;
  productId: ShopifyId | null;
  variantId: ShopifyId;
  quantity: number;
  title: string;
  /** Unit price before the discount, shop currency, e.g. "24.00". */
  price: string;
  currency: string;
  discount: OfferDiscount | null;
  initialTotal: string | null;
  /** The A/B test and version it was shown in, if any. */
  experiment: { key: string; arm: "A" | "B" } | null;
  /** The rule that made it and where in that rule's funnel (absent: a rule's own offer). */
  ruleIndex?: number | null;
  step?: FunnelStep;
  /** How the page shows it (variant title, image, words, countdown). */
  display?: OfferDisplay | null;
}

const cents = (amount: string | number) => Math.round(Number(amount) * 100);
const fromCents = (value: number) => (value / 100).toFixed(2);

/**
 * What an accepted offer adds, in the shop's currency: the line (unit price × quantity) less its
 * discount — a percentage of the line, or a fixed amount off the line — never below zero.
 */
export function offerRevenue(
  price: string,
  quantity: number,
  discount: OfferDiscount | null,
): string {
  const line = cents(price) * quantity;
  if (!discount) return fromCents(line);
  const off =
    discount.valueType === "percentage"
      ? Math.round((line * Math.min(100, Math.max(0, discount.value))) / 100)
      : cents(discount.value);
  return fromCents(Math.max(0, line - off));
}

const decimal = (value: string | number | null) =>
  value === null ? null : Number(value).toFixed(2);

/** "Offer shown" inserts, coalesced (see StatementBatcher). */
function shownOffersBatcher(database: Database) {
  return statementBatcher(
    "offers-shown",
    database,
    () =>
      new StatementBatcher(
        async (rows: UpsellOffer[]) => {
          const { rows: inserted } = await database.executeSql(
            `insert into upsell_offers (id, shop, reference_id, customer_id, recipe, reason, product_id, variant_id, quantity, title, price,
                                      discount_type, discount_value, currency, initial_total, status, changeset_jti, shown_at, experiment_key, arm,
                                      rule_index, step, display)
           select id, shop, reference_id, customer_id, recipe, reason, product_id, variant_id, quantity, title, price,
                  discount_type, discount_value, currency, initial_total, status, changeset_jti, shown_at, experiment_key, arm,
                  rule_index, step, display
             from jsonb_to_recordset($1::jsonb) as o(id uuid, shop text, reference_id text, customer_id bigint, recipe text, reason text,
                  product_id bigint, variant_id bigint, quantity int, title text, price numeric, discount_type text, discount_value numeric,
                  currency text, initial_total numeric, status text, changeset_jti uuid, shown_at timestamptz, experiment_key text, arm text,
                  rule_index int, step text, display jsonb)
            where set_config('synchronous_commit', 'off', true) is not null
           on conflict (shop, reference_id) where status = 'shown' do nothing
           returning id`,
            [
              JSON.stringify(
                rows.map((row) => ({
                  id: row.id,
                  shop: row.shop,
                  reference_id: row.referenceId,
                  customer_id: row.customerId,
                  recipe: row.recipe,
                  reason: row.reason,
                  product_id: row.productId,
                  variant_id: row.variantId,
                  quantity: row.quantity,
                  title: row.title,
                  price: row.price,
                  discount_type: row.discountType,
                  discount_value: row.discountValue,
                  currency: row.currency,
                  initial_total: row.initialTotal,
                  status: row.status,
                  changeset_jti: row.changesetJti,
                  shown_at: row.shownAt.toISOString(),
                  experiment_key: row.experimentKey,
                  arm: row.arm,
                  rule_index: row.ruleIndex,
                  step: row.step,
                  display: row.display,
                })),
              ),
            ],
            { prepare: true },
          );
          // A row left out: its purchase already has an unanswered offer (the caller returns that one).
          const ids = new Set(inserted.map((row) => String(row.id)));
          return rows.map((row) => ids.has(row.id));
        },
        { maxBatch: 20, maxInFlight: 4 },
      ),
  );
}

/**
 * Stores an offer as shown, or returns the purchase's unanswered offer if it already has one;
 * its changeset jti is fixed now and can be signed once. Concurrent checkouts' offers share one
 * INSERT.
 *
 * The buyer is waiting, so the INSERT commits without waiting for the WAL flush
 * (`synchronous_commit` off for its own transaction only; ADR 008): a database crash in the
 * following fraction of a second could lose the row, and the buyer's Accept would then be
 * refused as unknown — no charge, nothing sent twice. Accept and decline commit durably.
 */
export async function recordOfferShown(
  database: Database,
  offer: NewOffer,
  now: Date,
): Promise<UpsellOffer> {
  const row: UpsellOffer = {
    id: randomUUID(),
    shop: offer.shop,
    referenceId: offer.referenceId,
    customerId: offer.customerId,
    recipe: offer.recipe,
    reason: offer.reason,
    productId: offer.productId,
    variantId: offer.variantId,
    quantity: offer.quantity,
    title: offer.title,
    price: decimal(offer.price)!,
    discountType: offer.discount?.valueType ?? null,
    discountValue: offer.discount ? decimal(offer.discount.value) : null,
    currency: offer.currency,
    initialTotal: decimal(offer.initialTotal),
    status: "shown",
    revenue: null,
    orderId: null,
    chargedAt: null,
    chargedRevenue: null,
    changesetJti: randomUUID(),
    shownAt: now,
    respondedAt: null,
    experimentKey: offer.experiment?.key ?? null,
    arm: offer.experiment?.arm ?? null,
    ruleIndex: offer.ruleIndex ?? null,
    step: offer.step ?? "offer",
    display: offer.display ?? null,
  };
  if (await shownOffersBatcher(database).submit(row)) return row;
  // This purchase already has an unanswered offer (a concurrent or repeated ShouldRender): one
  // decision per step, so that one is the answer. The conflicting insert has committed by now.
  const pending = await unansweredOffer(database.db, offer.shop, offer.referenceId);
  if (pending) return pending;
  // Answered in between: this is the next step's offer.
  if (await shownOffersBatcher(database).submit(row)) return row;
  throw new Error(`could not record the offer for purchase ${offer.referenceId}`);
}

/**
 * A purchase an A/B test held out (it sees no offer); once per purchase, so a repeated or
 * concurrent ShouldRender is not a second buyer.
 */
export async function recordHoldout(
  db: Db,
  holdout: {
    shop: string;
    referenceId: string;
    customerId: ShopifyId | null;
    experimentKey: string;
    variantId: ShopifyId;
    initialTotal: string | null;
    currency: string;
  },
  now: Date,
): Promise<void> {
  await db
    .insert(upsellHoldouts)
    .values({ ...holdout, initialTotal: decimal(holdout.initialTotal), heldAt: now })
    .onConflictDoNothing();
}

/** The purchase's offer that is shown and not yet answered, if any (at most one: a unique index). */
export async function unansweredOffer(
  db: Db,
  shop: string,
  referenceId: string,
): Promise<UpsellOffer | null> {
  const [pending] = await db
    .select()
    .from(upsellOffers)
    .where(
      and(
        eq(upsellOffers.shop, shop),
        eq(upsellOffers.referenceId, referenceId),
        eq(upsellOffers.status, "shown"),
      ),
    );
  return pending ?? null;
}

export async function acceptedOfferCount(
  db: Db,
  shop: string,
  referenceId: string,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(upsellOffers)
    .where(
      and(
        eq(upsellOffers.shop, shop),
        eq(upsellOffers.referenceId, referenceId),
        eq(upsellOffers.status, "accepted"),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Offers already made for this purchase (variant ids), so a second step offers something else. */
export function offerDiscount(offer: UpsellOffer): OfferDiscount | null {
  return offer.discountType && offer.discountValue !== null
    ? { valueType: offer.discountType, value: Number(offer.discountValue) }
    : null;
}

export type AcceptFailure = "not-found" | "replayed" | "declined" | "limit";

export class OfferAcceptError extends Error {
  constructor(
    public readonly failure: AcceptFailure,
    message: string,
  ) {
    super(message);
    this.name = "OfferAcceptError";
  }
}

/**
 * The buyer accepted: claims the offer's changeset jti (a second claim is a replay and is
 * refused), checks the order is still under Shopify's 3-accepted-offers limit, and marks the
 * offer accepted with its revenue. One transaction, serialized per purchase, so two offers
 * accepted at once cannot both squeeze under the limit.
 */
export async function acceptOffer(
  db: Db,
  input: { shop: string; referenceId: string; offerId: string },
  now: Date,
): Promise<UpsellOffer> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`upsell:${input.shop}:${input.referenceId}`}))`,
    );
    const [offer] = await tx
      .select()
      .from(upsellOffers)
      .where(
        and(
          eq(upsellOffers.id, input.offerId),
          eq(upsellOffers.shop, input.shop),
          eq(upsellOffers.referenceId, input.referenceId),
        ),
      );
    if (!offer)
      throw new OfferAcceptError("not-found", "There is no such offer for this purchase.");
    const claimed = await tx
      .insert(changesetSignatures)
      .values({
        jti: offer.changesetJti,
        shop: input.shop,
        referenceId: input.referenceId,
        offerId: offer.id,
        signedAt: now,
      })
      .onConflictDoNothing()
      .returning({ jti: changesetSignatures.jti });
    if (claimed.length === 0)
      throw new OfferAcceptError(
        "replayed",
        "This offer's changeset was already signed; it can be applied once.",
      );
    if (offer.status === "declined")
      throw new OfferAcceptError("declined", "The offer was declined.");
    const [accepted] = await tx
      .select({ n: count() })
      .from(upsellOffers)
      .where(
        and(
          eq(upsellOffers.shop, input.shop),
          eq(upsellOffers.referenceId, input.referenceId),
          eq(upsellOffers.status, "accepted"),
        ),
      );
    if (Number(accepted?.n ?? 0) >= MAX_ACCEPTED_OFFERS_PER_ORDER) {
      throw new OfferAcceptError(
        "limit",
        `Shopify allows at most ${MAX_ACCEPTED_OFFERS_PER_ORDER} accepted offers per order.`,
      );
    }
    const revenue = offerRevenue(offer.price, offer.quantity, offerDiscount(offer));
    const [updated] = await tx
      .update(upsellOffers)
      .set({ status: "accepted", revenue, respondedAt: now })
      .where(eq(upsellOffers.id, offer.id))
      .returning();
    return updated!;
  });
}

/** The buyer declined. Returns the offer when this call declined it (null: unknown or already answered). */
export async function declineOffer(
  db: Db,
  input: { shop: string; referenceId: string; offerId: string },
  now: Date,
): Promise<UpsellOffer | null> {
  const [row] = await db
    .update(upsellOffers)
    .set({ status: "declined", respondedAt: now })
    .where(
      and(
        eq(upsellOffers.id, input.offerId),
        eq(upsellOffers.shop, input.shop),
        eq(upsellOffers.referenceId, input.referenceId),
        eq(upsellOffers.status, "shown"),
      ),
    )
    .returning();
  return row ?? null;
}
