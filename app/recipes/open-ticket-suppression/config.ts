import { z } from "zod";
import { listName } from "../shared";

export const configSchema = z.object({
  listName: listName("Open support ticket").meta({
    title: "Klaviyo list",
    description: "Exclude it from your campaigns and flows.",
    fr: { title: "Liste Klaviyo", description: "Excluez-la de vos campagnes et flows." },
  }),
  profileProperty: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_ ]{0,49}$/, {
      error: "Letters, digits, spaces and _ only, starting with a letter",
    })
    .default("switchboard_open_ticket")
    .meta({
      title: "Klaviyo profile property",
      description: "true while a ticket is open.",
      fr: {
        title: "Propriété du profil Klaviyo",
        description: "true tant qu’un ticket est ouvert.",
      },
    }),
});

export type OpenTicketConfig = z.output<typeof configSchema>;
