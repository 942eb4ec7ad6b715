import { z } from "zod";
import type { ParsedVendorError } from "../http.server";

/** Klaviyo's JSON:API error document (`components.responses.ClientError`). */
export const klaviyoErrorBody = z.object({
  errors: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        status: z.union([z.number(), z.string()]).optional(),
        code: z.string().optional(),
        title: z.string().optional(),
        detail: z.string().optional(),
        source: z
          .looseObject({ pointer: z.string().optional(), parameter: z.string().optional() })
          .nullish(),
      }),
    )
    .min(1),
});

export type KlaviyoErrorBody = z.infer<typeof klaviyoErrorBody>;

/**
 * The vendor's message for a failed call: every error's detail (or title), with where it points
 * (`/data/attributes/email`, `filter`), joined; the first error's code.
 */
export function parseKlaviyoError(status: number, body: string): ParsedVendorError {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const parsed = klaviyoErrorBody.safeParse(json);
  if (!parsed.success) {
    const text = body.trim().slice(0, 300);
    return { detail: text ? `HTTP ${status}: ${text}` : `HTTP ${status} with no error body` };
  }
  const detail = parsed.data.errors
    .map((error) => {
      const where =
        error.source?.pointer ??
        (error.source?.parameter ? `parameter ${error.source.parameter}` : undefined);
      const text = error.detail ?? error.title ?? error.code ?? "unknown error";
      return where && where !== "/data/" ? `${text} (at ${where})` : text;
    })
    .join("; ");
  const code = parsed.data.errors[0]!.code;
  return code ? { detail, code } : { detail };
}
