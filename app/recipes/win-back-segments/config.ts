import { z } from "zod";
import { listOf, wholeNumber } from "../shared";

export const configSchema = z.object({
  stages: listOf(wholeNumber("days", 14, 730), { numeric: true })
    .pipe(
      z
        .array(z.number())
        .min(1, { error: "Give at least one number of days" })
        .max(5, { error: "At most 5 stages" })
        .refine((days) => days.every((d, i) => i === 0 || d > days[i - 1]!), {
          error: "List the days from shortest to longest, each once",
        }),
    )
    .default([60, 90, 120])
    .meta({
      title: "Stages: days since the last order",
      description: "Separated by commas, shortest first (14 to 730 days).",
      fr: {
        title: "Étapes : jours depuis la dernière commande",
        description:
          "Séparées par des virgules, de la plus courte à la plus longue (de 14 à 730 jours).",
      },
    }),
  listPrefix: z
    .string()
    .trim()
    .min(1, { error: "Give the lists a name" })
    .max(60, { error: "At most 60 characters" })
    .default("Win-back")
    .meta({
      title: "Klaviyo list names start with",
      description: "Lists are named “<this> <days> days”.",
      fr: {
        title: "Les noms des listes Klaviyo commencent par",
        description: "Les listes sont nommées « <ce texte> <jours> days ».",
      },
    }),
});

export type WinBackConfig = z.output<typeof configSchema>;
