/**
 * What the app and its Shopify extensions (extensions/*) say to each other: the JSON bodies of
 * the endpoints they share. Types only and no imports, so the extensions can import this file by
 * relative path without bundling anything of the app's.
 *
 * Shopify ids are their decimal digits (text): they are 64-bit, beyond a JavaScript number. The
 * one exception is the checkout's offer, where ids are an `Id` parameter: the app holds digits,
 * writes them as JSON integers (Shopify's checkout types them as numbers), and the extension
 * reads numbers.
 */

type PostPurchaseId = string | number;

// --- post-purchase-upsell: POST /api/post-purchase/* (app/post-purchase/service.server.ts) ---

export interface OfferDiscountLabel {
  value: number;
  valueType: "percentage" | "fixed_amount";
  title: string;
}

/** One change for calculateChangeset/applyChangeset (the signed changeset carries the same). */
export interface AddVariantChange<Id extends PostPurchaseId> {
  type: "add_variant";
  variantId: Id;
  quantity: number;
  discount?: OfferDiscountLabel;
}

export interface OfferPresentment {
  currency: string;
  /** Unit price before the discount. */
  price: string;
  /** The line after the discount. */
  discountedPrice: string;
  /** A fixed-amount discount in this currency; null for a percentage. */
  discountAmount: string | null;
}

/** What the extension shows and what it later asks the app to sign. */
export interface PostPurchaseOffer<Id extends PostPurchaseId> {
  id: string;
  productId: Id | null;
  variantId: Id;
  quantity: number;
  productTitle: string;
  variantTitle: string | null;
  imageUrl: string | null;
  /** Unit price before the discount, shop currency. */
  price: string;
  /** The line after the discount (before tax and shipping; calculateChangeset gives those). */
  discountedPrice: string;
  currency: string;
  discount: OfferDiscountLabel | null;
  /**
   * The same amounts in the buyer's currency when the checkout is not in the shop's, at this
   * purchase's own rate (its total in both currencies). An estimate until Shopify's
   * calculateChangeset prices the line, which the extension then shows instead.
   */
  presentment: OfferPresentment | null;
  /**
   * The merchant's words for this offer in the shopper's language (headline, message, button);
   * null, or a null field, keeps the page's own.
   */
  copy: { headline: string | null; body: string | null; button: string | null } | null;
  /**
   * Seconds left on the offer's countdown (from when it was first shown), when the rule has one;
   * at zero the page declines it and moves on. Null: no countdown.
   */
  countdownSeconds: number | null;
  /** The changes to pass to calculateChangeset (the signed token carries the same). */
  changes: AddVariantChange<Id>[];
}

/** /api/post-purchase/offer's answer. */
export type PostPurchaseOfferResponse<Id extends PostPurchaseId> =
  { offer: PostPurchaseOffer<Id>; reason: string | null } | { offer: null; reason: string };

// --- order-automation-timeline: GET /api/extensions/order-timeline?orderId=…&locale=… (app/models/order-timeline.server.ts) ---

export interface TimelineDelivery {
  key: string;
  vendor: "klaviyo" | "gorgias" | "shopify";
  operation: string;
  status: "queued" | "waiting" | "succeeded" | "dead" | "dropped";
  attempts: number;
  lastError: string | null;
  at: string;
  completedAt: string | null;
}

export interface TimelineAction {
  kind: string;
  channel: string;
  summary: string;
  status:
    | "requested"
    | "already-requested"
    | "capped"
    | "suppressed"
    | "skipped"
    | "waiting"
    | "dropped"
    | "decided"
    | "would-request";
  reason: string | null;
  delivery: TimelineDelivery | null;
}

/**
 * What started a run, as a stable key: the block words it from its own locales
 * (`triggers.<key>` in extensions/order-automation-timeline/locales/*.json), which say what
 * app/models/event-words.ts says for the app's screens.
 */
export type TimelineTrigger =
  | "order-created"
  | "order-updated"
  | "order-edited"
  | "order-paid"
  | "order-fulfilled"
  | "fulfillment-created"
  | "fulfillment-updated"
  | "parcel-scan"
  | "checkout-started"
  | "checkout-updated"
  | "customer-updated"
  | "stock-changed"
  | "ticket-opened"
  | "ticket-closed"
  | "daily-check"
  | "follow-up"
  | "shopify-update";

export interface TimelineRun {
  id: number;
  recipeId: string;
  /**
   * The recipe's name in the language the block asked for (`locale` query parameter); absent
   * for runs of a recipe no longer in the catalog (the block shows `recipeId`).
   */
  recipeTitle?: string;
  /** What started the run; the block words it ("Parcel scan", "Nouvelle commande"). */
  trigger: TimelineTrigger;
  outcome: "acted" | "waiting" | "scheduled" | "skipped" | "blocked" | "failed";
  reasons: string[];
  actions: TimelineAction[];
  at: string;
}

/** What Switchboard did about one order. */
export interface OrderTimeline {
  order: { id: string; name: string } | null;
  runs: TimelineRun[];
  /** Deliveries for this order not tied to a recorded run (e.g. requested outside the engine). */
  otherDeliveries: TimelineDelivery[];
  counts: { runs: number; delivered: number; failed: number; heldBack: number };
}

/** The endpoint's answer: the timeline and where the app's Activity screen is. */
export interface OrderTimelineResponse extends OrderTimeline {
  activityPath: string;
}

// --- product-upsell-settings: GET/POST /api/extensions/product-upsell (app/post-purchase/product-settings.server.ts) ---

export interface ProductOfferSettings {
  productId: string;
  /** Whether the post-purchase-upsell recipe is switched on for the shop. */
  recipeEnabled: boolean;
  offer: {
    offerVariantId: string;
    fallbackVariantId: string | null;
    discount: { type: "percentage" | "fixed_amount"; value: number };
  } | null;
  minimumStock: number;
  /** Other rules that can also match this product (several products, collections, tags). */
  otherRules: string[];
}

export type ProductOfferField =
  | "offerVariantId"
  | "fallbackVariantId"
  | "discount.type"
  | "discount.value"
  | "minimumStock"
  | "form";
export type ProductOfferErrors = Partial<Record<ProductOfferField, string>>;

/** What the block posts with `intent: "save"`; the app validates it with the recipe's schema. */
export interface ProductOfferSaveInput {
  productId: string;
  offerVariantId: string | null;
  fallbackVariantId: string | null;
  discount: { type: "percentage" | "fixed_amount"; value: number | null };
  minimumStock: number | null;
}

export type ProductOfferSaveResult =
  { ok: true; settings: ProductOfferSettings } | { ok: false; errors: ProductOfferErrors };
