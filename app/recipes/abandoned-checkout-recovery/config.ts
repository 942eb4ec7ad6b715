import { z } from "zod";
import { metricName, money, tagList, wholeNumber } from "../shared";

export const configSchema = z.object({
  abandonAfterHours: wholeNumber("hours", 1, 72).default(4).meta({
    title: "Treat a checkout as abandoned when no order follows within",
    description: "Counted from the last time the customer changed their checkout. 1 to 72 hours.",
    unit: "hours",
  }),
  metric: metricName("Checkout Abandoned").meta({
    title: "Klaviyo event name",
    description:
      "Trigger your cart-recovery flow on it. It carries only the items still in stock, and your recovery link.",
  }),
  suggestAlternatives: z.boolean().default(true).meta({
    title: "Suggest another size or colour that is in stock when an item has sold out",
  }),
  noteOnOpenTicket: z.boolean().default(true).meta({
    title:
      "Customers with an open Gorgias ticket get no email: leave a note on their ticket instead",
  }),
  whiteGloveFrom: money(0).default(500).meta({
    title: "Carts worth at least this go to your team as a Gorgias ticket instead of an email",
    description: "In your store's currency, before shipping and taxes. 0 turns this off.",
  }),
  ticketTags: tagList()
    .default(["switchboard", "abandoned-checkout"])
    .meta({ title: "Ticket tags", description: "Separated by commas." }),
});

export type AbandonedCheckoutConfig = z.output<typeof configSchema>;
