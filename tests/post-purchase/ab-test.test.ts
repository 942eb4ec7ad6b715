import "../helpers/real-fetch";
import "../helpers/shopify";
import { and, eq, isNotNull } from "drizzle-orm";
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, expect, it } from "vitest";
import { orders, upsellHoldouts, upsellOffers } from "../../db/schema/index";
import { UpsellAnalytics } from "../../app/components/UpsellAnalytics";
import {
  getGuardConfig,
  getRecipeSettings,
  saveGuardConfig,
  saveRecipeConfig,
} from "../../app/models/recipe-settings.server";
import { keepTestVersion } from "../../app/models/upsell-experiments.server";
import { configSchema } from "../../app/recipes/post-purchase-upsell/config";
import { experimentOf } from "../../app/recipes/post-purchase-upsell/experiment";
import { upsellAnalytics } from "../../app/models/upsell-analytics.server";
import { forgetShopOfferSettings } from "../../app/post-purchase/decide.server";
import { action as offerAction } from "../../app/routes/api.post-purchase.offer";
import { CATALOG, checkoutRequest, purchaseToken, seedUpsellShop } from "../helpers/post-purchase";
import { describeWithRuntime } from "../helpers/runtime";
import { SHOP_A } from "../helpers/vendors";

/** Which version a checkout answer shows: B offers the lantern, A the mug, the holdout nothing. */
const versionSeen = (body: { offer: { variantId: unknown } | null }) =>
  body.offer
    ? String(body.offer.variantId) === String(CATALOG.lantern.variantId)
      ? "B"
      : "A"
    : "holdout";

const RULE = {
  name: "Tent buyers",
  productIds: [String(CATALOG.tent.productId)],
  offerVariantId: String(CATALOG.mug.variantId),
  discount: { type: "percentage", value: 15 },
  // Version B: the lantern at 25 % off, to half of those not held out; 20 % see nothing.
  testShare: 50,
  testVariantId: String(CATALOG.lantern.variantId),
  testDiscount: { type: "percentage", value: 25 },
  holdoutShare: 20,
};

describeWithRuntime("upsell A/B test with a holdout, through the checkout", ({ runtime }) => {
  const db = () => runtime().database.db;
  const now = () => runtime().clock.now();
  let purchases = 0;

  beforeAll(async () => {
    await seedUpsellShop(db(), SHOP_A, { mug: 500, lantern: 500 });
    await saveRecipeConfig(db(), SHOP_A, "post-purchase-upsell", {
      rules: [RULE],
      minimumStock: 3,
    });
    forgetShopOfferSettings(SHOP_A);
  });

  async function checkout(customerId: number) {
    purchases += 1;
    const referenceId = `ab-${customerId}-${purchases}`;
    const token = await purchaseToken({
      shop: SHOP_A,
      referenceId,
      customerId,
      lineItems: [{ ...CATALOG.tent, quantity: 1 }],
      total: "84.00",
      iat: Math.floor(now().getTime() / 1000),
    });
    const response = await offerAction({
      request: checkoutRequest("/api/post-purchase/offer", {
        token,
        shop: SHOP_A,
        referenceId,
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);
    return { referenceId, body: (await response.json()) as { offer: any; reason?: string } };
  }

  it("shows each customer one version, always the same, and records the holdout who see none", async () => {
    const seen = new Map<number, string>();
    for (let customer = 1; customer <= 80; customer += 1) {
      const { body } = await checkout(7_300_000_000 + customer);
      const version = versionSeen(body);
      seen.set(customer, version);
      if (version === "A")
        expect(body.offer).toMatchObject({ discount: { valueType: "percentage", value: 15 } });
      if (version === "B")
        expect(body.offer).toMatchObject({ discount: { valueType: "percentage", value: 25 } });
      if (version === "holdout") expect(body.reason).toMatch(/holdout/);
    }
    const counts = [...seen.values()].reduce<Record<string, number>>(
      (all, v) => ({ ...all, [v]: (all[v] ?? 0) + 1 }),
      {},
    );
    // 80 buyers: every version has some (20 % / 40 % / 40 % expected).
    expect(counts.holdout).toBeGreaterThan(4);
    expect(counts.A).toBeGreaterThan(15);
    expect(counts.B).toBeGreaterThan(15);

    // A second purchase by the same customers (the upsell cap raised so it allows one): the
    // same version each time.
    await saveGuardConfig(db(), SHOP_A, { ...(await getGuardConfig(db(), SHOP_A)), upsellMax: 10 });
    forgetShopOfferSettings(SHOP_A);
    for (let customer = 1; customer <= 20; customer += 1) {
      const { body } = await checkout(7_300_000_000 + customer);
      const again = versionSeen(body);
      expect(again, `customer ${customer}`).toBe(seen.get(customer));
    }

    // Stored: shown offers with their version, the holdout once per purchase, not as offers.
    const shown = await db()
      .select({ arm: upsellOffers.arm })
      .from(upsellOffers)
      .where(and(eq(upsellOffers.shop, SHOP_A), isNotNull(upsellOffers.experimentKey)));
    const held = await db().select().from(upsellHoldouts).where(eq(upsellHoldouts.shop, SHOP_A));
    const heldBuyers = [...seen.entries()].filter(([c, v]) => v === "holdout" && c <= 20).length;
    expect(held).toHaveLength(counts.holdout! + heldBuyers);
    expect(held.every((h) => h.variantId === String(CATALOG.mug.variantId))).toBe(true);
    expect(shown.filter((o) => o.arm === "B")).toHaveLength(
      counts.B! + [...seen.entries()].filter(([c, v]) => v === "B" && c <= 20).length,
    );
  });

  it("reports each version's buyers, charges and value per buyer against the holdout on Home", async () => {
    // Charge every third B offer and every fifth A offer; two holdout customers order again.
    const rows = await db()
      .select()
      .from(upsellOffers)
      .where(and(eq(upsellOffers.shop, SHOP_A), isNotNull(upsellOffers.experimentKey)));
    let chargedA = 0;
    let chargedB = 0;
    for (const [i, row] of rows.entries()) {
      const charge = row.arm === "B" ? i % 3 === 0 : i % 5 === 0;
      if (!charge) continue;
      if (row.arm === "B") chargedB += 1;
      else chargedA += 1;
      await db()
        .update(upsellOffers)
        .set({
          status: "accepted",
          respondedAt: now(),
          chargedAt: now(),
          chargedRevenue: row.arm === "B" ? "30.00" : "20.40",
        })
        .where(eq(upsellOffers.id, row.id));
    }
    const held = await db().select().from(upsellHoldouts).where(eq(upsellHoldouts.shop, SHOP_A));
    const later = new Date(now().getTime() + 3 * 86_400_000);
    await db()
      .insert(orders)
      .values(
        // Customers with one purchase in the test (from the first round only).
        held
          .filter((h) => Number(h.customerId) > 7_300_000_020)
          .slice(0, 2)
          .map((h, i) => ({
            shop: SHOP_A,
            id: String(9_100_000_000 + i),
            name: `#${9100 + i}`,
            customerId: h.customerId,
            currency: "USD",
            totalPrice: "50.00",
            currentTotalPrice: "50.00",
            createdAt: later,
            sourceUpdatedAt: later,
          })),
      );

    const data = await upsellAnalytics(db(), SHOP_A, {
      days: 30,
      now: new Date(later.getTime() + 60_000),
    });
    expect(data.tests).toHaveLength(1);
    const [test] = data.tests;
    expect(test).toMatchObject({
      running: true,
      ruleName: "Tent buyers",
      testShare: 50,
      holdoutShare: 20,
    });
    const version = (arm: string) => test!.versions.find((v) => v.arm === arm)!;
    const buyersA = rows.filter((r) => r.arm === "A").length;
    const buyersB = rows.filter((r) => r.arm === "B").length;
    expect(version("A")).toMatchObject({ buyers: buyersA, accepted: chargedA, charged: chargedA });
    expect(version("B")).toMatchObject({ buyers: buyersB, accepted: chargedB, charged: chargedB });
    expect(version("A").revenue).toBeCloseTo(chargedA * 20.4, 5);
    expect(version("B").valuePerBuyer).toBeCloseTo((chargedB * 30) / buyersB, 5);
    expect(version("holdout").buyers).toBe(held.length);
    // What the holdout spent anyway: two orders of $50 over its buyers.
    expect(version("holdout").valuePerBuyer).toBeCloseTo(100 / held.length, 5);
    expect(version("B").offer).toMatchObject({
      title: CATALOG.lantern.title,
      discount: { type: "percentage", value: 25 },
    });
    const lift = test!.incremental.find((l) => l.arm === "B")!.difference!;
    expect(lift.estimate).toBeCloseTo((chargedB * 30) / buyersB - 100 / held.length, 5);
    expect(lift.low).toBeLessThan(lift.estimate);
    expect(test!.verdict).toMatchObject({ kind: "too-few" });

    const html = renderToString(
      createElement(
        AppProvider,
        { i18n: enTranslations },
        createElement(UpsellAnalytics, { data }),
      ),
    );
    expect(html).toContain("A/B tests");
    expect(html).toContain("Rule “Tent buyers”: A/B test");
    expect(html).toContain("50 % of shoppers see version B, 20 % see no offer (the holdout).");
    expect(html).toContain(`${CATALOG.lantern.title}, 25 % off`);
    expect(html).toContain("Too early to call: each version needs at least 100 buyers");
    expect(html).toMatch(
      /Against the holdout, version B adds [+−]\$\d+\.\d\d per buyer \(95 % confidence: /,
    );
  });
});

describeWithRuntime("ending an upsell A/B test", ({ runtime }) => {
  const db = () => runtime().database.db;
  it("keeps version B as the rule's offer and ends the split and holdout; refuses a test that changed", async () => {
    await seedUpsellShop(db(), SHOP_A, { mug: 50, lantern: 50 });
    await saveRecipeConfig(db(), SHOP_A, "post-purchase-upsell", {
      rules: [RULE],
      minimumStock: 3,
    });
    const rule = configSchema.parse({ rules: [RULE] }).rules[0]!;
    const key = experimentOf(rule)!.key;
    expect(await keepTestVersion(db(), SHOP_A, "t-other", "B")).toEqual({
      ok: false,
      reason: "changed",
    });
    expect(await keepTestVersion(db(), SHOP_A, key, "B")).toMatchObject({ ok: true, arm: "B" });
    const saved = configSchema.parse(
      (await getRecipeSettings(db(), SHOP_A, "post-purchase-upsell"))!.config,
    );
    expect(saved.rules[0]).toMatchObject({
      name: "Tent buyers",
      offerVariantId: String(CATALOG.lantern.variantId),
      discount: { type: "percentage", value: 25 },
      testShare: 0,
      holdoutShare: 0,
    });
    expect(saved.rules[0]!.testVariantId).toBeUndefined();
    expect(experimentOf(saved.rules[0]!)).toBeNull();
    // Asked again (a second tab): the test is gone.
    expect(await keepTestVersion(db(), SHOP_A, key, "B")).toEqual({ ok: false, reason: "changed" });
  });
});
