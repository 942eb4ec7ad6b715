import { z } from "zod";
import { money, tagList } from "../shared";

export const configSchema = z.object({
  threshold: money(1).default(500).meta({
    title: "Orders worth at least",
    description:
      "In your store's currency (orders paid in another currency are converted by Shopify).",
  }),
  orderTag: z
    .string()
    .trim()
    .min(1, { error: "Give the tag a name" })
    .max(40, { error: "At most 40 characters" })
    .regex(/^[^,]+$/, { error: "One tag, without commas" })
    .default("white-glove")
    .meta({ title: "Tag the order in Shopify with" }),
  tagCustomer: z.boolean().default(false).meta({ title: "Tag the customer too" }),
  openTicket: z
    .boolean()
    .default(true)
    .meta({ title: "Open a Gorgias ticket for a personal follow-up" }),
  ticketTags: tagList()
    .default(["switchboard", "white-glove"])
    .meta({ title: "Ticket tags", description: "Separated by commas." }),
});

export type WhiteGloveConfig = z.output<typeof configSchema>;
