import { describe, expect, it } from "vitest";
import { previewOf } from "../../app/components/OfferPreview";

const resources = {
  "variant/900": { title: "Enamel camp mug — Forest green", price: "24.00", known: true },
};

describe("the upsell offer preview", () => {
  it("draws the page's own words, the variant and its discounted price in the shopper's language", () => {
    const rule = { offerVariantId: "900", discount: { type: "percentage", value: "15" } };
    expect(previewOf(rule, resources, "USD", "en")).toMatchObject({
      headline: "Add this to your order",
      title: "Enamel camp mug — Forest green",
      original: "$24.00",
      price: "$20.40",
      saving: "Save 15% off",
      accept: "Pay now",
      decline: "Decline this offer",
    });
    expect(previewOf(rule, resources, "USD", "fr")).toMatchObject({
      headline: "Ajoutez ceci à votre commande",
      price: expect.stringMatching(/^20,40\s\$US$/),
      accept: "Payer maintenant",
    });
  });

  it("uses the merchant's words for the language shown, a fixed discount, and no price it does not know", () => {
    const rule = {
      offerVariantId: "900",
      discount: { type: "fixed_amount", value: 5 },
      copy: { headlineFr: "Encore une chose", buttonEn: "Add the mug", buttonFr: " " },
    };
    expect(previewOf(rule, resources, "USD", "en")).toMatchObject({
      headline: "Add this to your order",
      accept: "Add the mug",
      price: "$19.00",
      saving: "Save $5.00 off",
    });
    expect(previewOf(rule, resources, "USD", "fr")).toMatchObject({
      headline: "Encore une chose",
      accept: "Payer maintenant",
    });
    const unpriced = previewOf({ offerVariantId: "901" }, resources, "USD", "en");
    expect(unpriced).toMatchObject({ title: null, price: null, saving: null });
  });

  it("shows the rule's countdown as the page starts it, and none without one", () => {
    const rule = { offerVariantId: "900", countdownMinutes: 15 };
    expect(previewOf(rule, resources, "USD", "en").countdown).toBe("Offer ends in 15:00");
    expect(previewOf(rule, resources, "USD", "fr").countdown).toBe("L’offre se termine dans 15:00");
    expect(previewOf({ offerVariantId: "900" }, resources, "USD", "en").countdown).toBeNull();
  });
});
