import { z } from "zod";
import { listName, money, wholeNumber } from "../shared";

export const configSchema = z
  .object({
    minLifetimeSpend: money(0).default(1000).meta({
      title: "VIP when lifetime spend reaches",
      description: "In your store's currency, after refunds; 0 ignores spend.",
    }),
    minOrders: wholeNumber("orders", 0, 1000).default(5).meta({
      title: "…or when they have placed this many orders",
      description: "0 ignores the order count.",
    }),
    listName: listName("VIP customers").meta({ title: "Klaviyo list" }),
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
      }),
  })
  .refine((c) => c.minLifetimeSpend > 0 || c.minOrders > 0, {
    error: "Set a spend or an order count (both are 0)",
    path: ["minLifetimeSpend"],
  });

export type VipConfig = z.output<typeof configSchema>;
