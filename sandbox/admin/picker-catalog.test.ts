import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxStore } from "../store/generate";
import { pickerCatalog } from "./picker-catalog";
import { startSandboxAdmin, type SandboxAdmin } from "./server";

const APP_URL = "http://127.0.0.1:45998";
const store = createSandboxStore({ seed: 3 });

let admin: SandboxAdmin;
beforeAll(async () => {
  admin = await startSandboxAdmin({
    appUrl: APP_URL,
    shop: store.shop.domain,
    storeName: store.shop.name,
    storeHandle: "switchboard-sandbox",
    appHandle: "switchboard",
    apiKey: "sandbox-test-key",
    apiSecret: "sandbox-test-secret",
    catalog: () => pickerCatalog(store),
  });
});
afterAll(() => admin?.close());

describe("the sandbox resource picker's catalog", () => {
  it("lists the store's active products with their variants and images, and its collections, as App Bridge's picker answers (gid ids)", async () => {
    const response = await fetch(`${admin.url}/sandbox/catalog.json`, {
      headers: { origin: APP_URL },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP_URL);
    const catalog = (await response.json()) as ReturnType<typeof pickerCatalog>;

    const active = store.products.filter((p) => p.status === "active");
    expect(catalog.products.map((p) => p.title)).toEqual(active.map((p) => p.title));
    const product = active.find((p) => p.variantIds.length > 1)!;
    const listed = catalog.products.find((p) => p.id === `gid://shopify/Product/${product.id}`)!;
    const variant = store.variants.find((v) => v.id === product.variantIds[0])!;
    expect(listed.variants[0]).toMatchObject({
      id: `gid://shopify/ProductVariant/${variant.id}`,
      displayName: `${product.title} — ${variant.title}`,
      product: { id: `gid://shopify/Product/${product.id}` },
    });
    expect(listed.images[0]?.originalSrc).toBe(product.images[0]?.url);
    expect(catalog.collections.map((c) => c.id)).toEqual(
      store.collections.map((c) => `gid://shopify/Collection/${c.id}`),
    );
  });

  it("answers only the app's origin", async () => {
    const response = await fetch(`${admin.url}/sandbox/catalog.json`, {
      headers: { origin: "http://127.0.0.1:1" },
    });
    expect(response.status).toBe(403);
  });
});
