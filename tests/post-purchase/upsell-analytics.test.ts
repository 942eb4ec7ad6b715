import { randomUUID } from "node:crypto";
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { expect, it } from "vitest";
import { orders, shops, upsellOffers } from "../../db/schema/index";
import { UpsellAnalytics } from "../../app/components/UpsellAnalytics";
import { upsellAnalytics } from "../../app/models/upsell-analytics.server";
import { describeEachDatabase } from "../helpers/database";
import { saveRecipeConfig, setRecipeEnabled } from "../../app/models/recipe-settings.server";

const SHOP = "acme-outdoor.myshopify.com";
const NOW = new Date("2026-11-20T15:00:00Z");
const daysAgo = (n: number, hour = 12) => new Date(Date.UTC(2026, 10, 20 - n, hour));

describeEachDatabase("Upsell analytics on Home", ({ use }) => {
  it("counts offers shown, accepted and charged, conversion, charged revenue and a per-day series", async () => {
    const db = use().database.db;
    const offer = (values: {
      day: number;
      customer: number;
      reference: string;
      status: "shown" | "accepted" | "declined";
      revenue?: string;
      total?: string;
      shop?: string;
      /** An accepted offer's line is in Shopify's order (default), or not (yet). */
      charged?: boolean;
      hour?: number;
    }) => ({
      id: randomUUID(),
      shop: values.shop ?? SHOP,
      referenceId: values.reference,
      customerId: String(values.customer),
      recipe: "post-purchase-upsell",
      variantId: "808950820",
      title: "Enamel camp mug",
      price: "24.00",
      currency: "USD",
      initialTotal: values.total ?? "100.00",
      status: values.status,
      revenue: values.revenue ?? null,
      chargedAt:
        values.status === "accepted" && values.charged !== false
          ? daysAgo(values.day, values.hour)
          : null,
      chargedRevenue:
        values.status === "accepted" && values.charged !== false ? (values.revenue ?? null) : null,
      changesetJti: randomUUID(),
      shownAt: daysAgo(values.day, values.hour),
      respondedAt: values.status === "shown" ? null : daysAgo(values.day, values.hour),
    });
    await db.insert(upsellOffers).values([
      offer({ day: 1, customer: 1, reference: "r1", status: "accepted", revenue: "20.40" }),
      offer({ day: 1, customer: 2, reference: "r2", status: "declined" }),
      offer({
        day: 3,
        customer: 3,
        reference: "r3",
        status: "accepted",
        revenue: "34.00",
        total: "60.00",
      }),
      offer({ day: 3, customer: 4, reference: "r4", status: "shown" }),
      // Accepted two days ago, never charged by Shopify: no revenue, reported as not charged.
      offer({
        day: 2,
        customer: 7,
        reference: "r7",
        status: "accepted",
        revenue: "24.00",
        charged: false,
      }),
      // Accepted an hour ago: waiting for Shopify's order, no revenue yet.
      offer({
        day: 0,
        hour: 14,
        customer: 8,
        reference: "r8",
        status: "accepted",
        revenue: "20.40",
        charged: false,
      }),
      // Outside the window, and another shop: not counted.
      offer({ day: 45, customer: 5, reference: "r5", status: "accepted", revenue: "99.00" }),
      offer({
        day: 1,
        customer: 6,
        reference: "r6",
        status: "accepted",
        revenue: "99.00",
        shop: "other.myshopify.com",
      }),
    ]);
    const order = (id: number, customer: number | null, day: number, total: string) => ({
      shop: SHOP,
      id: String(id),
      name: `#${id}`,
      customerId: customer === null ? null : String(customer),
      currency: "USD",
      totalPrice: total,
      currentTotalPrice: total,
      createdAt: daysAgo(day, 11),
      sourceUpdatedAt: daysAgo(day, 11),
    });
    await db.insert(orders).values([
      // Orders that got an offer (same customer, within two hours): not "without an offer".
      order(1001, 1, 1, "100.00"),
      order(1003, 3, 3, "60.00"),
      // Orders without an offer: AOV 50.
      order(1010, 10, 2, "40.00"),
      order(1011, null, 5, "60.00"),
    ]);

    const data = await upsellAnalytics(db, SHOP, { days: 30, now: NOW });
    expect(data).toMatchObject({
      days: 30,
      currency: "USD",
      shown: 6,
      accepted: 4,
      declined: 1,
      charged: 2,
      awaitingCharge: 1,
      notCharged: 1,
      revenueAdded: 54.4,
    });
    expect(data.conversion).toBeCloseTo(4 / 6, 5);
    // No rule runs an A/B test: no test results (and no with/without-offer comparison).
    expect(data.tests).toEqual([]);
    expect(data.series).toHaveLength(30);
    expect(data.series.at(-1)).toEqual({
      date: "2026-11-20",
      shown: 1,
      accepted: 1,
      charged: 0,
      revenue: 0,
    });
    expect(data.series.find((d) => d.date === "2026-11-19")).toEqual({
      date: "2026-11-19",
      shown: 2,
      accepted: 1,
      charged: 1,
      revenue: 20.4,
    });
    expect(data.series.find((d) => d.date === "2026-11-18")).toEqual({
      date: "2026-11-18",
      shown: 1,
      accepted: 1,
      charged: 0,
      revenue: 0,
    });
    expect(data.series.find((d) => d.date === "2026-11-17")).toEqual({
      date: "2026-11-17",
      shown: 2,
      accepted: 1,
      charged: 1,
      revenue: 34,
    });

    const html = renderToString(
      createElement(
        AppProvider,
        { i18n: enTranslations },
        createElement(UpsellAnalytics, { data }),
      ),
    );
    expect(html).toContain("Offers shown");
    expect(html).toContain("66.7%");
    expect(html).toContain(
      'Revenue charged</p><p class="Polaris-Text--root Polaris-Text--headingLg">$54.40<',
    );
    expect(html).toContain(
      "1 waiting for Shopify to add it to the order; 1 accepted, not charged by Shopify",
    );
    expect(html).not.toContain("A/B tests");
    expect(html).toContain('aria-label="Offers per day over 30 days: 6 shown, 4 accepted."');
    expect(html.match(/data-date=/g)).toHaveLength(30);
  });

  it("shows empty figures for a shop with no offers yet", async () => {
    const data = await upsellAnalytics(use().database.db, "new-shop.myshopify.com", {
      days: 7,
      now: NOW,
    });
    expect(data).toMatchObject({
      shown: 0,
      accepted: 0,
      conversion: null,
      revenueAdded: 0,
      tests: [],
    });
    expect(data.series.map((d) => d.shown)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const html = renderToString(
      createElement(
        AppProvider,
        { i18n: enTranslations },
        createElement(UpsellAnalytics, { data }),
      ),
    );
    expect(html).toContain("No offers shown yet");
    expect(data.setup).toBe("off");
  });

  it("lets the merchant choose the span it covers, showing the one the numbers are for", () => {
    const data = {
      days: 90,
      setup: "on" as const,
      currency: "USD",
      shown: 0,
      accepted: 0,
      declined: 0,
      charged: 0,
      awaitingCharge: 0,
      notCharged: 0,
      conversion: null,
      revenueAdded: 0,
      tests: [],
      funnel: [],
      series: [],
    };
    const html = renderToString(
      createElement(
        AppProvider,
        { i18n: enTranslations },
        createElement(UpsellAnalytics, {
          data,
          range: { onChange: () => undefined },
        }),
      ),
    );
    expect(html).toContain("One-click offers after checkout, last 90 days.");
    expect(html).toMatch(/<option value="90" selected="">Last 90 days<\/option>/);
    for (const days of [7, 30, 365]) expect(html).toContain(`>Last ${days} days</option>`);
    // Without a control (e.g. a report), the span is fixed: no picker.
    expect(
      renderToString(
        createElement(
          AppProvider,
          { i18n: enTranslations },
          createElement(UpsellAnalytics, { data }),
        ),
      ),
    ).not.toContain("<select");
  });

  it("says where the upsell stands while no offer has been shown: off, on without an offer, on", async () => {
    const db = use().database.db;
    const shop = "setting-up.myshopify.com";
    const say = async () => {
      const data = await upsellAnalytics(db, shop, { days: 7, now: NOW });
      const html = renderToString(
        createElement(
          AppProvider,
          { i18n: enTranslations },
          createElement(UpsellAnalytics, { data }),
        ),
      );
      return { setup: data.setup, html };
    };
    expect((await say()).html).toContain("Switch on the Post-purchase upsell recipe");
    await setRecipeEnabled(db, shop, "post-purchase-upsell", true);
    const noOffer = await say();
    expect(noOffer.setup).toBe("no-offer");
    expect(noOffer.html).toContain("is on but has no offer to show");
    expect(noOffer.html).not.toContain("Switch on");
    await saveRecipeConfig(db, shop, "post-purchase-upsell", {
      rules: [{ productIds: ["7001"], offerVariantId: "45118200000030" }],
    });
    const on = await say();
    expect(on.setup).toBe("on");
    expect(on.html).toContain(
      "The Post-purchase upsell is on; no offer was shown in the last 7 days.",
    );
  });

  it("shows money in the shop's currency before any offer, and with no symbol while it is unknown", async () => {
    const db = use().database.db;
    const render = (data: Awaited<ReturnType<typeof upsellAnalytics>>) =>
      renderToString(
        createElement(
          AppProvider,
          { i18n: enTranslations },
          createElement(UpsellAnalytics, { data }),
        ),
      );
    await db.insert(shops).values([
      { domain: "berlin.myshopify.com", currency: "EUR" },
      { domain: "unknown.myshopify.com", currency: null },
    ]);
    const berlin = await upsellAnalytics(db, "berlin.myshopify.com", { days: 7, now: NOW });
    expect(berlin.currency).toBe("EUR");
    expect(render(berlin)).toContain(
      'Revenue charged</p><p class="Polaris-Text--root Polaris-Text--headingLg">€0.00<',
    );
    expect(render(berlin)).not.toContain("$");

    const unknown = await upsellAnalytics(db, "unknown.myshopify.com", { days: 7, now: NOW });
    expect(unknown.currency).toBeNull();
    expect(render(unknown)).toContain(
      'Revenue charged</p><p class="Polaris-Text--root Polaris-Text--headingLg">0.00<',
    );
    expect(render(unknown)).not.toContain("$");
  });
});
