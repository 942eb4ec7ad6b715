import type { ParsedVendorError } from "../http.server";

type FieldErrors = { [field: string]: string[] | FieldErrors };

/** `{"messages": {"0": {"channel": ["Missing data…"]}}}` → `messages.0.channel: Missing data…`. */
function flatten(data: unknown, path: string[] = []): string[] {
  if (Array.isArray(data)) return [`${path.join(".") || "(body)"}: ${data.map(String).join(" ")}`];
  if (data && typeof data === "object") {
    return Object.entries(data as FieldErrors).flatMap(([key, value]) =>
      flatten(value, key === "_schema" ? path : [...path, key]),
    );
  }
  return data === undefined || data === null
    ? []
    : [`${path.join(".") || "(body)"}: ${String(data)}`];
}

/**
 * The vendor's message for a failed Gorgias call. Gorgias answers `{"error": {"msg", "data"}}`
 * with field errors under `data`; other shapes (`{"message"}`, `{"errors": [{"detail"}]}` from
 * proxies) are read too, and anything else is quoted.
 */
export function parseGorgiasError(status: number, body: string): ParsedVendorError {
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (json && typeof json === "object") {
    if (json.error && typeof json.error === "object" && typeof json.error.msg === "string") {
      const fields = flatten(json.error.data);
      return { detail: fields.length ? `${json.error.msg} ${fields.join("; ")}` : json.error.msg };
    }
    if (typeof json.error === "string") return { detail: json.error };
    if (typeof json.message === "string") return { detail: json.message };
    if (Array.isArray(json.errors) && json.errors.length) {
      return {
        detail: json.errors
          .map((e: any) => e?.detail ?? e?.message ?? JSON.stringify(e))
          .join("; "),
      };
    }
  }
  const text = body.trim().slice(0, 300);
  return { detail: text ? `HTTP ${status}: ${text}` : `HTTP ${status} with no error body` };
}
