import { describe, expect, it } from "vitest";
import { configSchema } from "./config";
import { candidateVariants, decideOffer, type OfferInput } from "./decide-offer";
import { coffeeOfferInput } from "./fixtures/offer-input";

const config = configSchema.parse({
  minimumStock: 3,
  rules: [
    {
      name: "Coffee → mug",
      productIds: ["100"],
      offerVariantId: "900",
      fallbackVariantId: "901",
      discount: { type: "percentage", value: 15 },
    },
    { name: "Gear tag", tags: ["Brewing"], offerVariantId: "910" },
    { collectionIds: ["55"], offerVariantId: "920", discount: { type: "fixed_amount", value: 5 } },
  ],
});

const input = (overrides: Partial<OfferInput> = {}): OfferInput =>
  coffeeOfferInput({ "900": 12, "901": 40, "910": 8, "920": 8 }, overrides);

describe("decideOffer", () => {
  it("offers the first matching rule's variant with its discount", () => {
    expect(decideOffer(input(), config)).toEqual({
      offer: {
        variantId: "900",
        discount: { type: "percentage", value: 15 },
        ruleIndex: 0,
        ruleName: "Coffee → mug",
        fallback: false,
        step: "offer",
        experiment: null,
      },
      wanted: "900",
      reasons: [],
    });
  });

  it("falls back when the first choice is below the minimum stock", () => {
    const decision = decideOffer(
      input({
        stock: new Map([
          ["900", 2],
          ["901", 40],
        ]),
      }),
      config,
    );
    expect(decision.offer).toMatchObject({ variantId: "901", fallback: true });
    expect(decision.reasons).toEqual([
      "rule “Coffee → mug”: variant 900 has only 2 in stock (minimum 3)",
    ]);
  });

  it("skips a paused variant, one already in the order, and one with unknown stock", () => {
    expect(decideOffer(input({ paused: new Set(["900"]) }), config).offer?.variantId).toBe("901");
    expect(
      decideOffer(input({ lineItems: [{ productId: "100", variantId: "900" }] }), config).offer
        ?.variantId,
    ).toBe("901");
    const unknown = decideOffer(input({ stock: new Map() }), config);
    expect(unknown.offer).toBeNull();
    expect(unknown.wanted).toBe("900");
    expect(unknown.reasons).toContain(
      "rule “Coffee → mug”: variant 901 (fallback) has unknown stock",
    );
  });

  it("matches product tags case-insensitively and collections, in rule order", () => {
    const products = new Map([["200", { tags: ["brewing"], collectionIds: ["55"] }]]);
    const decision = decideOffer(
      input({ lineItems: [{ productId: "200", variantId: "2000" }], products }),
      config,
    );
    expect(decision.offer).toMatchObject({ variantId: "910", ruleIndex: 1 });
    const onlyCollection = new Map([["200", { tags: [], collectionIds: ["55"] }]]);
    expect(
      decideOffer(
        input({ lineItems: [{ productId: "200", variantId: "2000" }], products: onlyCollection }),
        config,
      ).offer,
    ).toMatchObject({
      variantId: "920",
      discount: { type: "fixed_amount", value: 5 },
    });
  });

  it("offers nothing when the guards say no, when no rule matches, or below the minimum order total", () => {
    expect(
      decideOffer(
        input({ guard: { ok: false, reason: "the customer has an open Gorgias ticket" } }),
        config,
      ),
    ).toEqual({
      offer: null,
      wanted: null,
      reasons: ["the customer has an open Gorgias ticket"],
    });
    expect(
      decideOffer(input({ lineItems: [{ productId: "999", variantId: "1" }] }), config).reasons,
    ).toEqual(["no offer rule matches this order"]);
    expect(
      decideOffer(input({ orderTotal: 20 }), { ...config, minimumOrderTotal: 50 }).offer,
    ).toBeNull();
  });

  it("lists every variant any rule could offer (what to check stock for)", () => {
    expect(candidateVariants(config).sort()).toEqual(["900", "901", "910", "920"]);
  });
});
