import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import "@shopify/shopify-api/adapters/node";
import { LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mountBlock } from "../../../tests/extension-host/admin-host";
import { find, textOf } from "../../../tests/extension-host/admin-dom";
import { waitFor } from "../../../tests/extension-host/remote-tree";
import type {
  OrderTimelineResponse,
  ProductOfferSettings,
} from "../../../app/shared/extension-contracts";
import { createSandboxStore } from "../../store/generate";
import { adminBlockExtensions, extensionMessages } from "../extension-bundles";
import { startSandboxAdmin, type SandboxAdmin } from "../server";
import { appRequestPath, createHost, linkHref, matchVariants, translator } from "./host";

/** Node's fetch, kept before a test hands the extension the host's. */
const nodeFetch = globalThis.fetch;

describe("the sandbox's block API pieces", () => {
  const { messages, fallbackMessages } = extensionMessages("order-automation-timeline", "fr");
  const en = extensionMessages("order-automation-timeline", "en");

  it("translates like Admin: nested keys, {{name}}, plural forms, the default locale filling gaps", () => {
    const t = translator("en", en.messages, en.fallbackMessages);
    expect(t("outcome.blocked")).toBe("Held back");
    expect(t("summary", { count: 1, delivered: 1, heldBack: 0 })).toBe(
      "1 recipe run · 1 sent · 0 held back",
    );
    expect(t("summary", { count: 3, delivered: 2, heldBack: 1 })).toBe(
      "3 recipe runs · 2 sent · 1 held back",
    );
    expect(t("no.such.key")).toBe("no.such.key");
    const fr = translator("fr", messages, fallbackMessages);
    expect(fr("title")).not.toBe(t("title"));
    expect(translator("fr", {}, fallbackMessages)("title")).toBe("Switchboard automations");
  });

  it("sends relative URLs and the app's own origin to the app, everything else out as it is", () => {
    const app = "http://127.0.0.1:4001";
    const page = "http://127.0.0.1:4000";
    expect(appRequestPath("/api/extensions/order-timeline?orderId=1", app, page)).toBe(
      "/api/extensions/order-timeline?orderId=1",
    );
    expect(appRequestPath(`${app}/api/extensions/product-upsell`, app, page)).toBe(
      "/api/extensions/product-upsell",
    );
    expect(appRequestPath("https://example.com/x", app, page)).toBeNull();
    expect(appRequestPath("//example.com/x", app, page)).toBeNull();
  });

  it("opens app:// links on the app's page in the sandbox Admin", () => {
    const base = "/store/switchboard-sandbox/apps/switchboard";
    expect(linkHref("app://app/activity", base)).toBe(`${base}/app/activity`);
    expect(linkHref("https://help.example.com", base)).toBe("https://help.example.com");
  });

  it("finds variants by every word typed, in any case", () => {
    const variants = [
      { id: "1", title: "250g", displayName: "Night Shift Espresso - 250g" },
      { id: "2", title: "1kg", displayName: "Night Shift Espresso - 1kg" },
      { id: "3", title: "Default Title", displayName: "Pour-over kettle" },
    ];
    expect(matchVariants(variants, "espresso 1KG").map((v) => v.id)).toEqual(["2"]);
    expect(matchVariants(variants, "").length).toBe(3);
  });
});

/**
 * The real extensions, hosted as the sandbox Admin hosts them: `shopify` and `fetch` from
 * createHost, their requests going through the sandbox Admin's pass-through to an app that
 * checks the session token the way Shopify's library does.
 */
describe("the real block extensions on the sandbox host", () => {
  const API_KEY = "sandbox-host-key";
  const API_SECRET = "sandbox-host-secret";
  const SHOP = "switchboard-sandbox.myshopify.com";
  const store = createSandboxStore({ seed: 2 });
  const order = store.orders[0]!;
  const product = store.products[0]!;
  const variant = store.variants.find((v) => v.productId !== product.id)!;
  const shopify = shopifyApi({
    apiKey: API_KEY,
    apiSecretKey: API_SECRET,
    hostName: "127.0.0.1",
    apiVersion: "2026-10" as never,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
  const seen: { path: string; shop: string | null }[] = [];
  let app: Server;
  let admin: SandboxAdmin;
  const graphqlBodies: string[] = [];

  const timeline: OrderTimelineResponse = {
    order: { id: String(order.id), name: order.name },
    activityPath: "/app/activity",
    counts: { runs: 1, delivered: 1, failed: 0, heldBack: 0 },
    otherDeliveries: [],
    runs: [
      {
        id: 1,
        recipeId: "shipping-delay-outreach",
        recipeTitle: "Shipping delay outreach",
        trigger: "parcel-scan",
        outcome: "acted",
        reasons: [],
        at: new Date(Date.now() - 60_000).toISOString(),
        actions: [],
      },
    ],
  };
  const settings: ProductOfferSettings = {
    productId: String(product.id),
    recipeEnabled: true,
    offer: {
      offerVariantId: String(variant.id),
      fallbackVariantId: null,
      discount: { type: "percentage", value: 15 },
    },
    minimumStock: 3,
    otherRules: [],
  } as ProductOfferSettings;

  async function shopOf(req: IncomingMessage): Promise<string | null> {
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Bearer ")) return null;
    const payload = await shopify.session
      .decodeSessionToken(header.slice("Bearer ".length))
      .catch(() => null);
    return payload ? payload.dest.replace("https://", "") : null;
  }

  beforeAll(async () => {
    app = createServer((req, res) => {
      void shopOf(req).then((shop) => {
        const url = new URL(req.url ?? "/", "http://app");
        seen.push({ path: url.pathname + url.search, shop });
        res.setHeader("content-type", "application/json");
        if (!shop) return res.writeHead(401).end("{}");
        if (url.pathname === "/api/extensions/order-timeline")
          return res.end(JSON.stringify(timeline));
        if (url.pathname === "/api/extensions/product-upsell")
          return res.end(JSON.stringify(settings));
        res.writeHead(404).end("{}");
      });
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    admin = await startSandboxAdmin({
      appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
      shop: SHOP,
      storeName: "Switchboard Sandbox",
      storeHandle: "switchboard-sandbox",
      appHandle: "switchboard",
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      store: () => store,
      // This process also plays the browser, whose global fetch is the extension's.
      fetch: nodeFetch,
      adminGraphql: async (body) => {
        graphqlBodies.push(body);
        return {
          status: 200,
          body: JSON.stringify({
            data: {
              nodes: [
                {
                  id: `gid://shopify/ProductVariant/${variant.id}`,
                  displayName: "Night Shift Espresso - 1kg",
                },
              ],
            },
          }),
        };
      },
    });
  });
  afterAll(async () => {
    await admin?.close();
    await new Promise((resolve) => app?.close(resolve));
  });
  afterEach(() => vi.unstubAllGlobals());

  /** The frame's config as the sandbox Admin serves it, read back from its page. */
  async function frameConfig(handle: string, id: string) {
    const html = await (
      await fetch(`${admin.url}/sandbox/extensions/${handle}?id=${encodeURIComponent(id)}`)
    ).text();
    const json = /<script type="application\/json" id="sandbox-host-config">(.*?)<\/script>/s.exec(
      html,
    )![1]!;
    return JSON.parse(json) as Parameters<typeof createHost>[0];
  }

  async function mount(handle: string, id: string) {
    const extension = adminBlockExtensions().find((e) => e.handle === handle)!;
    const config = await frameConfig(handle, id);
    const navigate = vi.fn();
    const host = createHost(config, {
      // The frame lives on the sandbox Admin's origin: its relative URLs are the Admin's.
      nativeFetch: (input, init) => nodeFetch(new URL(String(input), admin.url), init),
      pageOrigin: admin.url,
      resourcePicker: async () => undefined,
      navigate,
    });
    vi.stubGlobal("fetch", host.fetch);
    const module = `../../../extensions/${handle}/${extension.module.replace(/^\.\//, "")}`;
    const body = await mountBlock(() => import(/* @vite-ignore */ module), host.api);
    return { body, host, navigate };
  }

  it("shows the order's runs by recipe name, fetched from the app with a session token for the shop", async () => {
    const { body } = await mount("order-automation-timeline", `gid://shopify/Order/${order.id}`);
    await waitFor(() => textOf(body).includes("Shipping delay outreach"));
    expect(find(body, "s-admin-block").getAttribute("heading")).toBe("Switchboard automations");
    expect(textOf(body)).toContain("Acted");
    expect(textOf(body)).toContain("1 recipe run · 1 sent · 0 held back");
    expect(textOf(body)).toContain("Trigger: Parcel scan");
    expect(seen).toContainEqual({
      path: `/api/extensions/order-timeline?orderId=${encodeURIComponent(`gid://shopify/Order/${order.id}`)}&locale=en`,
      shop: SHOP,
    });
  });

  it("shows the product's offer with the variant named through Admin GraphQL", async () => {
    const { body } = await mount("product-upsell-settings", `gid://shopify/Product/${product.id}`);
    await waitFor(() => textOf(body).includes("Night Shift Espresso - 1kg"));
    expect(find(body, "s-admin-block").getAttribute("heading")).toBe("Post-purchase offer");
    expect(textOf(body)).toContain("Offer this variant");
    expect(JSON.parse(graphqlBodies.at(-1)!)).toMatchObject({
      variables: { ids: [`gid://shopify/ProductVariant/${variant.id}`] },
    });
    expect(seen.at(-1)).toMatchObject({ shop: SHOP });
  });

  it("refuses a frame for the wrong kind of resource, and pass-through beyond the extension API", async () => {
    const wrong = await fetch(
      `${admin.url}/sandbox/extensions/order-automation-timeline?id=${encodeURIComponent("gid://shopify/Product/1")}`,
    );
    expect(wrong.status).toBe(400);
    const beyond = await fetch(`${admin.url}/sandbox/extension-api/app/activity`);
    expect(beyond.status).toBe(404);
  });
});
