/**
 * The sandbox's post-purchase page: what Shopify's checkout does between payment and the thank-you
 * page, and a shopper who answers the offers on it.
 *
 * - Shopify's part: the extension's input, signed as Shopify signs it (`inputData.token`: HS256
 *   with the app secret, `iss` "shopify", `sub` the purchase's reference id, the input under
 *   `input_data`), and `applyChangeset`: the app's changeset token is verified (HS256 with the app
 *   secret, `iss` the API key, `sub` the reference id, a `jti` used once) and applied to the
 *   order as one committed order edit (store-day's addChangesetLine).
 * - The shopper's part: the extension's own client (extensions/post-purchase-upsell/src/api.ts)
 *   asks the app for an offer, the shopper accepts it (the app signs, Shopify applies) or
 *   declines it, and the app is asked for the funnel's next step after each answer, as the
 *   extension's page does, until there is none.
 *
 * Shopify stamps its tokens with its own clock, the wall clock (`now`), not the store's simulated
 * one: the app checks their age against its clock.
 */
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import {
  createOfferClient,
  type InputData,
  type Offer,
} from "../extensions/post-purchase-upsell/src/api";
import { addChangesetLine, priceChangesetLine, type Rand } from "./store-day";
import { convertCents, fromCents } from "./store/money";
import type { SandboxLineItem, SandboxOrder, SandboxOrderEdit, SandboxStore } from "./store/types";

/** Shopify lets a buyer accept this many changesets on one post-purchase page. */
export const CHANGESET_APPLICATIONS_PER_ORDER = 3;

/** The reference id of an order's purchase: its checkout's token (the order's `checkout_token`). */
export function purchaseReferenceId(order: SandboxOrder): string {
  return order.checkoutToken ?? order.token.split("").reverse().join("");
}

const secretKey = (secret: string) => new TextEncoder().encode(secret);

/** The extension's input for this order's post-purchase page, with Shopify's signed token. */
export async function postPurchaseInput(
  store: SandboxStore,
  order: SandboxOrder,
  options: { apiSecret: string; now: Date },
): Promise<InputData> {
  const moneySet = (pair: { shop: string; presentment: string }) => ({
    shopMoney: { amount: pair.shop, currencyCode: order.currency },
    presentmentMoney: { amount: pair.presentment, currencyCode: order.presentmentCurrency },
  });
  const initialPurchase = {
    referenceId: purchaseReferenceId(order),
    customerId: order.customerId,
    destinationCountryCode: order.shippingAddress?.countryCode ?? null,
    totalPriceSet: moneySet(order.totals.total),
    lineItems: order.lineItems.map((line) => ({
      product: {
        id: line.productId,
        title: line.title,
        variant: { id: line.variantId, title: line.variantTitle ?? "" },
        metafields: [],
      },
      quantity: line.quantity,
      totalPriceSet: moneySet({
        shop: (Number(line.price.shop) * line.quantity).toFixed(2),
        presentment: (Number(line.price.presentment) * line.quantity).toFixed(2),
      }),
    })),
  };
  const input = {
    extensionPoint: "Checkout::PostPurchase::ShouldRender",
    initialPurchase,
    locale: order.customerLocale,
    shop: { id: store.shop.id, domain: store.shop.domain, metafields: [] },
    version: "unstable",
  };
  const token = await new SignJWT({ input_data: input })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("shopify")
    .setSubject(initialPurchase.referenceId)
    .setIssuedAt(Math.floor(options.now.getTime() / 1000))
    .setJti(`${initialPurchase.referenceId}-${options.now.getTime()}`)
    .sign(secretKey(options.apiSecret));
  return { ...input, token } as unknown as InputData;
}

/** A changeset's add_variant changes, with how the variant id arrives. */
const addVariantChanges = (variantId: z.ZodType<number>) =>
  z
    .array(
      z.object({
        type: z.literal("add_variant"),
        variantId,
        quantity: z.number().int().positive(),
        discount: z
          .object({
            valueType: z.enum(["percentage", "fixed_amount"]),
            value: z.number().nonnegative(),
          })
          .nullish(),
      }),
    )
    .min(1);

/** The app's signed changeset: variant ids as JSON integers. */
const changesetClaims = z.object({
  jti: z.string().min(1),
  changes: addVariantChanges(z.number().int().positive()),
});

/** calculateChangeset's input from the extension: its ids may arrive as numbers or digits. */
const calculationChanges = z.object({
  changes: addVariantChanges(z.coerce.number().int().positive()),
});

/**
 * Shopify's calculateChangeset for `order`: what the changes would add (lines, their tax, no
 * shipping) and what the buyer would pay now, in both currencies, without changing the order.
 * "unprocessed" with Shopify's error code when a variant cannot be added.
 */
export function calculateChangeset(store: SandboxStore, order: SandboxOrder, body: unknown) {
  const parsed = calculationChanges.safeParse(body);
  if (!parsed.success)
    return {
      status: "unprocessed" as const,
      errors: [{ code: "invalid_changeset", message: "changes must be add_variant changes" }],
      calculatedPurchase: null,
    };
  const set = (cents: number) => ({
    shopMoney: { amount: fromCents(cents), currencyCode: order.currency },
    presentmentMoney: {
      amount: fromCents(convertCents(cents, order.exchangeRate)),
      currencyCode: order.presentmentCurrency,
    },
  });
  const priced = parsed.data.changes.map((change) => ({
    change,
    price: priceChangesetLine(store, order, change),
  }));
  const missing = priced.find((p) => !p.price);
  if (missing)
    return {
      status: "unprocessed" as const,
      errors: [
        {
          code: "insufficient_inventory",
          message: `variant ${missing.change.variantId} is not available`,
        },
      ],
      calculatedPurchase: null,
    };
  const lines = priced.map(({ change, price }) => ({ change, price: price! }));
  const net = lines.reduce((n, l) => n + l.price.lineCents - l.price.discountCents, 0);
  const tax = lines.reduce((n, l) => n + l.price.taxCents, 0);
  return {
    status: "processed" as const,
    errors: [],
    calculatedPurchase: {
      subtotalPriceSet: set(net),
      totalPriceSet: set(net + tax),
      totalOutstandingSet: set(net + tax),
      addedTaxLines: lines[0]!.price.taxRate
        ? [
            {
              priceSet: set(tax),
              rate: lines[0]!.price.taxRate,
              title: order.taxLines[0]?.title ?? "Tax",
            },
          ]
        : [],
      addedShippingLines: [],
      updatedLineItems: lines.map(({ change, price }) => ({
        priceSet: set(price.lineCents - price.discountCents),
        totalPriceSet: set(price.lineCents - price.discountCents),
        productId: price.product.id,
        variantId: change.variantId,
        productHandle: price.product.handle,
        quantity: change.quantity,
      })),
    },
  };
}

/** Why Shopify would not apply a changeset (its applyChangeset answers "unprocessed"). */
export class ChangesetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChangesetRefused";
  }
}

export interface AppliedChangeset {
  edit: SandboxOrderEdit;
  lines: SandboxLineItem[];
  /** Stock levels the added lines reserved (for inventory_levels/update). */
  levels: { inventoryItemId: number; locationId: number }[];
}

/**
 * Shopify's applyChangeset for `order`: the app's token must be signed with the app secret by the
 * app (`iss` its API key) for this purchase, and not used before; its changes are added to the
 * order as one edit. Throws ChangesetRefused.
 */
export async function applyChangeset(
  store: SandboxStore,
  order: SandboxOrder,
  token: string,
  options: { apiKey: string; apiSecret: string; at: number; now: Date },
): Promise<AppliedChangeset> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, secretKey(options.apiSecret), {
      algorithms: ["HS256"],
      issuer: options.apiKey,
      subject: purchaseReferenceId(order),
      currentDate: options.now,
    }));
  } catch (error) {
    throw new ChangesetRefused(
      error instanceof joseErrors.JOSEError
        ? `the changeset token was refused (${error.code})`
        : "the changeset token is not a JWT",
    );
  }
  const claims = changesetClaims.safeParse(payload);
  if (!claims.success) throw new ChangesetRefused("the changeset's changes are not add_variant");
  const applied = (store.appliedChangesets ??= []);
  if (applied.includes(claims.data.jti))
    throw new ChangesetRefused("the changeset token was already applied");
  const edits = (store.orderEdits ?? []).filter((e) => e.orderId === order.id).length;
  if (edits >= CHANGESET_APPLICATIONS_PER_ORDER)
    throw new ChangesetRefused("no changeset applications remain for this order");
  const lines: SandboxLineItem[] = [];
  const levels: AppliedChangeset["levels"] = [];
  let edit: SandboxOrderEdit | null = null;
  for (const change of claims.data.changes) {
    const added = addChangesetLine(store, order, change, options.at);
    if (!added) throw new ChangesetRefused(`variant ${change.variantId} is not available`);
    if (edit) {
      // One changeset is one edit: later changes join the first one's additions.
      edit.additions.push(...added.edit.additions);
      store.orderEdits!.splice(store.orderEdits!.indexOf(added.edit), 1);
    } else edit = added.edit;
    lines.push(added.line);
    if (added.level)
      levels.push({
        inventoryItemId: added.level.inventoryItemId,
        locationId: added.level.locationId,
      });
  }
  applied.push(claims.data.jti);
  return { edit: edit!, lines, levels };
}

export type ShopperAnswer =
  | { offer: Offer; answer: "accepted"; applied: AppliedChangeset }
  | { offer: Offer; answer: "declined" }
  /** Accepted, but Shopify would not apply the changeset (the page shows it could not be added). */
  | { offer: Offer; answer: "refused"; reason: string };

export interface PostPurchaseVisit {
  /** Each offer the shopper saw, in order, and what became of it. */
  answers: ShopperAnswer[];
}

/**
 * A shopper on the post-purchase page of `order`: the extension's client asks the app for an
 * offer; each one is accepted with probability `acceptRate` (the app signs the changeset and
 * Shopify applies it) or declined; after each answer the app is asked for the next step.
 * `fetch` reaches the app (tests pass the app's routes).
 */
export async function visitPostPurchasePage(options: {
  store: SandboxStore;
  order: SandboxOrder;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  acceptRate: number;
  rand: Rand;
  /** Shopify's clock (the wall clock in the demo). */
  now: () => Date;
  /** The store's simulated time, for the order edit. */
  at: number;
  fetch?: typeof fetch;
}): Promise<PostPurchaseVisit> {
  const client = createOfferClient({ appUrl: options.appUrl, fetch: options.fetch });
  const input = await postPurchaseInput(options.store, options.order, {
    apiSecret: options.apiSecret,
    now: options.now(),
  });
  const answers: ShopperAnswer[] = [];
  const seen = new Set<string>();
  let offer = await client.fetchOffer(input);
  // The page ends when the app has no next step (or repeats one), as the extension's does.
  while (offer && !seen.has(offer.id) && answers.length < CHANGESET_APPLICATIONS_PER_ORDER * 2) {
    seen.add(offer.id);
    if (options.rand() < options.acceptRate) {
      const token = await client.signChangeset(input, offer.id);
      try {
        const applied = await applyChangeset(options.store, options.order, token, {
          apiKey: options.apiKey,
          apiSecret: options.apiSecret,
          at: options.at,
          now: options.now(),
        });
        answers.push({ offer, answer: "accepted", applied });
      } catch (error) {
        if (!(error instanceof ChangesetRefused)) throw error;
        answers.push({ offer, answer: "refused", reason: error.message });
        break;
      }
    } else {
      await client.decline(input, offer.id);
      answers.push({ offer, answer: "declined" });
    }
    offer = await client.fetchOffer(input);
  }
  return { answers };
}
