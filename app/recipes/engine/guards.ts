import { z } from "zod";
import type { Channel } from "./define-recipe";

/**
 * The guards every recipe shares, configured once per shop (Recipes → Shared guards). Shared by
 * the engine and the settings form, so no server code here.
 */
export const guardConfigSchema = z.object({
  marketingMax: z
    .int({ error: "Enter a whole number" })
    .min(1, { error: "At least 1 (switch recipes off to send none)" })
    .max(10, { error: "At most 10" })
    .default(1)
    .meta({
      title: "Marketing messages per customer",
      description: "Review requests, reminders and back-in-stock notes, across every recipe.",
      fr: {
        title: "Messages marketing par client",
        description:
          "Demandes d’avis, rappels et alertes de retour en stock, toutes recettes confondues.",
      },
    }),
  marketingWindowHours: z
    .int({ error: "Enter a whole number of hours" })
    .min(1, { error: "At least 1 hour" })
    .max(24 * 30, { error: "At most 720 hours (30 days)" })
    .default(24)
    .meta({
      title: "…within this many hours",
      unit: "hours",
      fr: { title: "…sur ce nombre d’heures" },
    }),
  upsellMax: z
    .int({ error: "Enter a whole number" })
    .min(1, { error: "At least 1" })
    .max(10, { error: "At most 10" })
    .default(1)
    .meta({
      title: "Upsell offers per customer",
      fr: { title: "Offres de vente incitative par client" },
    }),
  upsellWindowDays: z
    .int({ error: "Enter a whole number of days" })
    .min(1, { error: "At least 1 day" })
    .max(365, { error: "At most 365 days" })
    .default(14)
    .meta({
      title: "…within this many days",
      unit: "days",
      fr: { title: "…sur ce nombre de jours" },
    }),
  suppressWhileTicketOpen: z
    .boolean()
    .default(true)
    .meta({
      title: "Hold back marketing and offers while the customer has an open Gorgias ticket",
      fr: {
        title: "Retenir le marketing et les offres tant que le client a un ticket Gorgias ouvert",
      },
    }),
  suppressAfterRefund: z
    .boolean()
    .default(true)
    .meta({
      title: "Hold back marketing and offers while a refund is pending or recent",
      fr: {
        title: "Retenir le marketing et les offres quand un remboursement est en attente ou récent",
      },
    }),
  refundWindowDays: z
    .int({ error: "Enter a whole number of days" })
    .min(1, { error: "At least 1 day" })
    .max(90, { error: "At most 90 days" })
    .default(14)
    .meta({
      title: "A refund counts as recent for",
      unit: "days",
      fr: { title: "Un remboursement compte comme récent pendant" },
    }),
  inventoryMaxAgeMinutes: z
    .int({ error: "Enter a whole number of minutes" })
    .min(0, { error: "Can't be negative" })
    .max(24 * 60, { error: "At most 1440 minutes (a day)" })
    .default(15)
    .meta({
      title: "Re-check stock with Shopify when the last update is older than",
      description:
        "Shopify tells Switchboard about every stock change; if the last word is older than this, an offer asks Shopify first (0 = always ask).",
      unit: "minutes",
      fr: {
        title:
          "Revérifier le stock auprès de Shopify quand la dernière mise à jour date de plus de",
        description:
          "Shopify signale chaque changement de stock à Switchboard ; si la dernière nouvelle date de plus longtemps, une offre interroge d’abord Shopify (0 = toujours).",
      },
    }),
});

export type GuardConfig = z.output<typeof guardConfigSchema>;

export const DEFAULT_GUARDS: GuardConfig = guardConfigSchema.parse({});

/** Channels counted against a frequency cap, with their cap. */
export function capOf(
  channel: Channel,
  config: GuardConfig,
): { max: number; windowMs: number; label: string } | null {
  if (channel === "marketing") {
    return {
      max: config.marketingMax,
      windowMs: config.marketingWindowHours * 3_600_000,
      label: `${config.marketingMax} marketing message${config.marketingMax === 1 ? "" : "s"} per ${config.marketingWindowHours} h`,
    };
  }
  if (channel === "upsell") {
    return {
      max: config.upsellMax,
      windowMs: config.upsellWindowDays * 86_400_000,
      label: `${config.upsellMax} upsell${config.upsellMax === 1 ? "" : "s"} per ${config.upsellWindowDays} days`,
    };
  }
  return null;
}

/**
 * The upsell cap counts purchases that were shown a post-purchase offer (rows of `upsell_offers`,
 * a funnel's steps on one purchase counting once), never the
 * recipe's decisions on orders/create: an order paid with a wallet skips the post-purchase page
 * and shows nothing. When the recipe itself asks (on orders/create), an offer shown this
 * recently is taken to be that same purchase's own (the page runs around the order's creation),
 * not an earlier upsell. The checkout's decision excludes its own purchase exactly, by reference id.
 */
export const UPSELL_OWN_PURCHASE_WINDOW_MS = 65 * 60_000;

/**
 * SQL counting the upsell offers shown to a customer in a window (see UPSELL_OWN_PURCHASE_WINDOW_MS):
 * the shop, the customer id, the window's start and now are the given parameter expressions.
 */
export function shownUpsellsSql(shop: string, customerId: string, since: string, now: string) {
  // One touch per purchase: a funnel's later steps are the same upsell.
  return `(select count(distinct u.reference_id) from upsell_offers u where u.shop = ${shop} and u.customer_id = ${customerId}
     and u.shown_at > ${since} and u.shown_at <= ${now} - interval '${UPSELL_OWN_PURCHASE_WINDOW_MS / 1000} seconds')::int`;
}

/** Channels held back while a ticket or refund is open. */
export function isSuppressible(channel: Channel): boolean {
  return channel === "marketing" || channel === "upsell";
}

/** The guards in one sentence, for screens. */
export function describeGuards(config: GuardConfig): string {
  const parts = [
    `at most ${config.marketingMax} marketing message${config.marketingMax === 1 ? "" : "s"} per customer every ${config.marketingWindowHours} h`,
    `${config.upsellMax} upsell${config.upsellMax === 1 ? "" : "s"} every ${config.upsellWindowDays} days`,
  ];
  const holds = [
    config.suppressWhileTicketOpen ? "a Gorgias ticket is open" : null,
    config.suppressAfterRefund ? "a refund is pending or recent" : null,
  ].filter(Boolean);
  return `${parts.join(", ")}${holds.length ? `; nothing while ${holds.join(" or ")}` : ""}.`;
}

/** "a day", "every 2 days", "an hour", "every 12 hours": a cap's window as people say it. */
function perWindow(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? "a day" : `every ${hours / 24} days`;
  return hours === 1 ? "an hour" : `every ${hours} hours`;
}

const count = (n: number, one: string, many: string) => (n === 1 ? `one ${one}` : `${n} ${many}`);

/**
 * What the guards promise, as Home says it ("They …"): each clause from the shop's settings,
 * nothing the settings do not enforce.
 */
export function guardPromises(config: GuardConfig): string {
  const clauses = [
    "never offer what is out of stock",
    `send each customer at most ${count(config.marketingMax, "marketing message", "marketing messages")} ${perWindow(config.marketingWindowHours)}`,
    `offer at most ${count(config.upsellMax, "upsell", "upsells")} ${config.upsellWindowDays === 1 ? "a day" : `every ${config.upsellWindowDays} days`}`,
  ];
  const holds = [
    config.suppressWhileTicketOpen ? "has an open Gorgias ticket" : null,
    config.suppressAfterRefund
      ? `has a refund pending or from the last ${config.refundWindowDays === 1 ? "day" : `${config.refundWindowDays} days`}`
      : null,
  ].filter((h): h is string => h !== null);
  if (holds.length) clauses.push(`stay quiet while a customer ${holds.join(" or ")}`);
  const last = clauses.pop()!;
  return `They ${clauses.join(", ")} and ${last}.`;
}
