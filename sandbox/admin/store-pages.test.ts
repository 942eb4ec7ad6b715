import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxStore } from "../store/generate";
import { adminBlockExtensions, bundleExtension, parseExtensionToml } from "./extension-bundles";
import { startSandboxAdmin, type SandboxAdmin } from "./server";

/** The sandbox Admin's Orders and Products pages, and the app blocks under an order and a product. */

const store = createSandboxStore({ seed: 4 });
const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

let admin: SandboxAdmin;
beforeAll(async () => {
  admin = await startSandboxAdmin({
    appUrl: "http://127.0.0.1:45998",
    shop: store.shop.domain,
    storeName: store.shop.name,
    storeHandle: "switchboard-sandbox",
    appHandle: "switchboard",
    apiKey: "key",
    apiSecret: "secret",
    store: () => store,
  });
});
afterAll(() => admin?.close());

describe("sandbox Admin store pages", () => {
  it("lists orders newest first by name, customer and total, each linking to its page", async () => {
    const html = await (await fetch(`${admin.url}/store/switchboard-sandbox/orders`)).text();
    const newest = [...store.orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
    const customer = store.customers.find((c) => c.id === newest.customerId)!;
    const firstLink = /<a href="\/store\/switchboard-sandbox\/orders\/(\d+)">([^<]+)<\/a>/.exec(
      html,
    )!;
    expect(firstLink[1]).toBe(String(newest.id));
    expect(firstLink[2]).toBe(newest.name);
    expect(text(html)).toContain(`${customer.firstName} ${customer.lastName}`);
    expect(text(html)).not.toContain("gid://");
  });

  it("shows an order as Admin would, with the automation timeline block under it", async () => {
    const order = store.orders.find((o) => o.customerId && o.lineItems.length > 1)!;
    const response = await fetch(`${admin.url}/store/switchboard-sandbox/orders/${order.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const customer = store.customers.find((c) => c.id === order.customerId)!;
    expect(text(html)).toContain(order.name);
    expect(text(html)).toContain(customer.email);
    for (const line of order.lineItems) expect(text(html)).toContain(line.title);
    expect(text(html)).toMatch(/Total \$[\d,]+\.\d\d/);
    const frame = /<iframe class="block" title="([^"]+)" src="([^"]+)"/.exec(html)!;
    expect(frame[1]).toBe("Switchboard automation timeline");
    expect(decodeURIComponent(frame[2]!)).toBe(
      `/sandbox/extensions/order-automation-timeline?id=gid://shopify/Order/${order.id}`,
    );
    expect((await fetch(`${admin.url}/store/switchboard-sandbox/orders/1`)).status).toBe(404);
  });

  it("shows a product's variants with the post-purchase offer block under them", async () => {
    const product = store.products.find((p) => p.variantIds.length > 1)!;
    const html = await (
      await fetch(`${admin.url}/store/switchboard-sandbox/products/${product.id}`)
    ).text();
    expect(text(html)).toContain(product.title);
    for (const variant of store.variants.filter((v) => v.productId === product.id))
      expect(text(html)).toContain(variant.title);
    expect(html).toContain('title="Switchboard post-purchase offer"');
    const list = await (await fetch(`${admin.url}/store/switchboard-sandbox/products`)).text();
    expect(list).toContain(`/store/switchboard-sandbox/products/${product.id}`);
  });

  it("serves each block's frame with the extension's translations and its bundle", async () => {
    const html = await (
      await fetch(
        `${admin.url}/sandbox/extensions/order-automation-timeline?id=${encodeURIComponent("gid://shopify/Order/1")}`,
      )
    ).text();
    const config = JSON.parse(
      /id="sandbox-host-config">(.*?)<\/script>/s.exec(html)![1]!,
    ) as Record<string, any>;
    expect(config).toMatchObject({
      target: "admin.order-details.block.render",
      selectedId: "gid://shopify/Order/1",
      timeZone: store.shop.ianaTimezone,
      appUrl: "http://127.0.0.1:45998",
      appAdminBase: "/store/switchboard-sandbox/apps/switchboard",
    });
    expect(config.messages.title).toBe("Switchboard automations");
    expect(html).toContain('src="/sandbox/extensions/order-automation-timeline.js"');
    const bundle = await fetch(`${admin.url}/sandbox/extensions/order-automation-timeline.js`);
    expect(bundle.headers.get("content-type")).toContain("text/javascript");
    expect(await bundle.text()).toContain("s-admin-block");
  });
});

describe("extension bundles", () => {
  it("reads each block's target and module from its shopify.extension.toml", () => {
    expect(adminBlockExtensions().map((e) => [e.handle, e.target, e.resource])).toEqual([
      ["order-automation-timeline", "admin.order-details.block.render", "Order"],
      ["product-upsell-settings", "admin.product-details.block.render", "Product"],
    ]);
    expect(() =>
      parseExtensionToml(
        "x",
        'name = "X"\nmodule = "./a.tsx"\ntarget = "purchase.checkout.block.render"',
      ),
    ).toThrow(/does not host/);
  });

  it("bundles the extension's own source with Preact for the browser", async () => {
    const [timeline] = adminBlockExtensions();
    const js = await bundleExtension(timeline!);
    expect(js).toContain("/api/extensions/order-timeline");
    expect(js).toContain("customElements.define");
    expect(js).not.toMatch(/^import /m);
  });
});
