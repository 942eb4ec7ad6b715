import { z } from "zod";
import { listName, money, wholeNumber } from "../shared";

export const configSchema = z
  .object({
    minLifetimeSpend: money(0)
      .default(1000)
      .meta({
        title: "VIP when lifetime spend reaches",
        description: "In your store's currency, after refunds; 0 ignores spend.",
        fr: {
          title: "VIP quand le total dépensé atteint",
          description:
            "Dans la devise de votre boutique, après remboursements ; 0 ignore le montant dépensé.",
        },
      }),
    minOrders: wholeNumber("orders", 0, 1000)
      .default(5)
      .meta({
        title: "…or when they have placed this many orders",
        description: "0 ignores the order count.",
        fr: {
          title: "…ou quand le client a passé ce nombre de commandes",
          description: "0 ignore le nombre de commandes.",
        },
      }),
    listName: listName("VIP customers").meta({
      title: "Klaviyo list",
      fr: { title: "Liste Klaviyo" },
    }),
    profileProperty: z
      .string()
      .trim()
      .regex(/^[A-Za-z][A-Za-z0-9_ ]{0,49}$/, {
        error: "Letters, digits, spaces and _ only, starting with a letter",
      })
      .default("switchboard_vip")
      .meta({
        title: "Klaviyo profile property",
        description: "Set to true for VIPs, false when they no longer qualify.",
        fr: {
          title: "Propriété du profil Klaviyo",
          description: "true pour les VIP, false quand ils ne le sont plus.",
        },
      }),
  })
  .refine((c) => c.minLifetimeSpend > 0 || c.minOrders > 0, {
    error: "Set a spend or an order count (both are 0)",
    path: ["minLifetimeSpend"],
  });

export type VipConfig = z.output<typeof configSchema>;
