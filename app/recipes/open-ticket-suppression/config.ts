import { z } from "zod";
import { listName } from "../shared";

export const configSchema = z.object({
  listName: listName("Open support ticket").meta({
    title: "Klaviyo list",
    description: "Exclude it from your campaigns and flows.",
  }),
  profileProperty: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_ ]{0,49}$/, {
      error: "Letters, digits, spaces and _ only, starting with a letter",
    })
    .default("switchboard_open_ticket")
    .meta({ title: "Klaviyo profile property", description: "true while a ticket is open." }),
});

export type OpenTicketConfig = z.output<typeof configSchema>;
