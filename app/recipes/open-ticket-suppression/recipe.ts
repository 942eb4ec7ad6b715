import { storedReason } from "../reason-copy";
import { klaviyoListAdd, klaviyoListRemove, klaviyoProfile, profileOf } from "../actions";
import { defineRecipe, type RecipeResult } from "../engine/define-recipe";
import { epoch } from "../shared";
import { configSchema } from "./config";

export const RECIPE_ID = "open-ticket-suppression";

export const openTicketSuppression = defineRecipe({
  id: RECIPE_ID,
  title: "Open-ticket suppression",
  summary:
    "While a customer has an open Gorgias ticket, marks them in Klaviyo so your own flows can hold off too.",
  fr: {
    title: "Mise en sourdine pendant un ticket ouvert",
    summary:
      "Tant qu’un client a un ticket Gorgias ouvert, le signale dans Klaviyo pour que vos propres flows attendent aussi.",
  },
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
  describe(config, locale = "en") {
    if (locale === "fr")
      return `Quand un ticket Gorgias s’ouvre, ajoute le client à « ${config.listName} » et définit ${config.profileProperty} ; l’en retire quand son dernier ticket ouvert est fermé. Les recettes de Switchboard attendent de toute façon (règle de protection commune).`;
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
        skip: storedReason("otherTicketOpen", { ticket: String(event.ticketId) }),
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
    text: {
      en: {
        text_one: "{count} customer has an open Gorgias ticket right now.",
        text_other: "{count} customers have an open Gorgias ticket right now.",
      },
      fr: {
        text_one: "{count} client a un ticket Gorgias ouvert en ce moment.",
        text_other: "{count} clients ont un ticket Gorgias ouvert en ce moment.",
      },
    },
  },
});
