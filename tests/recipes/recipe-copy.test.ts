import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { SchemaForm } from "../../app/components/SchemaForm";
import { LocaleContext } from "../../app/i18n/react";
import { translator, type Params } from "../../app/i18n/messages";
import { guardConfigSchema } from "../../app/recipes/engine/guards";
import { FIELD_ERRORS, localizeFieldError } from "../../app/recipes/field-copy";
import { recipeText, shopMoney } from "../../app/recipes/recipe-text";
import { RECIPES } from "../../app/recipes/registry";
import { configSchema as reviewConfig } from "../../app/recipes/review-request-timing/config";
import { configSchema as upsellConfig } from "../../app/recipes/post-purchase-upsell/config";
import {
  formSchema,
  issuesToErrors,
  toDraft,
  localizeSchema,
  type FieldSchema,
} from "../../app/utils/schema-form";

/** Every titled field of a settings form, with its dotted path. */
function fields(schema: FieldSchema, path = ""): { path: string; field: FieldSchema }[] {
  const found: { path: string; field: FieldSchema }[] = [];
  if (schema.title !== undefined) found.push({ path, field: schema });
  for (const [key, child] of Object.entries(schema.properties ?? {}))
    found.push(...fields(child, path ? `${path}.${key}` : key));
  if (schema.items) found.push(...fields(schema.items, `${path}[]`));
  return found;
}

/** A settings form server-rendered with `value` and the errors its schema gives for it. */
function renderForm(schema: z.ZodType, value: Record<string, unknown>, locale: "en" | "fr") {
  const json = formSchema(schema);
  const parsed = schema.safeParse(value);
  return renderToString(
    createElement(
      AppProvider,
      { i18n: enTranslations },
      createElement(
        LocaleContext.Provider,
        { value: locale },
        createElement(SchemaForm, {
          schema: json,
          draft: toDraft(json, value),
          errors: parsed.success ? {} : issuesToErrors(parsed.error.issues),
          onChange: () => {},
        }),
      ),
    ),
  ).replaceAll("<!-- -->", "");
}

const forms = [
  ...RECIPES.map((r) => ({ name: r.id, schema: formSchema(r.configSchema) })),
  { name: "shared guards", schema: formSchema(guardConfigSchema) },
];

describe("the recipe catalog in French", () => {
  it("names every recipe and says what it does in French", () => {
    for (const recipe of RECIPES) {
      const fr = recipeText(recipe, "fr");
      expect(fr.title, recipe.id).not.toBe("");
      expect(fr.title, recipe.id).not.toBe(recipe.title);
      expect(fr.summary, recipe.id).not.toBe(recipe.summary);
      expect(recipeText(recipe)).toEqual({ title: recipe.title, summary: recipe.summary });
    }
    const upsell = RECIPES.find((r) => r.id === "post-purchase-upsell")!;
    expect(recipeText(upsell, "fr").title).toBe("Vente incitative après achat");
    expect(recipeText("post-purchase-upsell", "fr").title).toBe("Vente incitative après achat");
    expect(recipeText("post-purchase-upsell").title).toBe("Post-purchase upsell");
  });

  it("says what each recipe will do with its settings in French", () => {
    for (const recipe of RECIPES) {
      const config = recipe.configSchema.parse({});
      const english = recipe.describe(config);
      expect(recipe.describe(config, "en"), recipe.id).toBe(english);
      expect(recipe.describe(config, "fr"), recipe.id).not.toBe(english);
    }
    const review = RECIPES.find((r) => r.id === "review-request-timing")!;
    expect(review.describe(review.configSchema.parse({}), "fr")).toBe(
      "7 jours après la livraison, envoie « Review Request Due » à Klaviyo, sauf si un ticket ou un remboursement est ouvert (attend alors jusqu’à 14 jours de plus) ou si la limite marketing est atteinte.",
    );
  });

  it("says amounts of the settings in the shop's currency, in the admin's language", () => {
    const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
    const highValue = RECIPES.find((r) => r.id === "high-value-white-glove")!;
    const config = highValue.configSchema.parse({ threshold: 250 });
    expect(highValue.describe(config, "en", shopMoney("EUR", "en"))).toMatch(
      /^Orders of €250\.00 or more get/,
    );
    expect(spaces(highValue.describe(config, "fr", shopMoney("EUR", "fr")))).toMatch(
      /^Les commandes de 250,00 € ou plus reçoivent/,
    );
    const vip = RECIPES.find((r) => r.id === "vip-tier-sync")!;
    expect(
      vip.describe(
        vip.configSchema.parse({ minLifetimeSpend: 1000 }),
        "en",
        shopMoney("CAD", "en"),
      ),
    ).toContain("their lifetime spend reaches CA$1,000.00");
  });

  it("has French for every settings field's title, description, options and item words", () => {
    for (const { name, schema } of forms) {
      const all = fields(schema);
      expect(all.length, name).toBeGreaterThan(0);
      for (const { path, field } of all) {
        const where = `${name}: ${path}`;
        expect(field.fr?.title, where).toBeTruthy();
        if (field.description) expect(field.fr?.description, where).toBeTruthy();
        if (field.options)
          expect(Object.keys(field.fr?.options ?? {}).sort(), where).toEqual(
            Object.keys(field.options).sort(),
          );
        if (field.itemTitle) {
          expect(field.fr?.itemTitle, where).toBeTruthy();
          expect(field.fr?.addItem, where).toBeTruthy();
        }
      }
    }
  });

  it("shows the form's words in French, units included, and leaves English as it was", () => {
    const json = formSchema(upsellConfig);
    expect(localizeSchema(json, "en")).toBe(json);
    const fr = localizeSchema(json, "fr");
    expect(fr.properties!.minimumStock!.title).toBe(
      "Ne proposer qu’une variante ayant au moins ce stock",
    );
    expect(fr.properties!.minimumStock!.unit).toBe("unités");
    expect(json.properties!.minimumStock!.unit).toBe("units");
    const rule = fr.properties!.rules!.items!.properties!;
    expect(rule.discount!.properties!.type!.options).toEqual({
      percentage: "Pourcentage de réduction",
      fixed_amount: "Montant de réduction",
    });
    expect(fr.properties!.rules!.addItem).toBe("Ajouter une règle");
  });
});

describe("settings errors in French", () => {
  it("reads a recipe's own validation errors in French, numbers and plurals agreeing", () => {
    const parsed = reviewConfig.safeParse({ daysAfterDelivery: 0, holdDays: 31, metric: " " });
    expect(parsed.success).toBe(false);
    const errors = issuesToErrors(parsed.error!.issues);
    expect(errors).toEqual({
      daysAfterDelivery: "At least 1 day",
      holdDays: "At most 30 days",
      metric: "Give the event a name",
    });
    const fr = Object.fromEntries(
      Object.entries(errors).map(([k, v]) => [k, localizeFieldError(v, "fr")]),
    );
    expect(fr).toEqual({
      daysAfterDelivery: "Au moins 1 jour",
      holdDays: "Au plus 30 jours",
      metric: "Donnez un nom à l’événement",
    });
    expect(localizeFieldError("At most 1,000,000", "fr")).toBe(
      `Au plus ${(1_000_000).toLocaleString("fr-FR")}`,
    );
    expect(
      localizeFieldError("3 of these products are no longer in your store: remove them", "fr"),
    ).toBe("3 de ces produits ne sont plus dans votre boutique : retirez-les");
    expect(localizeFieldError("At least 1 day", "en")).toBe("At least 1 day");
    expect(localizeFieldError("Something we never wrote", "fr")).toBe("Something we never wrote");
  });

  it("finds the French for every error the settings schemas can give", () => {
    const en = translator(FIELD_ERRORS, "en") as (key: string, params?: Params) => string;
    const fr = translator(FIELD_ERRORS, "fr") as (key: string, params?: Params) => string;
    const keys = new Set(Object.keys(FIELD_ERRORS.en).map((k) => k.replace(/_(one|other)$/, "")));
    for (const key of keys)
      for (const params of [
        { count: 1, max: 10, min: 1 },
        { count: 3, max: 1500, min: 2 },
      ]) {
        expect(localizeFieldError(en(key, params), "fr"), key).toBe(fr(key, params));
      }
  });
});

describe("the settings form in French", () => {
  it("shows a French admin French labels, units and inline errors", () => {
    const form = (locale: "en" | "fr") =>
      renderForm(reviewConfig, { daysAfterDelivery: 0 }, locale);
    const fr = form("fr");
    expect(fr).toContain("Demander un avis ce nombre de jours après la livraison");
    expect(fr).toContain("Au moins 1 jour");
    expect(fr).toContain(">jours<");
    expect(fr).toContain("Nom de l’événement Klaviyo");
    expect(fr).not.toContain("At least 1 day");
    const en = form("en");
    expect(en).toContain("Ask for a review this many days after delivery");
    expect(en).toContain("At least 1 day");
  });
});

describe("the upsell rule's A/B test fields", () => {
  it("asks for version B, its share and the holdout, and says inline when B is the same offer", () => {
    const value = {
      rules: [
        {
          productIds: ["100"],
          offerVariantId: "900",
          discount: { type: "percentage", value: 10 },
          testShare: 50,
          testDiscount: { type: "percentage", value: 10 },
          holdoutShare: 60,
        },
      ],
    };
    const form = (locale: "en" | "fr") => renderForm(upsellConfig, value, locale);
    const en = form("en");
    expect(en).toContain("A/B test: show version B to this share of shoppers");
    expect(en).toContain("Version B offers this variant");
    expect(en).toContain("Holdout: show no offer to this share of shoppers");
    expect(en).toContain("Version B is the same as the offer: choose another variant or discount");
    expect(en).toContain("At most 50 %");
    const fr = form("fr");
    expect(fr).toContain("Test A/B : montrer la version B à cette part des acheteurs");
    expect(fr).toContain("La version B est identique à l’offre");
    expect(fr).toContain("Au plus 50 %");
  });
});
