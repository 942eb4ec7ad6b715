import { vendorName } from "../utils/vendor-names";

/**
 * Activity's sentences: what a recipe run did, as a merchant says it ("Sent Lena Park a review
 * request for #1042", "Held back: open support ticket #500006"). Pure: built from a run's
 * outcome, its actions with their deliveries, and the names read with it
 * (app/models/recipe-activity.server.ts). Ids, vendor calls and timings are never part of a
 * sentence; the screen keeps them behind "Details for support".
 */

/** Hidden skipped runs are counted up to this many ("1000+ skipped runs hidden"). */
export const SKIPPED_COUNT_CAP = 1000;

/** A run's own names: null where the read model has none (or Shopify withholds them). */
export interface RunNames {
  orderName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  ticketNumber: string | null;
  offerProduct: string | null;
  stockProduct: string | null;
}

export interface LineDelivery {
  status: "queued" | "waiting" | "succeeded" | "dead" | "dropped";
  list: string | null;
  metric: string | null;
  tags: string[] | null;
  resource: string | null;
  customerName?: string | null;
  lastError: string | null;
  vendor: string;
}

export interface LineAction {
  kind: string;
  summary?: string;
  status: string;
  reason?: string;
  delivery: LineDelivery | null;
}

export interface LineRun {
  recipeId: string;
  outcome: "acted" | "waiting" | "scheduled" | "skipped" | "blocked" | "failed";
  reasons: string[];
  scheduled: { name: string; at: string }[];
  actions: LineAction[];
  names: RunNames;
}

export type LineTone = "success" | "info" | "warning" | "critical" | "subdued";

export interface RunLine {
  /** The one line a merchant reads. */
  sentence: string;
  /** The run's other actions, and what a held-back run would have done, in the same words. */
  more: string[];
  tone: LineTone;
}

/** "Lena Park", else their email, else "a customer" (Shopify withholds protected data). */
export function customerLabel(names: Pick<RunNames, "firstName" | "lastName" | "email">): string {
  const name = [names.firstName, names.lastName].filter(Boolean).join(" ").trim();
  return name || names.email || "a customer";
}

const possessive = (who: string) => (who.endsWith("s") ? `${who}'` : `${who}'s`);

/** What a recipe's Klaviyo event is, for the merchant; recipes not listed name the event. */
const MESSAGES: Record<string, string> = {
  "review-request-timing": "a review request",
  "shipping-delay-outreach": "a shipping-delay update",
  "replenishment-reminder": "a replenishment reminder",
  "abandoned-checkout-recovery": "an abandoned-checkout reminder",
};

/** One action as a verb and the rest of its sentence: "added" + "Lena Park to the Klaviyo list VIP". */
interface Phrase {
  past: string;
  base: string;
  rest: string;
}

const quoted = (tags: string[] | null | undefined) =>
  (tags ?? []).map((t) => `“${t}”`).join(", ") || "a tag";

function phraseOf(recipeId: string, action: LineAction, names: RunNames): Phrase {
  const who = customerLabel(names);
  const order = names.orderName;
  const about = order ? ` about ${order}` : "";
  const d = action.delivery;
  switch (action.kind) {
    case "klaviyo-event": {
      const message = MESSAGES[recipeId];
      if (message)
        return {
          past: "Sent",
          base: "send",
          rest: `${who} ${message}${order ? ` for ${order}` : ""}`,
        };
      const product = names.stockProduct ? ` about ${names.stockProduct}` : "";
      return {
        past: "Sent",
        base: "send",
        rest: `Klaviyo ${d?.metric ? `“${d.metric}”` : "an event"} for ${who}${product}`,
      };
    }
    case "klaviyo-list-add":
      return {
        past: "Added",
        base: "add",
        rest: `${who} to the Klaviyo list ${d?.list ?? "set in the recipe"}`,
      };
    case "klaviyo-list-remove":
      return {
        past: "Removed",
        base: "remove",
        rest: `${who} from the Klaviyo list ${d?.list ?? "set in the recipe"}`,
      };
    case "klaviyo-profile":
      return { past: "Updated", base: "update", rest: `${possessive(who)} Klaviyo profile` };
    case "gorgias-ticket":
      return { past: "Opened", base: "open", rest: `a Gorgias ticket for ${who}${about}` };
    case "gorgias-tag":
      return {
        past: "Tagged",
        base: "tag",
        rest: `${possessive(who)} open Gorgias ticket ${quoted(d?.tags)}`,
      };
    case "gorgias-note":
      return {
        past: "Added",
        base: "add",
        rest: `a note to ${possessive(who)} Gorgias ticket${about}`,
      };
    case "shopify-tags-add":
      return {
        past: "Tagged",
        base: "tag",
        rest: `${d?.resource === "Customer" ? who : (order ?? "the order")} ${quoted(d?.tags)} in Shopify`,
      };
    case "offer": {
      // The recipe's summary names the discount with its currency ("at €5.00 off").
      const discount = / at (.+? off)\b/.exec(action.summary ?? "")?.[1];
      return {
        past: "Offered",
        base: "offer",
        rest: `${who} ${names.offerProduct ?? "a product"}${discount ? ` at ${discount}` : ""} after ${order ?? "their order"}`,
      };
    }
    case "klaviyo-list-reconcile":
      return {
        past: "Synced",
        base: "sync",
        rest: "the recipe's Klaviyo lists with who belongs on them",
      };
    case "klaviyo-profile-deletion":
      return { past: "Asked", base: "ask", rest: "Klaviyo to erase a customer's profile" };
    case "gorgias-customer-deletion":
      return { past: "Asked", base: "ask", rest: "Gorgias to erase a customer" };
    default:
      return {
        past: "Sent",
        base: "send",
        rest: `a request to ${d ? vendorName(d.vendor) : "a service"}`,
      };
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A recipe's or guard's reason without ids: "ticket 500006" reads "ticket #500006"; a long number
 * naming a customer, order or item reads "the customer" (the names are on the line already).
 */
export function plainReason(reason: string, names: RunNames): string {
  const who = customerLabel(names);
  if (reason === "the customer has an open Gorgias ticket")
    return names.ticketNumber
      ? `open support ticket #${names.ticketNumber}`
      : "the customer has an open support ticket";
  const cap = /^frequency cap: (.+) already reached for this customer$/.exec(reason);
  if (cap) return `${who} already reached the limit of ${cap[1]}`;
  return reason
    .replace(/\bthe recipe failed: /i, "")
    .replace(/\b(ticket) (\d+)\b/gi, "$1 #$2")
    .replace(
      /\b(?:(a|an|the|no|this|that) )?(customer|order|variant|product|inventory item|checkout) \d{5,}\b/gi,
      (_, article: string | undefined, noun: string) => `${article ?? "the"} ${noun.toLowerCase()}`,
    )
    .replace(/\b\d{10,}\b/g, "…");
}

const sentenceOf = (p: Phrase) => `${p.past} ${p.rest}`;
const PASSED = new Set(["requested", "decided", "already-requested"]);

/** One run's line: its first action (or its reason), with any others as `more`. */
export function runLine(run: LineRun, when: (at: string) => string): RunLine {
  const phrases = run.actions.map((a) => ({
    action: a,
    phrase: phraseOf(run.recipeId, a, run.names),
  }));
  const reason = run.reasons[0] ? capitalize(plainReason(run.reasons[0], run.names)) : null;

  const failedDelivery = phrases.find((p) => p.action.delivery?.status === "dead");
  if (run.outcome === "failed")
    return {
      sentence: `Failed: ${reason ?? "the recipe could not finish"}`,
      more: ["It is tried again automatically; details for support are below."],
      tone: "critical",
    };
  if (failedDelivery) {
    const { phrase, action } = failedDelivery;
    return {
      sentence: `Couldn't ${phrase.base} ${phrase.rest}`,
      more: [
        `${vendorName(action.delivery!.vendor)} did not accept it${
          action.delivery!.lastError
            ? `: ${plainReason(action.delivery!.lastError, run.names)}`
            : "."
        }`,
        ...phrases.filter((p) => p !== failedDelivery).map((p) => lineOfAction(p, run.names)),
      ],
      tone: "critical",
    };
  }
  if (run.outcome === "blocked" || run.outcome === "waiting") {
    const held = phrases.filter((p) => !PASSED.has(p.action.status));
    const first = held[0];
    const why = first?.action.reason ? plainReason(first.action.reason, run.names) : reason;
    if (run.outcome === "waiting" && first)
      return {
        sentence: `Waiting: will ${first.phrase.base} ${first.phrase.rest} once ${
          first.action.delivery ? vendorName(first.action.delivery.vendor) : "it"
        } is connected`,
        more: phrases.slice(1).map((p) => lineOfAction(p, run.names)),
        tone: "warning",
      };
    return {
      sentence: `Held back: ${why ?? "a guard held it back"}`,
      more: held.map((p) => `Would have ${p.phrase.past.toLowerCase()} ${p.phrase.rest}`),
      tone: "warning",
    };
  }
  if (run.outcome === "skipped")
    return { sentence: `Skipped: ${reason ?? "nothing to do"}`, more: [], tone: "subdued" };
  const done = phrases.filter((p) => PASSED.has(p.action.status));
  if (done.length > 0) {
    const [first, ...rest] = phrases.filter(
      (p) => PASSED.has(p.action.status) || p.action.delivery,
    );
    return {
      sentence: lineOfAction(first!, run.names),
      more: [
        ...rest.map((p) => lineOfAction(p, run.names)),
        ...phrases
          .filter((p) => !PASSED.has(p.action.status) && !p.action.delivery)
          .map(
            (p) =>
              `Held back: ${p.action.reason ? plainReason(p.action.reason, run.names) : "a guard"}`,
          ),
        ...run.scheduled.map((s) => `Checks again ${when(s.at)}`),
      ],
      tone: "success",
    };
  }
  const next = run.scheduled[0];
  if (next)
    return {
      sentence: `Waiting to check ${run.names.orderName ?? "again"} ${when(next.at)}`,
      more: reason ? [reason] : [],
      tone: "info",
    };
  return { sentence: reason ?? "Updated what the recipe remembers", more: [], tone: "success" };
}

/** An action's own sentence, as far as its delivery got. */
function lineOfAction({ action, phrase }: { action: LineAction; phrase: Phrase }, names: RunNames) {
  const status = action.delivery?.status;
  if (status === "queued") return `Sending: ${phrase.base} ${phrase.rest}`;
  if (status === "waiting")
    return `Waiting: will ${phrase.base} ${phrase.rest} once ${vendorName(action.delivery!.vendor)} is connected`;
  if (status === "dropped")
    return `Dropped: did not ${phrase.base} ${phrase.rest}${
      action.delivery!.lastError ? ` (${plainReason(action.delivery!.lastError, names)})` : ""
    }`;
  if (status === "dead") return `Couldn't ${phrase.base} ${phrase.rest}`;
  if (!PASSED.has(action.status))
    return `Held back: ${action.reason ? plainReason(action.reason, names) : "a guard"}`;
  return sentenceOf(phrase);
}

/** A delivery on its own (the Deliveries tab), with the customer's name the request carried. */
export function deliveryLine(
  recipeId: string,
  kind: string,
  delivery: LineDelivery,
  names: Partial<RunNames>,
): string {
  const full: RunNames = {
    orderName: null,
    firstName: delivery.customerName ?? null,
    lastName: null,
    email: null,
    ticketNumber: null,
    offerProduct: null,
    stockProduct: null,
    ...names,
  };
  return lineOfAction(
    {
      action: { kind, status: "requested", delivery },
      phrase: phraseOf(recipeId, { kind, status: "requested", delivery }, full),
    },
    full,
  );
}
