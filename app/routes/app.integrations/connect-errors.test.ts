import { describe, expect, it } from "vitest";
import { connectErrorIn } from "./connect-errors";
import { fieldErrors, klaviyoForm } from "./validator";

describe("Integrations errors in the admin's language", () => {
  it("shows a vendor's refusal in French on the same field, and English unchanged", () => {
    const refused =
      "Klaviyo did not accept these credentials (invalid API key). Check that you copied the whole key.";
    expect(connectErrorIn(refused, "en")).toBe(refused);
    expect(connectErrorIn(refused, "fr")).toBe(
      "Klaviyo n'a pas accepté ces identifiants (invalid API key). Vérifiez que vous avez copié la clé en entier.",
    );
    expect(
      connectErrorIn(
        'No Gorgias helpdesk answers at acme.gorgias.com: check the domain (the "acme" in acme.gorgias.com).',
        "fr",
      ),
    ).toBe(
      "Aucun helpdesk Gorgias ne répond à l'adresse acme.gorgias.com : vérifiez le domaine (le « acme » de acme.gorgias.com).",
    );
    expect(connectErrorIn("Something new", "fr")).toBe("Something new");
  });

  it("checks the form fields in French", () => {
    const parsed = klaviyoForm.safeParse({ apiKey: "short" });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(fieldErrors(parsed.error)).toEqual({
      apiKey: "That is too short for a Klaviyo private API key.",
    });
    expect(fieldErrors(parsed.error, "fr")).toEqual({
      apiKey: "C'est trop court pour une clé d'API privée Klaviyo.",
    });
  });
});
