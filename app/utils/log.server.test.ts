import { describe, expect, it } from "vitest";
import { redactSecrets } from "./log.server";

describe("redactSecrets", () => {
  it("hides session tokens and Shopify tokens a library line quotes, and keeps the rest", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJkZXN0IjoiaHR0cHM6Ly9hIn0.c2lnbmF0dXJlLXBhcnQ";
    const line = `[shopify-api/DEBUG] Attempting to authenticate session token | {sessionToken: {"search":"?id_token=${jwt}"}} shop=a.myshopify.com token=shpat_0123456789abcdef0123 refresh=shprt_abcdef0123456789abcd`;
    const redacted = redactSecrets(line);
    expect(redacted).not.toContain(jwt);
    expect(redacted).not.toMatch(/shpat_|shprt_/);
    expect(redacted).toContain("Attempting to authenticate session token");
    expect(redacted).toContain("shop=a.myshopify.com");
    expect(redacted.match(/\[redacted\]/g)).toHaveLength(3);
  });
});
