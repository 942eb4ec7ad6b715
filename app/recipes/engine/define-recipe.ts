import type { z } from "zod";
import type { Topic, TOPIC_SCHEMAS } from "../../webhooks/payloads";
import type { RecipeContext } from "./context";
import type { ShopifyId } from "../../utils/shopify-id";
import type { Locale } from "../../i18n/locale";
import type { Messages } from "../../i18n/messages";
import type { Channel, CustomerRef } from "./channel";

/**
 * The recipe contract. A recipe is data plus one function: what starts it (`triggers`), what
 * the merchant can set (`configSchema`, zod with a default for every field, shared by the engine
 * and the settings form), and `run`, which reads the shop through a narrow context and returns
 * what it wants done as data. The engine applies the shared guards, records the run and hands
 * the actions to whoever executes them; it never calls a vendor itself.
 */

export { CHANNELS, type Channel, type CustomerRef } from "./channel";

/**
 * What starts a recipe. `actsFor` says whom its runs act for, in the merchant's words, after
 * "Would have written to 14 customers" in a dry run ("whose parcels were late"); without it the
 * dry run names the trigger ("after a parcel scan").
 */
export type RecipeTrigger =
  /** Shopify webhooks, after the read model has applied them. */
  | { type: "webhook"; topics: readonly Topic[]; actsFor?: string }
  /** A Gorgias ticket opened or closed (the helpdesk's HTTP integration). */
  | { type: "ticket"; actsFor?: { opened?: string; closed?: string } }
  /** Once a day per shop (scans). */
  | { type: "daily"; actsFor?: string };

export type WebhookEvent = {
  [T in Topic]: {
    type: "webhook";
    topic: T;
    eventId: number;
    data: z.output<(typeof TOPIC_SCHEMAS)[T]>;
  };
}[Topic];

export interface TicketEvent {
  type: "ticket";
  ticketId: number;
  /** Lower-cased. */
  email: string;
  status: "open" | "closed";
  changedAt: Date;
}

export interface DailyEvent {
  type: "daily";
  /** The shop's local date (YYYY-MM-DD) the scan is for. */
  date: string;
}

/** A follow-up a recipe scheduled for itself ("N hours after X"), now due. */
export interface FollowUpEvent {
  type: "follow-up";
  name: string;
  subject: string;
  /** Ids only: follow-up data is stored in the job queue. */
  data: Record<string, string | number | boolean | null>;
  dueAt: Date;
  /** 1 the first time; higher when the recipe deferred it (`FollowUp.attempt`). */
  attempt: number;
}

export type RecipeEvent = WebhookEvent | TicketEvent | DailyEvent | FollowUpEvent;

/**
 * One thing a recipe wants done, as data. `kind` and `data` mean something to the executor
 * (app/recipes/dispatch.server.ts), not to the engine; the engine reads the envelope.
 */
export interface RecipeAction {
  kind: string;
  channel: Channel;
  /**
   * What triggered it, without customer data (`order/5812345678901`, `fulfillment/77`). With
   * shop, recipe and `discriminator` it forms the idempotency key: the same source never
   * produces the same action twice.
   */
  source: string;
  discriminator?: string;
  customer?: CustomerRef;
  /** For people (Activity, dry runs). Ids and order names only, no emails. */
  summary: string;
  /**
   * The integration it needs ("klaviyo", "gorgias"). Not connected → held (`waiting`) and
   * delivered when it is connected again, or dropped after a week (app/recipes/held-work.server.ts).
   */
  requires?: string;
  data: unknown;
}

export interface FollowUp {
  name: string;
  /** Names what it is about (`order/123`); with the name and attempt it forms the job key. */
  subject: string;
  at: Date;
  data?: Record<string, string | number | boolean | null>;
  /** 1 unless this defers an earlier follow-up. */
  attempt?: number;
}

export interface StateWrite {
  subject: string;
  /** Whose it is, for privacy redaction. */
  customerId?: ShopifyId | null;
  /** null deletes. */
  value: Record<string, unknown> | null;
}

export interface RecipeResult {
  /** The order/customer the run was about (Activity filters on them). */
  subject?: { label: string; orderId?: ShopifyId | null; customerId?: ShopifyId | null };
  /** Appended to the event key when one event yields several results (scans). */
  key?: string;
  actions?: RecipeAction[];
  /** Why nothing was done. */
  skip?: string;
  /** The guard that made the recipe hold its message back for now (an open ticket…), if one did. */
  heldBack?: string;
  /** Notes worth showing (fallback used, stock source…). */
  notes?: string[];
  followUps?: FollowUp[];
  state?: StateWrite[];
}

export interface RecipeDefinition<
  Schema extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>,
> {
  /** Stable: stored in the database. Kebab case; equals the folder name. */
  id: string;
  title: string;
  /** One line for the catalog card. */
  summary: string;
  /** The name and catalog line in French (`recipeText` picks by the admin's language). */
  fr: { title: string; summary: string };
  /**
   * Integrations it cannot work without ("klaviyo", "gorgias"). While one is not connected the
   * recipe still runs and its actions for it wait (Home names the recipe in a critical banner).
   */
  requires: readonly string[];
  triggers: readonly RecipeTrigger[];
  configSchema: Schema;
  /**
   * "What it will do" with these settings, one sentence; in French when `locale` is "fr". `money`
   * says an amount of the settings in the shop's currency (`shopMoney`).
   */
  describe(config: z.output<Schema>, locale?: Locale, money?: (amount: number) => string): string;
  /** Extra checks the schema cannot make (products exist). Returns messages by field path. */
  validate?(config: z.output<Schema>, catalog: CatalogCheck): Promise<Record<string, string>>;
  run(
    event: RecipeEvent,
    ctx: RecipeContext,
    config: z.output<Schema>,
  ): Promise<RecipeResult | RecipeResult[] | null>;
  /** What the shop's own data says this recipe would have to do, for Home's "what to switch on next". */
  signal?: RecipeSignal;
  /**
   * The segments this recipe keeps in the integration it requires (Klaviyo lists), declared
   * rather than computed: a reconciliation job computes each from the read model, diffs it
   * against what the list holds and sends the difference in bulk, when the recipe is switched on
   * and every day. `run` may still move single customers between reconciliations.
   */
  segments?(config: z.output<Schema>): SegmentDeclaration[];
}

/**
 * Who belongs in a segment, as a rule over the read model (the engine's own vocabulary):
 * - `customers`: lifetime spend (after refunds) or order count at a threshold (either; 0 or
 *   absent ignores it);
 * - `lapsed`: the last order at least `minDays` ago and, with `maxDays`, less than that;
 * - `open-ticket`: anyone with an open helpdesk ticket.
 * Members need an email address; customers without one are left out.
 */
export type SegmentRule =
  | { type: "customers"; minLifetimeSpend?: number; minOrders?: number }
  | { type: "lapsed"; minDays: number; maxDays?: number }
  | { type: "open-ticket" };

/** A segment member as the read model knows them (customer fields null for a ticket-only email). */
export interface SegmentMemberView {
  customerId: ShopifyId | null;
  /** Lower-cased. */
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  lifetimeSpend: number;
  orderCount: number;
  lastOrderAt: Date | null;
}

export interface SegmentDeclaration {
  /** The list the segment is kept in (the name the merchant configured). */
  list: string;
  rule: SegmentRule;
  /** Profile properties a member gets when added. */
  properties?(member: SegmentMemberView): Record<string, unknown>;
  /** Profile properties set on whoever leaves the segment (e.g. a flag back to false). */
  leaverProperties?: Record<string, unknown>;
}

/**
 * A recipe's Home signal: a count over the shop's data and the sentence that says it. `count`
 * writes one scalar SQL subquery with the tag it is handed (values are bound as parameters);
 * Home puts every recipe's subquery into a single query, so the signals cost one round trip.
 * `text` is the sentence in each admin language, with plural forms (`{count}` is the count;
 * French reads 0 and 1 as singular), said by `signalText`.
 */
export interface RecipeSignal {
  count(sql: SignalSqlTag, scope: SignalScope): SignalSql;
  text: Messages<SignalCatalog>;
  /** An amount the count is over, in the shop's currency: `{amount}` in the text. */
  amount?: number;
}

export type SignalCatalog = { readonly text_one: string; readonly text_other: string };

export interface SignalScope {
  shop: string;
  /** The instant `days` days before now, as an ISO timestamp (a query parameter). */
  daysAgo(days: number): string;
}

/** Opaque: whatever the query builder makes of the template; only Home's query reads it. */
export type SignalSql = { readonly signalSql: unique symbol };
export type SignalSqlTag = (strings: TemplateStringsArray, ...values: unknown[]) => SignalSql;

/** What `validate` may ask about the shop's catalog (read model first, then Shopify). */
export interface CatalogCheck {
  /** The ids among `ids` that exist as product variants. */
  existingVariants(ids: ShopifyId[]): Promise<Set<ShopifyId>>;
  existingProducts(ids: ShopifyId[]): Promise<Set<ShopifyId>>;
  existingCollections(ids: ShopifyId[]): Promise<Set<ShopifyId>>;
  existingSkus(skus: string[]): Promise<Set<string>>;
}

export type AnyRecipe = RecipeDefinition<any>;

/** Declares a recipe; returns it unchanged, typed (run's config is the schema's output). */
export function defineRecipe<Schema extends z.ZodType<Record<string, unknown>>>(
  recipe: RecipeDefinition<Schema>,
): RecipeDefinition<Schema> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(recipe.id))
    throw new Error(`recipe id "${recipe.id}" must be kebab case`);
  return recipe;
}

export function listensTo(recipe: AnyRecipe, event: RecipeEvent): boolean {
  switch (event.type) {
    case "webhook":
      return recipe.triggers.some((t) => t.type === "webhook" && t.topics.includes(event.topic));
    case "follow-up":
      // A recipe's own follow-ups are routed to it by id, not by trigger.
      return true;
    default:
      return recipe.triggers.some((t) => t.type === event.type);
  }
}

/** A short name for the trigger, stored with the run. */
export function triggerLabel(event: RecipeEvent): string {
  switch (event.type) {
    case "webhook":
      return event.topic;
    case "ticket":
      return `gorgias/ticket-${event.status === "open" ? "opened" : "closed"}`;
    case "daily":
      return "daily-scan";
    case "follow-up":
      return `follow-up:${event.name}`;
  }
}

/** The event's identity: with shop and recipe, one run row. */
export function eventKey(event: RecipeEvent): string {
  switch (event.type) {
    case "webhook":
      return `webhook/${event.eventId}`;
    case "ticket":
      return `ticket/${event.ticketId}/${event.status}/${event.changedAt.getTime()}`;
    case "daily":
      return `daily/${event.date}`;
    case "follow-up":
      return `follow-up/${event.name}/${event.subject}/${event.attempt}`;
  }
}
