import "../helpers/real-fetch";
import "../helpers/shopify";
import { asc, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { upsellOffers } from "../../db/schema/index";
import { UpsellAnalytics } from "../../app/components/UpsellAnalytics";
import { upsellAnalytics } from "../../app/models/upsell-analytics.server";
import {
  getGuardConfig,
  saveGuardConfig,
  saveRecipeConfig,
} from "../../app/models/recipe-settings.server";
import { forgetShopOfferSettings } from "../../app/post-purchase/decide.server";
import { action as declineAction } from "../../app/routes/api.post-purchase.decline";
import { action as offerAction } from "../../app/routes/api.post-purchase.offer";
import { action as signAction } from "../../app/routes/api.post-purchase.sign-changeset";
import {
  CATALOG,
  checkoutRequest,
  purchaseToken,
  seedCustomer,
  seedUpsellShop,
} from "../helpers/post-purchase";
import { describeWithRuntime } from "../helpers/runtime";
import { SHOP_A } from "../helpers/vendors";

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response>;

interface OfferBody {
  offer: {
    id: string;
    variantId: number;
    discountedPrice: string;
    copy: { headline: string | null; body: string | null; button: string | null } | null;
    countdownSeconds: number | null;
    variantTitle: string | null;
  } | null;
  reason?: string;
}

describeWithRuntime("a two-step upsell funnel at the checkout", ({ runtime }) => {
  const db = () => runtime().database.db;
  let customer = 7_700_000_000;
  let purchases = 0;

  beforeAll(async () => {
    await seedUpsellShop(db(), SHOP_A, { mug: 40, lantern: 40 });
    // Tent buyers: the mug at 15 % off; accepted → the lantern at 10 % off; declined → the
    // same mug at 30 % off.
    await saveRecipeConfig(db(), SHOP_A, "post-purchase-upsell", {
      minimumStock: 3,
      rules: [
        {
          name: "Tent funnel",
          productIds: [String(CATALOG.tent.productId)],
          offerVariantId: String(CATALOG.mug.variantId),
          discount: { type: "percentage", value: 15 },
          nextVariantId: String(CATALOG.lantern.variantId),
          nextDiscount: { type: "percentage", value: 10 },
          downsellVariantId: String(CATALOG.mug.variantId),
          downsellDiscount: { type: "percentage", value: 30 },
          copy: {
            headlineEn: "Wait, one more thing",
            headlineFr: "Attendez, encore une chose",
            buttonFr: "Je le prends",
          },
          downsellCopy: { headlineEn: "Last chance: 30 % off", bodyEn: "Only on this order." },
          countdownMinutes: 5,
        },
      ],
    });
    forgetShopOfferSettings(SHOP_A);
  });

  /** One buyer's purchase, as the extension calls the app for it. */
  async function checkout(returning?: number, locale?: string) {
    const customerId = returning ?? ++customer;
    await seedCustomer(db(), SHOP_A, customerId, `buyer-${customerId}@example.com`);
    const referenceId = `funnel-${customerId}-${++purchases}`;
    const token = await purchaseToken({
      shop: SHOP_A,
      referenceId,
      customerId,
      lineItems: [{ ...CATALOG.tent, quantity: 1 }],
      iat: Math.floor(runtime().clock.now().getTime() / 1000),
      ...(locale ? { locale } : {}),
    });
    const body = { token, shop: SHOP_A, referenceId };
    const call = async (handler: Handler, path: string, extra: Record<string, unknown> = {}) => {
      const response = await handler({
        request: checkoutRequest(path, { ...body, ...extra }),
        params: {},
        context: {},
      });
      expect(response.status).toBe(200);
      return response.json();
    };
    return {
      referenceId,
      offer: () => call(offerAction, "/api/post-purchase/offer") as Promise<OfferBody>,
      accept: (offerId: string) =>
        call(signAction, "/api/post-purchase/sign-changeset", { offerId }),
      decline: (offerId: string) => call(declineAction, "/api/post-purchase/decline", { offerId }),
      steps: async () =>
        (
          await db()
            .select()
            .from(upsellOffers)
            .where(eq(upsellOffers.referenceId, referenceId))
            .orderBy(asc(upsellOffers.shownAt), asc(upsellOffers.respondedAt))
        ).map((o) => [o.step, o.variantId, o.status]),
    };
  }

  it("declined: the downsell is the same mug at 30 % off; after it, nothing more", async () => {
    const buyer = await checkout();
    const first = (await buyer.offer()).offer!;
    expect(first).toMatchObject({ variantId: CATALOG.mug.variantId, discountedPrice: "20.40" });
    await buyer.decline(first.id);
    const downsell = (await buyer.offer()).offer!;
    expect(downsell).toMatchObject({ variantId: CATALOG.mug.variantId, discountedPrice: "16.80" });
    expect(downsell.id).not.toBe(first.id);
    // Each step's page counts down the rule's five minutes from when it is shown.
    expect([first.countdownSeconds, downsell.countdownSeconds]).toEqual([300, 300]);
    // The downsell's own words; the first offer's page said something else.
    expect(first.copy?.headline).toBe("Wait, one more thing");
    expect(downsell.copy).toEqual({
      headline: "Last chance: 30 % off",
      body: "Only on this order.",
      button: null,
    });
    await buyer.accept(downsell.id);
    const end = await buyer.offer();
    expect(end.offer).toBeNull();
    expect(end.reason).toBe("rule “Tent funnel”: the funnel has no further step");
    expect(await buyer.steps()).toEqual([
      ["offer", String(CATALOG.mug.variantId), "declined"],
      ["downsell", String(CATALOG.mug.variantId), "accepted"],
    ]);
  });

  it("accepted: the next step is the lantern at 10 % off; declining it ends the funnel", async () => {
    const buyer = await checkout();
    const first = (await buyer.offer()).offer!;
    await buyer.accept(first.id);
    const next = (await buyer.offer()).offer!;
    expect(next).toMatchObject({ variantId: CATALOG.lantern.variantId, discountedPrice: "36.00" });
    // No words of its own: the next offer says what the first one said.
    expect(next.copy).toEqual({ headline: "Wait, one more thing", body: null, button: null });
    await buyer.decline(next.id);
    expect((await buyer.offer()).offer).toBeNull();
    expect(await buyer.steps()).toEqual([
      ["offer", String(CATALOG.mug.variantId), "accepted"],
      ["next", String(CATALOG.lantern.variantId), "declined"],
    ]);
  });

  it("reports each step on Home: shown, accepted and conversion per step of the rule", async () => {
    const data = await upsellAnalytics(db(), SHOP_A, { now: runtime().clock.now() });
    expect(data.funnel).toEqual([
      expect.objectContaining({ ruleName: "Tent funnel", step: "offer", shown: 2, accepted: 1 }),
      expect.objectContaining({ ruleName: "Tent funnel", step: "next", shown: 1, accepted: 0 }),
      expect.objectContaining({ ruleName: "Tent funnel", step: "downsell", shown: 1, accepted: 1 }),
    ]);
    const html = renderToString(
      createElement(
        AppProvider,
        { i18n: enTranslations },
        createElement(UpsellAnalytics, { data }),
      ),
    );
    expect(html).toContain("Funnel steps");
    expect(html).toContain("Next, after an accept");
    expect(html).toContain("Downsell, after a decline");
    expect(html).toContain("50.0%");
  });

  it("spends one upsell touch per purchase, however many funnel steps it showed", async () => {
    await saveGuardConfig(db(), SHOP_A, {
      ...(await getGuardConfig(db(), SHOP_A)),
      upsellMax: 2,
      upsellWindowDays: 14,
    });
    forgetShopOfferSettings(SHOP_A);
    const first = await checkout();
    const customerId = customer;
    const offer = (await first.offer()).offer!;
    await first.decline(offer.id);
    await first.decline((await first.offer()).offer!.id);
    // Two steps shown on one purchase: the customer's next purchase is their second upsell.
    const second = await checkout(customerId);
    expect((await second.offer()).offer).not.toBeNull();
    const third = await checkout(customerId);
    expect((await third.offer()).reason).toBe(
      "frequency cap: 2 upsells per 14 days already reached for this customer",
    );
  });

  it("words the offer in the shopper's language, as the merchant wrote it for the rule", async () => {
    const english = (await (await checkout(undefined, "en-CA")).offer()).offer!;
    expect(english.copy).toEqual({ headline: "Wait, one more thing", body: null, button: null });
    const french = (await (await checkout(undefined, "fr-CA")).offer()).offer!;
    expect(french.copy).toEqual({
      headline: "Attendez, encore une chose",
      body: null,
      button: "Je le prends",
    });
  });

  it("shows the same page again on a reload, its countdown running on from the first showing", async () => {
    const buyer = await checkout(undefined, "fr-FR");
    const first = (await buyer.offer()).offer!;
    // Two minutes on the page, then the buyer reloads it.
    await db()
      .update(upsellOffers)
      .set({ shownAt: new Date(runtime().clock.now().getTime() - 120_000) })
      .where(eq(upsellOffers.id, first.id));
    const again = (await buyer.offer()).offer!;
    expect(again.id).toBe(first.id);
    expect(again.copy).toEqual({
      headline: "Attendez, encore une chose",
      body: null,
      button: "Je le prends",
    });
    expect(again.countdownSeconds).toBe(180);
    expect(again.variantTitle).toBe(first.variantTitle);
  });
});
