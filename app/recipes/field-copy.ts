import type { Locale } from "../i18n/locale";
import { defineMessages, translator, type Params } from "../i18n/messages";

/**
 * The words of settings forms that are not a field's own title: units shown after a number
 * field, and the inline errors the settings schemas give (app/recipes/shared.ts, each recipe's
 * config.ts, the shared guards). English stays the source in the schemas; the form shows an
 * error in the admin's language by finding the English template it was made from
 * (`localizeFieldError`), so the client's and the server's errors read the same.
 */

export const UNITS = defineMessages({
  en: { hours: "hours", days: "days", units: "units", orders: "orders", minutes: "minutes" },
  fr: { hours: "heures", days: "jours", units: "unités", orders: "commandes", minutes: "minutes" },
});
export type Unit = keyof (typeof UNITS)["en"];

/** A unit shown after a number field ("hours" → "heures"); an unknown one as it is. */
export function unitLabel(unit: string, locale: Locale): string {
  return unit in UNITS.en ? translator(UNITS, locale)(unit as Unit) : unit;
}

export const FIELD_ERRORS = defineMessages({
  en: {
    // app/recipes/shared.ts
    idInvalid_variant: "Enter a variant ID: digits, or gid://shopify/ProductVariant/…",
    idInvalid_product: "Enter a product ID: digits, or gid://shopify/Product/…",
    idInvalid_collection: "Enter a collection ID: digits, or gid://shopify/Collection/…",
    choose_variant: "Choose a variant",
    choose_product: "Choose a product",
    choose_collection: "Choose a collection",
    goneVariant: "This variant is no longer in your store: choose another",
    goneProducts_one: "One of these products is no longer in your store: remove it",
    goneProducts_other: "{count} of these products are no longer in your store: remove them",
    goneCollections_one: "One of these collections is no longer in your store: remove it",
    goneCollections_other: "{count} of these collections are no longer in your store: remove them",
    tagTooLong: "Tags are at most 40 characters",
    atMostTags: "At most {max} tags",
    countryCode: "Use two-letter country codes, like US or FR",
    atMostCountries: "At most {max} countries",
    wholeNumber_hours: "Enter a whole number of hours",
    wholeNumber_days: "Enter a whole number of days",
    wholeNumber_units: "Enter a whole number of units",
    wholeNumber_orders: "Enter a whole number of orders",
    wholeNumber_minutes: "Enter a whole number of minutes",
    wholeNumber: "Enter a whole number",
    notNegative: "Can't be negative",
    atLeast_hours_one: "At least {count} hour",
    atLeast_hours_other: "At least {count} hours",
    atLeast_days_one: "At least {count} day",
    atLeast_days_other: "At least {count} days",
    atLeast_units_one: "At least {count} unit",
    atLeast_units_other: "At least {count} units",
    atLeast_orders_one: "At least {count} order",
    atLeast_orders_other: "At least {count} orders",
    atMost_hours_one: "At most {count} hour",
    atMost_hours_other: "At most {count} hours",
    atMost_days_one: "At most {count} day",
    atMost_days_other: "At most {count} days",
    atMost_units_one: "At most {count} unit",
    atMost_units_other: "At most {count} units",
    atMost_orders_one: "At most {count} order",
    atMost_orders_other: "At most {count} orders",
    atLeast_minutes_one: "At least {count} minute",
    atLeast_minutes_other: "At least {count} minutes",
    atMost_minutes_one: "At most {count} minute",
    atMost_minutes_other: "At most {count} minutes",
    wholePercent: "Enter a whole percentage",
    atLeastPercent: "At least {min} %",
    atMostPercent: "At most {max} %",
    enterAmount: "Enter an amount",
    atLeastNumber: "At least {min}",
    atMostNumber: "At most {max}",
    giveEventName: "Give the event a name",
    atMostCharacters: "At most {max} characters",
    giveListName: "Give the list a name",
    // Recipes' own settings
    giveTagName: "Give the tag a name",
    oneTag: "One tag, without commas",
    propertyName: "Letters, digits, spaces and _ only, starting with a letter",
    atMostOverrides: "At most {max} overrides",
    percentageMax: "A percentage discount is at most {max}",
    offerTrigger: "Say which orders get this offer: a product, a collection or a tag",
    fallbackDifferent: "The fallback must be a different variant",
    versionBSame: "Version B is the same as the offer: choose another variant or discount",
    subtotalRange: "No order can be both: the most must be at least the least",
    catchAllLast: "Rules after a catch-all can never match: make it the last rule",
    atMostRules: "At most {max} rules",
    enterSku: "Enter a SKU",
    atMostSkus: "At most {max} SKUs",
    eachSkuOnce: "Each SKU once",
    pickStatus: "Pick at least one carrier status",
    spendOrCount: "Set a spend or an order count (both are 0)",
    oneStage: "Give at least one number of days",
    atMostStages: "At most {max} stages",
    stagesOrder: "List the days from shortest to longest, each once",
    giveListsName: "Give the lists a name",
    // Shared guards
    capAtLeastOne: "At least 1 (switch recipes off to send none)",
    atMostHoursThirtyDays: "At most {max} hours (30 days)",
    atMostMinutesDay: "At most {max} minutes (a day)",
  },
  fr: {
    idInvalid_variant:
      "Saisissez l’ID d’une variante : des chiffres, ou gid://shopify/ProductVariant/…",
    idInvalid_product: "Saisissez l’ID d’un produit : des chiffres, ou gid://shopify/Product/…",
    idInvalid_collection:
      "Saisissez l’ID d’une collection : des chiffres, ou gid://shopify/Collection/…",
    choose_variant: "Choisissez une variante",
    choose_product: "Choisissez un produit",
    choose_collection: "Choisissez une collection",
    goneVariant: "Cette variante n’est plus dans votre boutique : choisissez-en une autre",
    goneProducts_one: "L’un de ces produits n’est plus dans votre boutique : retirez-le",
    goneProducts_other: "{count} de ces produits ne sont plus dans votre boutique : retirez-les",
    goneCollections_one: "L’une de ces collections n’est plus dans votre boutique : retirez-la",
    goneCollections_other:
      "{count} de ces collections ne sont plus dans votre boutique : retirez-les",
    tagTooLong: "Une balise fait au plus 40 caractères",
    atMostTags: "{max} balises au plus",
    countryCode: "Utilisez des codes pays à deux lettres, comme FR ou US",
    atMostCountries: "{max} pays au plus",
    wholeNumber_hours: "Saisissez un nombre entier d’heures",
    wholeNumber_days: "Saisissez un nombre entier de jours",
    wholeNumber_units: "Saisissez un nombre entier d’unités",
    wholeNumber_orders: "Saisissez un nombre entier de commandes",
    wholeNumber_minutes: "Saisissez un nombre entier de minutes",
    wholeNumber: "Saisissez un nombre entier",
    notNegative: "Ne peut pas être négatif",
    atLeast_hours_one: "Au moins {count} heure",
    atLeast_hours_other: "Au moins {count} heures",
    atLeast_days_one: "Au moins {count} jour",
    atLeast_days_other: "Au moins {count} jours",
    atLeast_units_one: "Au moins {count} unité",
    atLeast_units_other: "Au moins {count} unités",
    atLeast_orders_one: "Au moins {count} commande",
    atLeast_orders_other: "Au moins {count} commandes",
    atMost_hours_one: "Au plus {count} heure",
    atMost_hours_other: "Au plus {count} heures",
    atMost_days_one: "Au plus {count} jour",
    atMost_days_other: "Au plus {count} jours",
    atMost_units_one: "Au plus {count} unité",
    atMost_units_other: "Au plus {count} unités",
    atMost_orders_one: "Au plus {count} commande",
    atMost_orders_other: "Au plus {count} commandes",
    atLeast_minutes_one: "Au moins {count} minute",
    atLeast_minutes_other: "Au moins {count} minutes",
    atMost_minutes_one: "Au plus {count} minute",
    atMost_minutes_other: "Au plus {count} minutes",
    wholePercent: "Saisissez un pourcentage entier",
    atLeastPercent: "Au moins {min} %",
    atMostPercent: "Au plus {max} %",
    enterAmount: "Saisissez un montant",
    atLeastNumber: "Au moins {min}",
    atMostNumber: "Au plus {max}",
    giveEventName: "Donnez un nom à l’événement",
    atMostCharacters: "{max} caractères au plus",
    giveListName: "Donnez un nom à la liste",
    giveTagName: "Donnez un nom à la balise",
    oneTag: "Une seule balise, sans virgule",
    propertyName: "Lettres, chiffres, espaces et _ uniquement, en commençant par une lettre",
    atMostOverrides: "{max} exceptions au plus",
    percentageMax: "Une réduction en pourcentage est d’au plus {max}",
    offerTrigger:
      "Indiquez quelles commandes reçoivent cette offre : un produit, une collection ou une balise",
    fallbackDifferent: "La variante de remplacement doit être une autre variante",
    versionBSame:
      "La version B est identique à l’offre : choisissez une autre variante ou réduction",
    subtotalRange: "Aucune commande ne peut remplir les deux : le maximum doit dépasser le minimum",
    catchAllLast:
      "Les règles après une règle par défaut ne peuvent jamais s’appliquer : placez-la en dernier",
    atMostRules: "{max} règles au plus",
    enterSku: "Saisissez un SKU",
    atMostSkus: "{max} SKU au plus",
    eachSkuOnce: "Chaque SKU une seule fois",
    pickStatus: "Choisissez au moins un statut du transporteur",
    spendOrCount: "Indiquez un montant dépensé ou un nombre de commandes (les deux sont à 0)",
    oneStage: "Indiquez au moins un nombre de jours",
    atMostStages: "{max} étapes au plus",
    stagesOrder: "Classez les jours du plus court au plus long, chacun une seule fois",
    giveListsName: "Donnez un nom aux listes",
    capAtLeastOne: "Au moins 1 (désactivez les recettes pour n’en envoyer aucun)",
    atMostHoursThirtyDays: "Au plus {max} heures (30 jours)",
    atMostMinutesDay: "Au plus {max} minutes (une journée)",
  },
});

type ErrorKey = keyof (typeof FIELD_ERRORS)["en"];

/** An error's English text, for the schemas: `fieldError("atMostTags", { max: 10 })`. */
export const fieldError = translator(FIELD_ERRORS, "en");

const NUMERIC = new Set(["count", "min", "max"]);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Template {
  /** The key to call in the other language (a plural's base). */
  key: string;
  pattern: RegExp;
  names: string[];
  /** A `_one` form without `{count}` ("One of these products…"). */
  count?: number;
}

let templates: Template[] | null = null;
function allTemplates(): Template[] {
  if (templates) return templates;
  templates = (Object.entries(FIELD_ERRORS.en) as [ErrorKey, string][])
    .map(([key, text]) => {
      const names: string[] = [];
      const source = text
        .split(/(\{\w+\})/)
        .map((part) => {
          const name = /^\{(\w+)\}$/.exec(part)?.[1];
          if (!name) return escape(part);
          names.push(name);
          return NUMERIC.has(name) ? "([\\d.,\\s\\u202f]+?)" : "(.+?)";
        })
        .join("");
      const plural = /^(.+)_(one|other)$/.exec(key);
      return {
        key: plural ? plural[1]! : key,
        pattern: new RegExp(`^${source}$`),
        names,
        count: plural?.[2] === "one" && !names.includes("count") ? 1 : undefined,
      };
    })
    // The most literal text first: "At most 40 characters" before "At most {max}".
    .sort((a, b) => b.pattern.source.length - a.pattern.source.length);
  return templates;
}

const asNumber = (text: string) => {
  const plain = text.replace(/[,\s\u202f]/g, "");
  return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : text;
};

/** A settings error in the admin's language; one we have no French for stays as it is. */
export function localizeFieldError(message: string, locale: Locale): string {
  if (locale === "en") return message;
  const t = translator(FIELD_ERRORS, locale) as (key: string, params?: Params) => string;
  for (const template of allTemplates()) {
    const match = template.pattern.exec(message);
    if (!match) continue;
    const params: Record<string, string | number> = {};
    template.names.forEach((name, i) => {
      const value = match[i + 1]!;
      params[name] = NUMERIC.has(name) ? asNumber(value) : value;
    });
    if (template.count !== undefined) params.count = template.count;
    return t(template.key, params);
  }
  return message;
}

/** Every error of a form, in the admin's language. */
export function localizeFieldErrors(
  errors: Record<string, string>,
  locale: Locale,
): Record<string, string> {
  if (locale === "en") return errors;
  return Object.fromEntries(
    Object.entries(errors).map(([path, message]) => [path, localizeFieldError(message, locale)]),
  );
}
