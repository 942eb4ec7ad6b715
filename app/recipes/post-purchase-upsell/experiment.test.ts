import { describe, expect, it } from "vitest";
import { configSchema } from "./config";
import { decideOffer, type OfferInput } from "./decide-offer";
import { assignArm, experimentOf } from "./experiment";
import { coffeeOfferInput } from "./fixtures/offer-input";

const rule = (overrides: Record<string, unknown> = {}) =>
  configSchema.parse({
    rules: [
      {
        name: "Coffee → mug",
        productIds: ["100"],
        offerVariantId: "900",
        fallbackVariantId: "901",
        discount: { type: "percentage", value: 10 },
        testShare: 50,
        testVariantId: "950",
        testDiscount: { type: "percentage", value: 20 },
        holdoutShare: 10,
        ...overrides,
      },
    ],
  });

const input = (shopper: string, overrides: Partial<OfferInput> = {}): OfferInput =>
  coffeeOfferInput({ "900": 12, "901": 40, "950": 12 }, { shopper, ...overrides });

describe("A/B test with a holdout", () => {
  it("splits shoppers as set (10 % holdout, then half of the rest to B) and keeps each customer's version", () => {
    const experiment = experimentOf(rule().rules[0]!)!;
    const counts = { A: 0, B: 0, holdout: 0 };
    for (let customer = 1; customer <= 20_000; customer += 1)
      counts[assignArm(experiment, `customer:${customer}`)] += 1;
    // 10 % ± 0.7 points, 45 % ± 1 point each (binomial, 20,000 draws: > 4 standard deviations).
    expect(counts.holdout / 20_000).toBeGreaterThan(0.093);
    expect(counts.holdout / 20_000).toBeLessThan(0.107);
    expect(counts.B / 20_000).toBeGreaterThan(0.44);
    expect(counts.B / 20_000).toBeLessThan(0.46);
    for (let customer = 1; customer <= 50; customer += 1)
      expect(assignArm(experiment, `customer:${customer}`)).toBe(
        assignArm(experimentOf(rule().rules[0]!)!, `customer:${customer}`),
      );
  });

  it("shows version B's variant and discount to a B shopper, the rule's offer to an A shopper", () => {
    const config = rule();
    const experiment = experimentOf(config.rules[0]!)!;
    const shopperIn = (arm: string) =>
      Array.from({ length: 200 }, (_, i) => `customer:${i}`).find(
        (s) => assignArm(experiment, s) === arm,
      )!;
    expect(decideOffer(input(shopperIn("B")), config).offer).toMatchObject({
      variantId: "950",
      discount: { type: "percentage", value: 20 },
      experiment: { key: experiment.key, arm: "B" },
    });
    expect(decideOffer(input(shopperIn("A")), config).offer).toMatchObject({
      variantId: "900",
      discount: { type: "percentage", value: 10 },
      experiment: { key: experiment.key, arm: "A" },
    });
    // B short of stock: the rule's fallback, at B's discount, still in version B.
    expect(
      decideOffer(
        input(shopperIn("B"), {
          stock: new Map([
            ["901", 40],
            ["950", 1],
          ]),
        }),
        config,
      ).offer,
    ).toMatchObject({ variantId: "901", fallback: true, discount: { value: 20 } });
  });

  it("holds a holdout shopper out only when an offer was in stock for them", () => {
    const config = rule();
    const experiment = experimentOf(config.rules[0]!)!;
    const held = Array.from({ length: 500 }, (_, i) => `customer:${i}`).find(
      (s) => assignArm(experiment, s) === "holdout",
    )!;
    const decision = decideOffer(input(held), config);
    expect(decision.offer).toBeNull();
    expect(decision.heldOut).toMatchObject({
      key: experiment.key,
      arm: "holdout",
      variantId: "900",
    });
    expect(decision.reasons.at(-1)).toMatch(/holdout/);
    // Nothing in stock: they would have seen nothing anyway, so they are not counted as held out.
    const empty = decideOffer(input(held, { stock: new Map() }), config);
    expect(empty.heldOut).toBeUndefined();
  });

  it("starts a new test when what it compares changes, and none without a split", () => {
    const before = experimentOf(rule().rules[0]!)!.key;
    expect(
      experimentOf(rule({ testDiscount: { type: "percentage", value: 25 } }).rules[0]!)!.key,
    ).not.toBe(before);
    expect(experimentOf(rule({ name: "Renamed" }).rules[0]!)!.key).toBe(before);
    expect(experimentOf(rule({ testShare: 0, holdoutShare: 0 }).rules[0]!)).toBeNull();
    expect(
      decideOffer(input("customer:1"), rule({ testShare: 0, holdoutShare: 0 })).offer?.experiment,
    ).toBeNull();
  });

  it("refuses a version B identical to the offer, inline on the field", () => {
    const result = configSchema.safeParse({
      rules: [
        {
          productIds: ["100"],
          offerVariantId: "900",
          discount: { type: "percentage", value: 10 },
          testShare: 50,
          testDiscount: { type: "percentage", value: 10 },
        },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toContainEqual(
      expect.objectContaining({
        path: ["rules", 0, "testVariantId"],
        message: "Version B is the same as the offer: choose another variant or discount",
      }),
    );
  });
});
