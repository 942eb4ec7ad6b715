import { z } from "zod";

/**
 * The Integrations forms, parsed in the action (and usable in the browser: no server code).
 * Field errors are keyed by input name.
 */

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
    .string({ error: "Enter your Klaviyo private API key." })
    .trim()
    .min(1, "Enter your Klaviyo private API key.")
    .min(10, "That is too short for a Klaviyo private API key.")
    .max(200, "That is too long for a Klaviyo private API key.")
    .refine((v) => !/\s/.test(v), "The key has spaces in it: copy it again from Klaviyo."),
});

export const gorgiasForm = z.object({
  domain: z
    .string({ error: "Enter your Gorgias domain." })
    .transform(normalizeGorgiasDomain)
    .pipe(
      z
        .string()
        .min(1, "Enter your Gorgias domain.")
        .regex(
          /^[a-z0-9][a-z0-9-]{0,62}$/,
          "Use the part before .gorgias.com, e.g. acme for acme.gorgias.com.",
        ),
    ),
  email: z
    .string({ error: "Enter the email of the Gorgias user the key belongs to." })
    .trim()
    .pipe(z.email("Enter the email of the Gorgias user the key belongs to.")),
  apiKey: z
    .string({ error: "Enter the user's Gorgias API key." })
    .trim()
    .min(1, "Enter the user's Gorgias API key.")
    .max(200, "That is too long for a Gorgias API key."),
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

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form") as keyof FieldErrors;
    errors[field] ??= issue.message;
  }
  return errors;
}
