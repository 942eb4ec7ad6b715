import { describe, expect, it } from "vitest";
import { plainFailure } from "../../models/vendor-failure";
import { deadLetterLine } from "./lines";

const klaviyoListAdd = {
  vendor: "klaviyo",
  operation: "list-add",
  recipe: "vip-tier-sync",
  lastError: null,
  list: "VIP customers",
  metric: null,
  tags: null,
  resource: null,
  customerName: "Lena Park",
};

describe("a failed job in plain words", () => {
  it("says what a vendor's failure means, not its endpoint and status", () => {
    const line = deadLetterLine({
      task: "deliver-klaviyo",
      error: "Klaviyo profile-import failed 502: injected server error",
      errorKind: "exhausted",
      attempts: 9,
      delivery: klaviyoListAdd,
    });
    expect(line.why).toBe(
      "Klaviyo kept failing, so it stopped after 9 tries: its servers answered with an error",
    );
    expect(line.why).not.toMatch(/profile-import|502/);
  });

  it("says it in French", () => {
    const line = deadLetterLine(
      {
        task: "deliver-klaviyo",
        error: "Klaviyo list-add failed 401: Missing or invalid private key.",
        errorKind: "terminal",
        attempts: 1,
        delivery: klaviyoListAdd,
      },
      "fr",
    );
    expect(line.why).toBe(
      "Klaviyo l’a refusé : il n’accepte plus la clé ; reconnectez-le dans Intégrations",
    );
  });

  it("tells a timeout, an unreachable host, a limit and a refusal apart", () => {
    expect(plainFailure("Gorgias create-ticket failed: no answer within 10000 ms")).toBe(
      "it did not answer in time",
    );
    expect(plainFailure("Gorgias create-ticket failed: host not found (ENOTFOUND)")).toBe(
      "it could not be reached",
    );
    expect(plainFailure("Shopify tags-add failed 429: Throttled")).toBe(
      "it kept asking us to slow down",
    );
    expect(plainFailure("Klaviyo list-add failed 400: The list is archived.")).toBe(
      "it did not accept what was sent (The list is archived.)",
    );
    // Our own words are already plain.
    expect(plainFailure("the order is no longer in the read model")).toBe(
      "the order is no longer in the read model",
    );
  });
});
