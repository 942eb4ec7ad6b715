import { describe, expect, it } from "vitest";
import { configSchema } from "./config";
import { decideOffer, type OfferInput } from "./decide-offer";
import { coffeeOfferInput } from "./fixtures/offer-input";

const input = (overrides: Partial<OfferInput> = {}): OfferInput =>
  coffeeOfferInput({ "900": 12, "910": 12, "920": 12, "930": 12 }, overrides);

// Coffee buyers: a grinder at 10 % off; accepted → beans at 20 % off; declined → the same
// grinder at 25 % off (a downsell). Everyone else: stickers, no funnel.
const config = configSchema.parse({
  rules: [
    {
      name: "Coffee funnel",
      productIds: ["100"],
      offerVariantId: "900",
      discount: { type: "percentage", value: 10 },
      nextVariantId: "910",
      nextDiscount: { type: "percentage", value: 20 },
      downsellVariantId: "900",
      downsellDiscount: { type: "percentage", value: 25 },
    },
    { name: "Everyone", everyOrder: true, offerVariantId: "930", fallbackVariantId: "920" },
  ],
});

const after = (answer: "accepted" | "declined", step: "offer" | "next" | "downsell" = "offer") =>
  ({ ruleIndex: 0, step, answer }) as const;

describe("upsell funnels", () => {
  it("follows an accepted offer with the next step, a declined one with the downsell", () => {
    expect(decideOffer(input(), config).offer).toMatchObject({ variantId: "900", step: "offer" });

    const next = decideOffer(
      input({
        lineItems: [
          { productId: "100", variantId: "1000" },
          { productId: null, variantId: "900" },
        ],
        previous: after("accepted"),
      }),
      config,
    ).offer;
    expect(next).toMatchObject({
      variantId: "910",
      step: "next",
      discount: { type: "percentage", value: 20 },
    });

    // The downsell may be the declined grinder itself, at a better price.
    const downsell = decideOffer(
      input({ alreadyOffered: new Set(["900"]), previous: after("declined") }),
      config,
    ).offer;
    expect(downsell).toMatchObject({
      variantId: "900",
      step: "downsell",
      discount: { type: "percentage", value: 25 },
    });
  });

  it("ends after a funnel's step, and when the step is out of stock", () => {
    for (const step of ["next", "downsell"] as const) {
      const decision = decideOffer(input({ previous: after("declined", step) }), config);
      expect(decision.offer).toBeNull();
      expect(decision.reasons).toEqual(["rule “Coffee funnel”: the funnel has no further step"]);
    }
    const short = decideOffer(
      input({ previous: after("accepted"), stock: new Map([["910", 1]]) }),
      config,
    );
    expect(short.offer).toBeNull();
    expect(short.reasons[0]).toMatch(/step after an accepted offer\) has only 1 in stock/);
  });

  it("without a funnel, the rules give the next offer, never one already offered", () => {
    const decision = decideOffer(
      input({
        lineItems: [{ productId: "555", variantId: "5550" }],
        alreadyOffered: new Set(["930"]),
        previous: { ruleIndex: 1, step: "offer", answer: "declined" },
      }),
      config,
    );
    expect(decision.offer).toMatchObject({ variantId: "920", step: "offer", fallback: true });
  });

  it("refuses a downsell identical to the offer, and a next step that repeats it", () => {
    const result = configSchema.safeParse({
      rules: [
        {
          productIds: ["100"],
          offerVariantId: "900",
          nextVariantId: "900",
          downsellVariantId: "900",
        },
      ],
    });
    const issues = result.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toContainEqual([
      "rules.0.downsellVariantId",
      "The downsell is the offer they just declined: choose another variant or discount",
    ]);
    expect(issues).toContainEqual([
      "rules.0.nextVariantId",
      "They have just bought this variant: choose another for the next step",
    ]);
  });
});
