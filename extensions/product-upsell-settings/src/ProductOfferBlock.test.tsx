import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { blockApi, installAdmin, mountTarget } from "../../../tests/extension-host/admin-host";
import { find, findAll, textOf, waitFor } from "../../../tests/extension-host/remote-tree";
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
  let targets: ReturnType<typeof installAdmin>;
  beforeAll(async () => {
    targets = installAdmin();
    await import("./BlockExtension");
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows this product's saved offer with the variant's name, discount and minimum stock", async () => {
    fakeApp(SAVED);
    const blockApiValue = api();
    const tree = await mountTarget(targets, TARGET, blockApiValue);
    await waitFor(() => textOf(tree()).includes("Enamel camp mug - Forest green"));
    expect(blockApiValue.query).toHaveBeenCalledWith(
      expect.stringContaining("SwitchboardVariantNames"),
      { variables: { ids: ["gid://shopify/ProductVariant/808950820"] } },
    );
    const fields = findAll(tree(), "NumberField");
    expect(fields.map((f) => [f.props!.label, f.props!.value])).toEqual([
      ["Discount value", 15],
      ["Minimum stock to offer a variant", 3],
    ]);
    expect(find(tree(), "Select").props).toMatchObject({ label: "Discount", value: "percentage" });
    expect(find(tree(), "AdminBlock").props).toMatchObject({
      title: "Post-purchase offer",
      collapsedSummary: "Offers Enamel camp mug - Forest green after checkout",
    });
    expect(findAll(tree(), "Banner")).toEqual([]);
  });

  it("picks a variant with the resource picker and saves the offer into the recipe", async () => {
    const app = fakeApp({ ...SAVED, offer: null, recipeEnabled: false });
    const blockApiValue = api();
    blockApiValue.resourcePicker.mockResolvedValue([
      { id: "gid://shopify/ProductVariant/808950830", displayName: "Trail lantern" },
    ]);
    const tree = await mountTarget(targets, TARGET, blockApiValue);
    await waitFor(() => find(tree(), "Button", "Save offer"));
    expect(textOf(find(tree(), "Banner"))).toContain(
      "The Post-purchase upsell recipe is switched off",
    );

    find(tree(), "Button", "Choose variant").props!.onPress();
    await waitFor(() => textOf(tree()).includes("Trail lantern"));
    expect(blockApiValue.resourcePicker).toHaveBeenCalledWith({
      type: "variant",
      action: "select",
      multiple: false,
    });
    findAll(tree(), "NumberField")[0]!.props!.onChange(20);
    find(tree(), "Select").props!.onChange("fixed_amount");
    await waitFor(() => find(tree(), "Select").props!.value === "fixed_amount");
    find(tree(), "Button", "Save offer").props!.onPress();

    await waitFor(() => textOf(tree()).includes("Offer saved."));
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
    const tree = await mountTarget(targets, TARGET, api());
    await waitFor(() => find(tree(), "Button", "Save offer"));
    findAll(tree(), "NumberField")[0]!.props!.onChange(95);
    await waitFor(() => findAll(tree(), "NumberField")[0]!.props!.value === 95);
    find(tree(), "Button", "Save offer").props!.onPress();

    await waitFor(() => findAll(tree(), "NumberField")[0]!.props!.error);
    const [discount, minimum] = findAll(tree(), "NumberField");
    expect(discount!.props!.error).toBe("A percentage discount is at most 90");
    expect(minimum!.props!.error).toBe("At least 1 units");
    expect(textOf(tree())).not.toContain("Offer saved.");
  });

  it("removes the offer", async () => {
    const app = fakeApp(SAVED);
    const tree = await mountTarget(targets, TARGET, api());
    (await waitFor(() => find(tree(), "Button", "Remove offer"))).props!.onPress();
    await waitFor(() => textOf(tree()).includes("Offer removed."));
    expect(app.posts).toEqual([{ intent: "remove", productId: PRODUCT_GID }]);
    expect(findAll(tree(), "Button", (b) => textOf(b) === "Remove offer")).toEqual([]);
  });

  it("is translated (French admin)", async () => {
    fakeApp(SAVED);
    const tree = await mountTarget(targets, TARGET, api({ locale: "fr" }));
    await waitFor(() => find(tree(), "Button", "Enregistrer l'offre"));
    expect(find(tree(), "AdminBlock").props).toMatchObject({ title: "Offre après achat" });
    expect(findAll(tree(), "NumberField").map((f) => f.props!.label)).toEqual([
      "Valeur de la réduction",
      "Stock minimum pour proposer une variante",
    ]);
  });
});
