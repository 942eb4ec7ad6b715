import { z } from "zod";
import type { DeliveryVendor } from "../../../db/schema/index";
import { shopifyIdSchema } from "../../utils/shopify-id";

/**
 * What the recipe engine asks the integrations to do: actions as data. Each becomes one
 * `deliveries` row and one deliver-<vendor> job (request.server.ts), run by execute.server.ts.
 * Shared (no `.server`) so screens can describe actions. A new kind is a schema here, its
 * vendor in VENDOR_OF_KIND, and its case in execute.server.ts.
 *
 * Identity: `recipe` + `source` (+ `discriminator` when one recipe makes several actions of the
 * same kind from one source) name the action; asking twice for the same action delivers once.
 * `source` names what triggered it (`order/5812345678901`, `fulfillment/77/delayed`) and must
 * not contain customer data: it is part of the idempotency key, which is logged.
 */

const base = {
  shop: z.string().min(1),
  recipe: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a recipe id (kebab case)"),
  source: z.string().min(1).max(120),
  discriminator: z.string().min(1).max(64).optional(),
};

const profileRef = z
  .object({
    email: z.email().optional(),
    /** E.164, e.g. +15555550123. */
    phoneNumber: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "an E.164 phone number")
      .optional(),
    externalId: z.string().min(1).max(255).optional(),
  })
  .refine(
    (p) => p.email || p.phoneNumber || p.externalId,
    "needs an email, phone number or external id",
  );

const profile = profileRef.and(
  z.object({
    firstName: z.string().max(255).nullish(),
    lastName: z.string().max(255).nullish(),
    /** Custom profile properties, merged key by key. */
    properties: z.record(z.string(), z.unknown()).optional(),
  }),
);

const listName = z.string().trim().min(1).max(255);

export const klaviyoEventAction = z.object({
  kind: z.literal("klaviyo-event"),
  ...base,
  metric: z.string().trim().min(1).max(127),
  profile,
  properties: z.record(z.string(), z.unknown()).default({}),
  value: z.number().finite().optional(),
  valueCurrency: z.string().length(3).optional(),
  /** ISO 8601; defaults to when Klaviyo receives it. */
  time: z.iso.datetime({ offset: true }).optional(),
});

export const klaviyoProfileAction = z.object({
  kind: z.literal("klaviyo-profile"),
  ...base,
  profile,
});

export const klaviyoListAddAction = z.object({
  kind: z.literal("klaviyo-list-add"),
  ...base,
  list: listName,
  profile,
});

export const klaviyoListRemoveAction = z.object({
  kind: z.literal("klaviyo-list-remove"),
  ...base,
  list: listName,
  profile: profileRef,
});

const gorgiasCustomer = z.object({ email: z.email(), name: z.string().max(255).optional() });

export const gorgiasTicketAction = z.object({
  kind: z.literal("gorgias-ticket"),
  ...base,
  customer: gorgiasCustomer,
  subject: z.string().trim().min(1).max(998),
  bodyText: z.string().min(1).max(100_000),
  bodyHtml: z.string().max(200_000).optional(),
  tags: z.array(z.string().trim().min(1).max(256)).max(20).default([]),
  /** See GorgiasTicketInput.fromAgent. */
  fromAgent: z.boolean().default(false),
});

/** Tags on a ticket: the given one, else the customer's newest open ticket (none: nothing to do). */
export const gorgiasTagAction = z.object({
  kind: z.literal("gorgias-tag"),
  ...base,
  customer: gorgiasCustomer,
  tags: z.array(z.string().trim().min(1).max(256)).min(1).max(20),
  ticketId: z.number().int().positive().optional(),
});

/** An internal note, targeted like gorgias-tag. */
export const gorgiasNoteAction = z.object({
  kind: z.literal("gorgias-note"),
  ...base,
  customer: gorgiasCustomer,
  bodyText: z.string().min(1).max(100_000),
  bodyHtml: z.string().max(200_000).optional(),
  ticketId: z.number().int().positive().optional(),
});

/** Tags on an order or customer in the shop's Shopify admin (tagsAdd: adding a tag twice is harmless). */
export const shopifyTagsAddAction = z.object({
  kind: z.literal("shopify-tags-add"),
  ...base,
  resource: z.enum(["Order", "Customer"]),
  id: shopifyIdSchema,
  tags: z.array(z.string().trim().min(1).max(255)).min(1).max(20),
});

/**
 * Erase a person from the merchant's Klaviyo account (a Data Privacy deletion job), asked by a
 * `customers/redact`. One identifier: Klaviyo deletes every profile matching it and refuses a
 * request naming several. The row keeps the identifier only until Klaviyo accepts the job.
 */
export const klaviyoProfileDeletionAction = z.object({
  kind: z.literal("klaviyo-profile-deletion"),
  ...base,
  profile: z.union([
    z.object({ email: z.email() }).strict(),
    z
      .object({ phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, "an E.164 phone number") })
      .strict(),
  ]),
});

/** Erase a person from the merchant's Gorgias helpdesk: their tickets, then the customer. */
export const gorgiasCustomerDeletionAction = z.object({
  kind: z.literal("gorgias-customer-deletion"),
  ...base,
  customer: z.object({ email: z.email() }),
});

export const deliveryActionSchema = z.discriminatedUnion("kind", [
  klaviyoEventAction,
  klaviyoProfileAction,
  klaviyoListAddAction,
  klaviyoListRemoveAction,
  gorgiasTicketAction,
  gorgiasTagAction,
  gorgiasNoteAction,
  shopifyTagsAddAction,
  klaviyoProfileDeletionAction,
  gorgiasCustomerDeletionAction,
]);

/** An action as the engine builds it (defaults may be omitted). */
export type DeliveryActionInput = z.input<typeof deliveryActionSchema>;
/** An action as stored and executed. */
export type DeliveryAction = z.output<typeof deliveryActionSchema>;
export type DeliveryKind = DeliveryAction["kind"];

/** The one map from action kind to the vendor (and deliver-<vendor> task) that carries it out. */
const VENDOR_OF_KIND: Record<DeliveryKind, DeliveryVendor> = {
  "klaviyo-event": "klaviyo",
  "klaviyo-profile": "klaviyo",
  "klaviyo-list-add": "klaviyo",
  "klaviyo-list-remove": "klaviyo",
  "gorgias-ticket": "gorgias",
  "gorgias-tag": "gorgias",
  "gorgias-note": "gorgias",
  "shopify-tags-add": "shopify",
  "klaviyo-profile-deletion": "klaviyo",
  "gorgias-customer-deletion": "gorgias",
};

/** Kinds that erase a person at a vendor (customers/redact): their rows outlive the redaction. */
export const ERASURE_KINDS: ReadonlySet<DeliveryKind> = new Set([
  "klaviyo-profile-deletion",
  "gorgias-customer-deletion",
]);

/** Whether an action kind is a delivery (one of the kinds this module defines). */
export function isDeliveryKind(kind: string): kind is DeliveryKind {
  return Object.hasOwn(VENDOR_OF_KIND, kind);
}

export function vendorOf(kind: DeliveryKind): DeliveryVendor {
  return VENDOR_OF_KIND[kind];
}

export type DeliveryActionInputOf<Kind extends DeliveryKind> = Extract<
  DeliveryActionInput,
  { kind: Kind }
>;

/**
 * The source-id part of the job key `<task>:<shop>:<source id>`: recipe, source, kind, and the
 * target that tells two actions of one kind apart (metric, list).
 */
export function actionSourceId(action: DeliveryAction): string {
  const target =
    action.kind === "klaviyo-event"
      ? action.metric
      : action.kind === "klaviyo-list-add" || action.kind === "klaviyo-list-remove"
        ? action.list
        : undefined;
  return [action.recipe, action.source, action.kind, target, action.discriminator]
    .filter((part) => part !== undefined)
    .join(":");
}

/** Klaviyo `unique_id` for an event: shop + source + recipe, so a replay never fires a flow twice. */
export function klaviyoUniqueId(action: z.output<typeof klaviyoEventAction>): string {
  return [action.shop, action.source, action.recipe, action.discriminator]
    .filter((part) => part !== undefined)
    .join(":");
}
