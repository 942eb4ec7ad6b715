import "./test/dedupe-react";
import { render } from "@shopify/post-purchase-ui-extensions-react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createOfferClient, type Offer } from "./api";
import { countdownTime } from "./i18n";
import { OfferPage } from "./OfferPage";
import { createShouldRender } from "./should-render";
import { find, findAll, textOf, waitFor } from "../../../tests/extension-host/remote-tree";
import {
  inputData,
  installCheckout,
  processedCalculation,
  REFERENCE_ID,
  renderApi,
  SHOP,
  storage,
} from "./test/checkout-host";

const APP_URL = "https://switchboard.test";

const OFFER: Offer = {
  id: "5b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
  productId: 632910392,
  variantId: 808950810,
  quantity: 1,
  productTitle: "Enamel camp mug",
  variantTitle: "Forest green",
  imageUrl: "https://cdn.shopify.test/mug.png",
  price: "24.00",
  discountedPrice: "20.40",
  currency: "USD",
  discount: { value: 15, valueType: "percentage", title: "15% off" },
  presentment: null,
  copy: null,
  countdownSeconds: null,
  changes: [
    {
      type: "add_variant",
      variantId: 808950810,
      quantity: 1,
      discount: { value: 15, valueType: "percentage", title: "15% off" },
    },
  ],
};

/** The app's three post-purchase endpoints, answering as configured and recording each call. */
function fakeApp(
  answers: {
    offer?: { status?: number; body: unknown };
    sign?: { status?: number; body: unknown };
    /** Successive answers of the offer endpoint (a funnel's steps); then `offer`'s. */
    steps?: (Offer | null)[];
  } = {},
) {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(url)).pathname;
    calls.push({ path, body: JSON.parse(String(init?.body)) });
    const answer =
      path === "/api/post-purchase/offer"
        ? answers.steps?.length
          ? { body: { offer: answers.steps.shift() } }
          : (answers.offer ?? { body: { offer: OFFER } })
        : path === "/api/post-purchase/sign-changeset"
          ? (answers.sign ?? { body: { token: "signed-changeset" } })
          : { body: { declined: true } };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const CALCULATION = processedCalculation(OFFER.variantId, {
  line: "20.40",
  shipping: "0.00",
  taxes: "1.63",
  total: "22.03",
});

describe("post-purchase-upsell extension", () => {
  let checkout: ReturnType<typeof installCheckout>;
  beforeEach(() => {
    checkout = installCheckout();
  });

  describe("ShouldRender", () => {
    it("asks the app for an offer with Shopify's token and shows the page only when there is one, keeping it for Render", async () => {
      const app = fakeApp();
      const { extend } = await import("@shopify/post-purchase-ui-extensions-react");
      extend(
        "Checkout::PostPurchase::ShouldRender",
        createShouldRender(createOfferClient({ appUrl: APP_URL, fetch: app.fetch })),
      );
      const store = storage();

      const result = await checkout.shouldRender({
        inputData: inputData(),
        storage: store,
        extensionPoint: "Checkout::PostPurchase::ShouldRender",
        version: "unstable",
        locale: "en",
      });

      expect(result).toEqual({ render: true });
      expect(app.calls).toEqual([
        {
          path: "/api/post-purchase/offer",
          body: { token: "shopify-signed-input-token", shop: SHOP, referenceId: REFERENCE_ID },
        },
      ]);
      expect(store.update).toHaveBeenCalledWith({ offer: OFFER });
    });

    it("skips the page when the app has no offer, or cannot be reached", async () => {
      for (const answer of [
        { body: { offer: null, reason: "capped" } },
        { status: 500, body: { error: "boom" } },
        { status: 401, body: { error: "bad token" } },
      ]) {
        const app = fakeApp({ offer: answer });
        const store = storage();
        const shouldRender = createShouldRender(
          createOfferClient({ appUrl: APP_URL, fetch: app.fetch }),
        );
        const result = await shouldRender({
          inputData: inputData(),
          storage: store,
          extensionPoint: "Checkout::PostPurchase::ShouldRender",
          version: "unstable",
          locale: "en",
        });
        expect(result).toEqual({ render: false });
        expect(store.update).not.toHaveBeenCalled();
      }
    });
  });

  describe("Render", () => {
    function mount(options: Parameters<typeof renderApi>[0], app = fakeApp()) {
      render("Checkout::PostPurchase::Render", (input) => (
        <OfferPage
          input={input}
          client={createOfferClient({ appUrl: APP_URL, fetch: app.fetch })}
        />
      ));
      const checkoutApi = renderApi(options);
      const tree = checkout.render(checkoutApi.api);
      return { ...checkoutApi, tree, app };
    }

    it("shows the product, its image, price, discount and Shopify's total with shipping and taxes", async () => {
      const { tree, calculateChangeset } = mount({
        initialData: { offer: OFFER },
        calculation: CALCULATION,
      });

      await waitFor(() => textOf(tree()).includes("Total"));
      const text = textOf(tree());
      expect(find(tree(), "CalloutBanner").props?.title).toBe("Add this to your order");
      expect(text).toContain("Enamel camp mug");
      expect(text).toContain("Forest green");
      expect(text).toContain("$24.00"); // struck-through original price
      expect(text).toContain("$20.40");
      expect(text).toContain("Save 15% off");
      expect(text).toMatch(/Shipping\s+Free/);
      expect(text).toMatch(/Taxes\s+\$1\.63/);
      expect(text).toMatch(/Total\s+\$22\.03/);
      expect(find(tree(), "Image").props).toMatchObject({
        source: OFFER.imageUrl,
        description: "Enamel camp mug",
      });
      expect(find(tree(), "Text", "$24.00").props).toMatchObject({ role: "deletion" });
      expect(find(tree(), "Button", "Pay now · $22.03").props?.disabled).toBe(false);
      expect(calculateChangeset).toHaveBeenCalledWith({ changes: OFFER.changes });
    });

    it("prices the offer in the buyer's currency: the app's estimate first, then Shopify's line", async () => {
      // A USD shop, a buyer paying in CAD at 1.35: $5 off a $24 mug.
      const offer: Offer = {
        ...OFFER,
        discountedPrice: "19.00",
        discount: { value: 5, valueType: "fixed_amount", title: "5.00 USD off" },
        presentment: {
          currency: "CAD",
          price: "32.40",
          discountedPrice: "25.65",
          discountAmount: "6.75",
        },
      };
      const estimate = mount({ initialData: { offer }, calculation: new Promise(() => {}) });
      await waitFor(() => textOf(estimate.tree()).includes("CA$25.65"));
      expect(textOf(estimate.tree())).toContain("CA$32.40");
      expect(textOf(estimate.tree())).toContain("CA$6.75");
      expect(textOf(estimate.tree())).not.toContain("$24.00");

      // Shopify's calculation says the line is CA$25.70 (its own rate): that is what is shown.
      const priced = mount({
        initialData: { offer },
        calculation: processedCalculation(
          offer.variantId,
          { line: "19.00", shipping: "0.00", taxes: "1.52", total: "20.52" },
          { currency: "CAD", rate: 25.7 / 19 },
        ),
      });
      await waitFor(() => textOf(priced.tree()).includes("Total"));
      const text = textOf(priced.tree());
      expect(text).toContain("CA$25.70");
      expect(text).toContain("CA$32.46"); // 24 × 25.70 / 19
      expect(text).toContain("Save CA$6.76");
      expect(text).toMatch(/Total\s+CA\$27\.76/);
      expect(text).not.toContain("US$");
    });

    it("Accept: the app signs the changeset, Shopify applies it, and with no next step the page is done", async () => {
      const { tree, app, applyChangeset, done } = mount(
        { initialData: { offer: OFFER }, calculation: CALCULATION },
        fakeApp({ steps: [null] }),
      );
      const accept = await waitFor(() => find(tree(), "Button", "Pay now · $22.03"));

      accept.props!.onPress();

      await waitFor(() => done.mock.calls.length === 1);
      expect(app.calls.map((c) => c.path)).toEqual([
        "/api/post-purchase/sign-changeset",
        "/api/post-purchase/offer",
      ]);
      expect(app.calls[0]!.body).toEqual({
        token: "shopify-signed-input-token",
        shop: SHOP,
        referenceId: REFERENCE_ID,
        offerId: OFFER.id,
      });
      expect(applyChangeset).toHaveBeenCalledWith("signed-changeset");
    });

    it("Decline: reports it to the app and moves on without applying anything", async () => {
      const { tree, app, applyChangeset, done } = mount(
        { initialData: { offer: OFFER }, calculation: CALCULATION },
        fakeApp({ steps: [null] }),
      );
      const decline = await waitFor(() => find(tree(), "Button", "Decline this offer"));

      decline.props!.onPress();

      await waitFor(() => done.mock.calls.length === 1);
      expect(app.calls).toEqual([
        {
          path: "/api/post-purchase/decline",
          body: {
            token: "shopify-signed-input-token",
            shop: SHOP,
            referenceId: REFERENCE_ID,
            offerId: OFFER.id,
          },
        },
        {
          path: "/api/post-purchase/offer",
          body: { token: "shopify-signed-input-token", shop: SHOP, referenceId: REFERENCE_ID },
        },
      ]);
      expect(applyChangeset).not.toHaveBeenCalled();
    });

    it("counts down the rule's countdown and, when it runs out unanswered, declines the offer and moves on", async () => {
      const { tree, app, applyChangeset, done } = mount(
        { initialData: { offer: { ...OFFER, countdownSeconds: 2 } }, calculation: CALCULATION },
        fakeApp({ steps: [null] }),
      );
      await waitFor(() => textOf(tree()).includes("Offer ends in 0:02"));
      await waitFor(() => textOf(tree()).includes("Offer ends in 0:01"), 3_000);

      await waitFor(() => done.mock.calls.length === 1, 4_000);
      expect(app.calls.map((call) => call.path)).toEqual([
        "/api/post-purchase/decline",
        "/api/post-purchase/offer",
      ]);
      expect(applyChangeset).not.toHaveBeenCalled();
    });

    it("writes the time left as minutes and seconds, hours when there are any", () => {
      expect([
        countdownTime(299),
        countdownTime(60),
        countdownTime(3600),
        countdownTime(0),
      ]).toEqual(["4:59", "1:00", "1:00:00", "0:00"]);
    });

    it("shows no countdown when the rule has none", async () => {
      const { tree } = mount({ initialData: { offer: OFFER }, calculation: CALCULATION });
      await waitFor(() => textOf(tree()).includes("Pay now"));
      expect(textOf(tree())).not.toContain("Offer ends");
    });

    it("says the merchant's headline, message and button words when the offer has them", async () => {
      const worded: Offer = {
        ...OFFER,
        copy: { headline: "Your tent deserves a mug", body: null, button: "Add the mug" },
      };
      const { tree } = mount({ initialData: { offer: worded }, calculation: CALCULATION });
      await waitFor(() => textOf(tree()).includes("Total"));
      expect(find(tree(), "CalloutBanner").props?.title).toBe("Your tent deserves a mug");
      // No message of their own: the page's.
      expect(textOf(tree())).toContain("One click, no need to re-enter your payment details.");
      expect(find(tree(), "Button", "Add the mug · $22.03")).toBeTruthy();
    });

    it("follows the funnel: a declined offer brings the downsell, priced again; accepting it ends the page", async () => {
      const DOWNSELL: Offer = {
        ...OFFER,
        id: "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
        discountedPrice: "16.80",
        discount: { value: 30, valueType: "percentage", title: "30% off" },
        changes: [
          {
            type: "add_variant",
            variantId: OFFER.variantId,
            quantity: 1,
            discount: { value: 30, valueType: "percentage", title: "30% off" },
          },
        ],
      };
      const { tree, app, calculateChangeset, applyChangeset, done } = mount(
        { initialData: { offer: OFFER }, calculation: CALCULATION },
        fakeApp({ steps: [DOWNSELL, null] }),
      );
      (await waitFor(() => find(tree(), "Button", "Decline this offer"))).props!.onPress();

      await waitFor(() => textOf(tree()).includes("Save 30% off"));
      expect(done).not.toHaveBeenCalled();
      expect(calculateChangeset).toHaveBeenLastCalledWith({ changes: DOWNSELL.changes });
      (await waitFor(() => find(tree(), "Button", "Pay now · $22.03"))).props!.onPress();

      await waitFor(() => done.mock.calls.length === 1);
      expect(app.calls.map((c) => [c.path, c.body.offerId])).toEqual([
        ["/api/post-purchase/decline", OFFER.id],
        ["/api/post-purchase/offer", undefined],
        ["/api/post-purchase/sign-changeset", DOWNSELL.id],
        ["/api/post-purchase/offer", undefined],
      ]);
      expect(applyChangeset).toHaveBeenCalledTimes(1);
    });

    it("tells the buyer when the charge did not go through, and lets them continue", async () => {
      const { tree, done } = mount({
        initialData: { offer: OFFER },
        calculation: CALCULATION,
        applyStatus: "unprocessed",
      });
      (await waitFor(() => find(tree(), "Button", "Pay now"))).props!.onPress();

      await waitFor(() =>
        textOf(tree()).includes("We couldn't add this to your order. You have not been charged."),
      );
      expect(done).not.toHaveBeenCalled();
      find(tree(), "Button", "Continue to your order confirmation").props!.onPress();
      await waitFor(() => done.mock.calls.length === 1);
    });

    it("does not offer Accept when Shopify can no longer price the offer (out of stock)", async () => {
      const { tree } = mount({
        initialData: { offer: OFFER },
        calculation: {
          status: "unprocessed",
          errors: [{ code: "insufficient_inventory", message: "Out of stock" }],
        },
      });
      await waitFor(() => textOf(tree()).includes("This offer is no longer available"));
      expect(findAll(tree(), "Button", (b) => textOf(b).includes("Pay now"))).toEqual([]);
    });

    it("speaks the buyer's language (French checkout)", async () => {
      const { tree } = mount({
        initialData: { offer: OFFER },
        calculation: CALCULATION,
        locale: "fr-CA",
      });
      await waitFor(() => textOf(tree()).includes("Total"));
      const text = textOf(tree());
      expect(find(tree(), "CalloutBanner").props?.title).toBe("Ajoutez ceci à votre commande");
      expect(text).toContain("Refuser cette offre");
      expect(text).toContain("Livraison");
      expect(text).toContain("Économisez 15 % de réduction");
    });
  });

  it("the bundle's entry registers ShouldRender and Render against the built-in app URL", async () => {
    vi.stubEnv("SWITCHBOARD_APP_URL", APP_URL);
    const app = fakeApp({ offer: { body: { offer: null } } });
    vi.stubGlobal("fetch", app.fetch);
    try {
      await import("./index");
      expect([...checkout.points.keys()].sort()).toEqual([
        "Checkout::PostPurchase::Render",
        "Checkout::PostPurchase::ShouldRender",
      ]);
      const result = await checkout.shouldRender({
        inputData: inputData(),
        storage: storage(),
        extensionPoint: "Checkout::PostPurchase::ShouldRender",
        version: "unstable",
        locale: "en",
      });
      expect(result).toEqual({ render: false });
      expect(app.calls.map((c) => c.path)).toEqual(["/api/post-purchase/offer"]);
    } finally {
      vi.unstubAllGlobals();
      vi.unstubAllEnvs();
    }
  });
});
