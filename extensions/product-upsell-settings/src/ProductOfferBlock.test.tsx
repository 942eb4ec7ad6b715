import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { blockApi, mountBlock } from "../../../tests/extension-host/admin-host";
import { find, findAll, textOf, type ElementNode } from "../../../tests/extension-host/admin-dom";
import { waitFor } from "../../../tests/extension-host/remote-tree";
import type { ProductOfferSettings } from "../../../app/shared/extension-contracts";

/** This extension's translations, as Shopify serves them to it. */
const LOCALES = fileURLToPath(new URL("../locales", import.meta.url));

const TARGET = "admin.product-details.block.render";
const PRODUCT_GID = "gid://shopify/Product/632910392";

const SAVED: ProductOfferSettings = {
  productId: "632910392",
  recipeEnabled: true,
  offer: {
    offerVariantId: "808950820",
    fallbackVariantId: null,
    discount: { type: "percentage", value: 15 },
  },
  minimumStock: 3,
  otherRules: [],
};

/** The app's endpoint: GET answers `settings`, POST answers what `onPost` returns; every call recorded. */
function fakeApp(
  settings: ProductOfferSettings,
  onPost: (body: any) => { status: number; body: unknown } = (body) => ({
    status: 200,
    body: {
      ok: true,
      settings: { ...settings, offer: body.intent === "remove" ? null : settings.offer },
    },
  }),
) {
  const posts: any[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const respond = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    if (!init?.method || init.method === "GET") {
      expect(url).toBe(
        `/api/extensions/product-upsell?productId=${encodeURIComponent(PRODUCT_GID)}`,
      );
      return respond(200, settings);
    }
    const body = JSON.parse(String(init.body));
    posts.push(body);
    const answer = onPost(body);
    return respond(answer.status, answer.body);
  });
  vi.stubGlobal("fetch", fetch);
  return { posts };
}

const mount = (api: unknown) => mountBlock(() => import("./BlockExtension"), api);

/** A merchant's edit: the field now holds `value`, and it fires input then change. */
function edit(field: ElementNode, value: string) {
  field.value = value;
  field.dispatch("input");
  field.dispatch("change");
}

function api(options: { locale?: string } = {}) {
  const value = blockApi({
    localesDir: LOCALES,
    target: TARGET,
    selectedId: PRODUCT_GID,
    locale: options.locale,
  });
  value.query.mockImplementation((async () => ({
    data: {
      nodes: [
        {
          id: "gid://shopify/ProductVariant/808950820",
          displayName: "Enamel camp mug - Forest green",
        },
      ],
    },
  })) as never);
  return value;
}

describe("product-upsell-settings block", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows this product's saved offer with the variant's name, discount and minimum stock", async () => {
    fakeApp(SAVED);
    const blockApiValue = api();
    const body = await mount(blockApiValue);
    await waitFor(() => textOf(body).includes("Enamel camp mug - Forest green"));
    expect(blockApiValue.query).toHaveBeenCalledWith(
      expect.stringContaining("SwitchboardVariantNames"),
      { variables: { ids: ["gid://shopify/ProductVariant/808950820"] } },
    );
    const fields = findAll(body, "s-number-field");
    expect(fields.map((f) => [f.getAttribute("label"), f.value])).toEqual([
      ["Discount value", "15"],
      ["Minimum stock to offer a variant", "3"],
    ]);
    expect(fields[0]!.getAttribute("suffix")).toBe("%");
    const select = find(body, "s-select");
    expect([select.getAttribute("label"), select.value]).toEqual(["Discount", "percentage"]);
    expect(findAll(select, "s-option").map(textOf)).toEqual(["Percent off", "Amount off"]);
    const block = find(body, "s-admin-block");
    expect(block.getAttribute("heading")).toBe("Post-purchase offer");
    expect(block.getAttribute("collapsedSummary")).toBe(
      "Offers Enamel camp mug - Forest green after checkout",
    );
    expect(findAll(body, "s-banner")).toEqual([]);
  });

  it("picks a variant with the resource picker and saves the offer into the recipe", async () => {
    const app = fakeApp({ ...SAVED, offer: null, recipeEnabled: false });
    const blockApiValue = api();
    blockApiValue.resourcePicker.mockResolvedValue([
      { id: "gid://shopify/ProductVariant/808950830", displayName: "Trail lantern" },
    ]);
    const body = await mount(blockApiValue);
    await waitFor(() => find(body, "s-button", "Save offer"));
    expect(textOf(find(body, "s-banner"))).toContain(
      "The Post-purchase upsell recipe is switched off",
    );

    find(body, "s-button", "Choose variant").dispatch("click");
    await waitFor(() => textOf(body).includes("Trail lantern"));
    expect(blockApiValue.resourcePicker).toHaveBeenCalledWith({
      type: "variant",
      action: "select",
      multiple: false,
    });
    edit(findAll(body, "s-number-field")[0]!, "20");
    edit(find(body, "s-select"), "fixed_amount");
    await waitFor(() => findAll(body, "s-number-field")[0]!.getAttribute("suffix") === null);
    find(body, "s-button", "Save offer").dispatch("click");

    await waitFor(() => textOf(body).includes("Offer saved."));
    expect(app.posts).toEqual([
      {
        intent: "save",
        productId: PRODUCT_GID,
        offerVariantId: "808950830",
        fallbackVariantId: null,
        discount: { type: "fixed_amount", value: 20 },
        minimumStock: 3,
      },
    ]);
  });

  it("shows the recipe schema's errors on their fields", async () => {
    fakeApp(SAVED, () => ({
      status: 422,
      body: {
        ok: false,
        errors: {
          "discount.value": "A percentage discount is at most 90",
          minimumStock: "At least 1 units",
        },
      },
    }));
    const body = await mount(api());
    await waitFor(() => find(body, "s-button", "Save offer"));
    edit(findAll(body, "s-number-field")[0]!, "95");
    find(body, "s-button", "Save offer").dispatch("click");

    await waitFor(() => findAll(body, "s-number-field")[0]!.getAttribute("error"));
    const [discount, minimum] = findAll(body, "s-number-field");
    expect(discount!.getAttribute("error")).toBe("A percentage discount is at most 90");
    expect(discount!.value).toBe("95");
    expect(minimum!.getAttribute("error")).toBe("At least 1 units");
    expect(textOf(body)).not.toContain("Offer saved.");
  });

  it("removes the offer", async () => {
    const app = fakeApp(SAVED);
    const body = await mount(api());
    (await waitFor(() => find(body, "s-button", "Remove offer"))).dispatch("click");
    await waitFor(() => textOf(body).includes("Offer removed."));
    expect(app.posts).toEqual([{ intent: "remove", productId: PRODUCT_GID }]);
    expect(findAll(body, "s-button", (b) => textOf(b) === "Remove offer")).toEqual([]);
  });

  it("shows the app's error when the offer cannot be loaded", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(JSON.stringify({ error: "Unauthorized" }), { status: 401 })),
    );
    const body = await mount(api());
    const banner = await waitFor(() => find(body, "s-banner"));
    expect(textOf(banner)).toBe("Couldn't load the offer settings: Unauthorized");
    expect(banner.getAttribute("tone")).toBe("critical");
    expect(findAll(body, "s-button")).toEqual([]);
  });

  it("says why a save failed when the app answers with an error, and keeps the form", async () => {
    fakeApp(SAVED, () => ({ status: 500, body: { error: "Internal Server Error" } }));
    const body = await mount(api());
    (await waitFor(() => find(body, "s-button", "Save offer"))).dispatch("click");
    const banner = await waitFor(() => find(body, "s-banner", "Couldn't save"));
    expect(textOf(banner)).toBe("Couldn't save: Internal Server Error");
    expect(banner.getAttribute("tone")).toBe("critical");
    expect(findAll(body, "s-number-field")[0]!.value).toBe("15");
    expect(textOf(body)).not.toContain("Offer saved.");
  });

  it("is translated (French admin)", async () => {
    fakeApp(SAVED);
    const body = await mount(api({ locale: "fr" }));
    await waitFor(() => find(body, "s-button", "Enregistrer l'offre"));
    expect(find(body, "s-admin-block").getAttribute("heading")).toBe("Offre après achat");
    expect(findAll(body, "s-number-field").map((f) => f.getAttribute("label"))).toEqual([
      "Valeur de la réduction",
      "Stock minimum pour proposer une variante",
    ]);
  });
});
