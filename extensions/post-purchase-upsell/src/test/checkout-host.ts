import { createRemoteRoot } from "@remote-ui/core";
import type {
  PostPurchaseRenderApi,
  PostPurchaseShouldRenderApi,
} from "@shopify/post-purchase-ui-extensions-react";
import { vi } from "vitest";
import { createHost, rootOf, type HostNode } from "../../../../tests/extension-host/remote-tree";

type Registered = (...args: any[]) => unknown;

/**
 * Shopify's checkout as far as the post-purchase extension can tell: the `shopify.extend`
 * global its package calls, and the input each extension point gets. Register with extend /
 * render (or import the entry), then run the points.
 */
export function installCheckout() {
  const points = new Map<string, Registered>();
  Object.assign(globalThis, {
    self: globalThis,
    shopify: {
      extend: (point: string, fn: Registered) => points.set(point, fn),
      reload: () => undefined,
    },
  });
  return {
    points,
    async shouldRender(api: PostPurchaseShouldRenderApi) {
      const fn = points.get("Checkout::PostPurchase::ShouldRender");
      if (!fn) throw new Error("ShouldRender was not registered");
      return (await fn(api)) as { render: boolean };
    },
    /** Runs Render into a fresh host; returns the tree as Shopify would receive it. */
    render(api: PostPurchaseRenderApi): () => HostNode {
      const fn = points.get("Checkout::PostPurchase::Render");
      if (!fn) throw new Error("Render was not registered");
      const host = createHost();
      const root = createRemoteRoot(host.receive);
      fn(root, api);
      return () => rootOf(host);
    },
  };
}

export const SHOP = "acme-outdoor.myshopify.com";
export const REFERENCE_ID = "ref-0d9f6c1e";

export function inputData(
  overrides: { locale?: string } = {},
): PostPurchaseShouldRenderApi["inputData"] {
  return {
    extensionPoint: "Checkout::PostPurchase::ShouldRender",
    initialPurchase: {
      referenceId: REFERENCE_ID,
      customerId: "7001002003",
      totalPriceSet: {
        shopMoney: { amount: "84.00", currencyCode: "USD" },
        presentmentMoney: { amount: "84.00", currencyCode: "USD" },
      },
      lineItems: [],
    },
    locale: overrides.locale ?? "en",
    shop: { id: 1, domain: SHOP, metafields: [] },
    token: "shopify-signed-input-token",
    version: "unstable",
  };
}

export function storage(initialData: unknown = undefined) {
  return { initialData, update: vi.fn(async (_data: unknown) => undefined) };
}

const usdMoney = (amount: string) => ({
  shopMoney: { amount, currencyCode: "USD" },
  presentmentMoney: { amount, currencyCode: "USD" },
});

/** A USD shop's amounts as a buyer paying in another currency sees them (rate applied). */
const presentedIn = (currency: string, rate: number) => (amount: string) => ({
  shopMoney: { amount, currencyCode: "USD" },
  presentmentMoney: { amount: (Number(amount) * rate).toFixed(2), currencyCode: currency },
});

/** calculateChangeset's answer for one added variant: line, shipping, taxes, outstanding total. */
export function processedCalculation(
  variantId: number,
  amounts: { line: string; shipping: string; taxes: string; total: string },
  buyer?: { currency: string; rate: number },
) {
  const usd = buyer ? presentedIn(buyer.currency, buyer.rate) : usdMoney;
  return {
    status: "processed" as const,
    errors: [],
    calculatedPurchase: {
      subtotalPriceSet: usd(amounts.line),
      totalPriceSet: usd(amounts.total),
      totalOutstandingSet: usd(amounts.total),
      addedTaxLines: [{ priceSet: usd(amounts.taxes), rate: 0.08, title: "Sales tax" }],
      addedShippingLines: [{ priceSet: usd(amounts.shipping), presentmentTitle: "Standard" }],
      updatedLineItems: [
        {
          totalPriceSet: usd(amounts.line),
          priceSet: usd(amounts.line),
          productId: 1,
          variantId,
          productHandle: "camp-mug",
          quantity: 1,
        },
      ],
    },
  };
}

/** A Render input with every checkout call recorded. */
export function renderApi(options: {
  initialData: unknown;
  locale?: string;
  calculation?: unknown;
  applyStatus?: "processed" | "unprocessed";
}) {
  const calculateChangeset = vi.fn(async (_changeset: unknown) => options.calculation);
  const applyChangeset = vi.fn(async (_token: string) => ({
    status: options.applyStatus ?? "processed",
    errors: [],
    changesetApplicationsRemaining: 2,
  }));
  const done = vi.fn(async () => undefined);
  const api = {
    extensionPoint: "Checkout::PostPurchase::Render",
    version: "unstable",
    locale: options.locale ?? "en",
    inputData: {
      ...inputData({ locale: options.locale }),
      extensionPoint: "Checkout::PostPurchase::Render",
    },
    storage: storage(options.initialData),
    calculateChangeset,
    applyChangeset,
    done,
  } as unknown as PostPurchaseRenderApi;
  return { api, calculateChangeset, applyChangeset, done };
}
