import { z } from "zod";
import type { Locale } from "../../i18n/locale";
import { translator } from "../../i18n/messages";
import { messages } from "./messages";

/**
 * The Integrations forms, parsed in the action (and usable in the browser: no server code).
 * Field errors are keyed by input name; each issue's message is a key of ./messages.ts, which
 * `fieldErrors` reads in the admin's language.
 */
type MessageKey = keyof (typeof messages)["en"];
const m = (key: MessageKey) => key;

/** "acme", "acme.gorgias.com", "https://acme.gorgias.com/app" → "acme". */
export function normalizeGorgiasDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "")
    .replace(/\.gorgias\.com$/, "");
}

export const klaviyoForm = z.object({
  apiKey: z
    .string({ error: m("klaviyoKeyMissing") })
    .trim()
    .min(1, m("klaviyoKeyMissing"))
    .min(10, m("klaviyoKeyShort"))
    .max(200, m("klaviyoKeyLong"))
    .refine((v) => !/\s/.test(v), m("klaviyoKeySpaces")),
});

export const gorgiasForm = z.object({
  domain: z
    .string({ error: m("gorgiasDomainMissing") })
    .transform(normalizeGorgiasDomain)
    .pipe(
      z
        .string()
        .min(1, m("gorgiasDomainMissing"))
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, m("gorgiasDomainFormat")),
    ),
  email: z
    .string({ error: m("gorgiasEmail") })
    .trim()
    .pipe(z.email(m("gorgiasEmail"))),
  apiKey: z
    .string({ error: m("gorgiasKeyMissing") })
    .trim()
    .min(1, m("gorgiasKeyMissing"))
    .max(200, m("gorgiasKeyLong")),
});

export const INTENTS = [
  "klaviyo-connect",
  "klaviyo-check",
  "klaviyo-disconnect",
  "gorgias-test",
  "gorgias-connect",
  "gorgias-disconnect",
] as const;
export type Intent = (typeof INTENTS)[number];

export type FieldErrors = Partial<Record<"apiKey" | "domain" | "email" | "form", string>>;

export interface ActionResult {
  intent: Intent;
  ok: boolean;
  /** A success message, or the form-level error. */
  message?: string;
  errors?: FieldErrors;
}

export function fieldErrors(error: z.ZodError, locale: Locale = "en"): FieldErrors {
  const t = translator(messages, locale);
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form") as keyof FieldErrors;
    errors[field] ??= t(issue.message as MessageKey);
  }
  return errors;
}
