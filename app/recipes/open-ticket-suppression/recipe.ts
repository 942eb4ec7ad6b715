import { klaviyoListAdd, klaviyoListRemove, klaviyoProfile, profileOf } from "../actions";
import { defineRecipe, type RecipeResult } from "../engine/define-recipe";
import { epoch, plural } from "../shared";
import { configSchema } from "./config";

export const RECIPE_ID = "open-ticket-suppression";

export const openTicketSuppression = defineRecipe({
  id: RECIPE_ID,
  title: "Open-ticket suppression",
  summary:
    "While a customer has an open Gorgias ticket, marks them in Klaviyo so your own flows can hold off too.",
  requires: ["klaviyo", "gorgias"],
  triggers: [
    {
      type: "ticket",
      actsFor: {
        opened: "whose support ticket opened, so your flows hold back",
        closed: "whose last open ticket closed, so your flows carry on",
      },
    },
  ],
  configSchema,
  describe(config) {
    return `When a Gorgias ticket opens, adds the customer to “${config.listName}” and sets ${config.profileProperty}; takes them off when their last open ticket closes. Switchboard's own recipes hold back regardless (shared guard).`;
  },
  async run(event, ctx, config): Promise<RecipeResult | null> {
    if (event.type !== "ticket") return null;
    const customer = await ctx.customerByEmail(event.email);
    const ref = { id: customer?.id ?? null, email: event.email };
    const subject = {
      label: customer ? `Customer ${customer.id}` : `Ticket ${event.ticketId}`,
      customerId: customer?.id ?? null,
    };
    const source = `ticket/${event.ticketId}/${event.status}/${epoch(event.changedAt)}`;
    const profile = profileOf({ ...customer, email: event.email });
    if (event.status === "open") {
      return {
        subject,
        actions: [
          klaviyoListAdd(
            {
              source,
              channel: "sync",
              customer: ref,
              summary: `Add ${customer ? `customer ${customer.id}` : "the ticket's customer"} to “${config.listName}” (ticket ${event.ticketId} opened)`,
            },
            {
              list: config.listName,
              profile: { ...profile, properties: { [config.profileProperty]: true } },
            },
          ),
        ],
      };
    }
    if (await ctx.hasOpenTicket(event.email))
      return {
        subject,
        skip: `ticket ${event.ticketId} closed, but another of their tickets is still open`,
      };
    return {
      subject,
      actions: [
        klaviyoListRemove(
          {
            source,
            channel: "sync",
            customer: ref,
            summary: `Remove from “${config.listName}” (ticket ${event.ticketId} closed)`,
          },
          { list: config.listName, profile: { email: event.email } },
        ),
        klaviyoProfile(
          {
            source,
            channel: "sync",
            customer: ref,
            summary: `Set ${config.profileProperty} = false`,
          },
          { profile: { ...profile, properties: { [config.profileProperty]: false } } },
        ),
      ],
    };
  },
  // The list in bulk (tickets imported at connect included); `run` follows each ticket change.
  segments: (config) => [
    {
      list: config.listName,
      rule: { type: "open-ticket" },
      properties: () => ({ [config.profileProperty]: true }),
      leaverProperties: { [config.profileProperty]: false },
    },
  ],
  signal: {
    count: (sql, { shop }) =>
      sql`select count(*) from gorgias_tickets where shop = ${shop} and status = 'open'`,
    text: (count) =>
      `${plural(count, "customer has", "customers have")} an open Gorgias ticket right now.`,
  },
});
