import { describe, expect, it } from "vitest";
import { configSchema } from "./config";
import { decideOffer, type OfferInput } from "./decide-offer";
import { coffeeOfferInput } from "./fixtures/offer-input";

const input = (overrides: Partial<OfferInput> = {}): OfferInput =>
  coffeeOfferInput({ "900": 12, "910": 12, "920": 12 }, overrides);

const config = configSchema.parse({
  rules: [
    // VIP customers spending $100 to $500 on coffee: the grinder.
    {
      name: "VIP coffee",
      productIds: ["100"],
      customerTags: ["VIP"],
      subtotalAtLeast: 100,
      subtotalAtMost: 500,
      offerVariantId: "900",
    },
    // Coffee buyers: the mug.
    { name: "Coffee", productIds: ["100"], offerVariantId: "910" },
    // Everyone else: stickers.
    { name: "Everyone", everyOrder: true, offerVariantId: "920" },
  ],
});

const offered = (overrides: Partial<OfferInput>) =>
  decideOffer(input(overrides), config).offer?.variantId ?? null;

describe("offer targeting", () => {
  it("needs the customer's tag and the subtotal range, as well as the product, on a rule that sets them", () => {
    expect(offered({ orderTotal: 150, customerTags: ["vip", "wholesale"] })).toBe("900");
    expect(offered({ orderTotal: 150, customerTags: [] })).toBe("910");
    expect(offered({ orderTotal: 80, customerTags: ["VIP"] })).toBe("910");
    expect(offered({ orderTotal: 600, customerTags: ["VIP"] })).toBe("910");
    expect(offered({ orderTotal: 500, customerTags: ["VIP"] })).toBe("900");
  });

  it("gives the catch-all's offer to an order no earlier rule takes", () => {
    expect(offered({ lineItems: [{ productId: "555", variantId: "5550" }] })).toBe("920");
    // Its offer out of stock: nothing, and it says why.
    const decision = decideOffer(
      input({ lineItems: [{ productId: "555", variantId: "5550" }], stock: new Map() }),
      config,
    );
    expect(decision.offer).toBeNull();
  });

  it("refuses rules that can never match, inline on the field that makes it so", () => {
    const result = configSchema.safeParse({
      rules: [
        { everyOrder: true, offerVariantId: "920" },
        { productIds: ["100"], offerVariantId: "910", subtotalAtLeast: 200, subtotalAtMost: 100 },
      ],
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toContainEqual([
      "rules.0.everyOrder",
      "Rules after a catch-all can never match: make it the last rule",
    ]);
    expect(issues).toContainEqual([
      "rules.1.subtotalAtMost",
      "No order can be both: the most must be at least the least",
    ]);
    // A catch-all needs no product; a rule without either still says what is missing.
    expect(
      configSchema.safeParse({ rules: [{ everyOrder: true, offerVariantId: "920" }] }).success,
    ).toBe(true);
    expect(configSchema.safeParse({ rules: [{ offerVariantId: "920" }] }).success).toBe(false);
  });

  it("matches a customer's earlier orders and the shipping country, any listed country", () => {
    const rules = configSchema.parse({
      rules: [
        // First orders shipping to Canada or the US: the mug.
        {
          everyOrder: true,
          previousOrdersAtMost: 0,
          shippingCountries: "ca, US",
          offerVariantId: "910",
        },
      ],
    });
    expect(rules.rules[0]!.shippingCountries).toEqual(["CA", "US"]);
    const offer = (overrides: Partial<OfferInput>) =>
      decideOffer(input(overrides), rules).offer?.variantId ?? null;
    expect(offer({ previousOrders: 0, shippingCountry: "CA" })).toBe("910");
    expect(offer({ previousOrders: 0, shippingCountry: "us" })).toBe("910");
    expect(offer({ previousOrders: 1, shippingCountry: "CA" })).toBeNull();
    expect(offer({ previousOrders: 0, shippingCountry: "FR" })).toBeNull();
    expect(offer({ previousOrders: 0, shippingCountry: null })).toBeNull();

    const loyal = configSchema.parse({
      rules: [{ everyOrder: true, previousOrdersAtLeast: 3, offerVariantId: "920" }],
    });
    expect(decideOffer(input({ previousOrders: 3 }), loyal).offer?.variantId).toBe("920");
    expect(decideOffer(input({ previousOrders: 2 }), loyal).offer).toBeNull();
    // A guest (no count) is a new customer.
    expect(decideOffer(input(), loyal).offer).toBeNull();
  });

  it("says which country code or order range is wrong, inline", () => {
    const result = configSchema.safeParse({
      rules: [
        {
          everyOrder: true,
          previousOrdersAtLeast: 3,
          previousOrdersAtMost: 1,
          shippingCountries: "CA, Canada",
          offerVariantId: "920",
        },
      ],
    });
    const issues = result.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toContainEqual([
      "rules.0.shippingCountries.1",
      "Use two-letter country codes, like US or FR",
    ]);
    expect(issues).toContainEqual([
      "rules.0.previousOrdersAtMost",
      "No customer can be both: the most must be at least the least",
    ]);
  });
});
