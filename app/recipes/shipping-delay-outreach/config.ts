import { z } from "zod";
import { metricName, tagList, wholeNumber } from "../shared";

export const DELAY_STATUSES = ["delayed", "failure", "attempted_delivery"] as const;

export const configSchema = z.object({
  statuses: z
    .array(z.enum(DELAY_STATUSES))
    .min(1, { error: "Pick at least one carrier status" })
    .default([...DELAY_STATUSES])
    .meta({
      title: "Reach out when the carrier reports",
      options: {
        delayed: "Delayed",
        failure: "Delivery failed",
        attempted_delivery: "Delivery attempted",
      },
    }),
  unshippedAfterHours: wholeNumber("hours", 0, 720).default(48).meta({
    title: "…or when a paid order is still not shipped after",
    description: "0 turns this off. At most 720 hours (30 days).",
    unit: "hours",
  }),
  metric: metricName("Shipment Delayed").meta({
    title: "Klaviyo event name",
    description: "Trigger your delay email flow on it.",
  }),
  openTicket: z.boolean().default(true).meta({
    title: "Open a Gorgias ticket so the team can follow up (or tag the customer's open ticket)",
  }),
  ticketTags: tagList()
    .default(["switchboard", "proactive-wismo"])
    .meta({ title: "Ticket tags", description: "Separated by commas." }),
});

export type ShippingDelayConfig = z.output<typeof configSchema>;
