import { intlLocale, type Locale } from "./locale";

/**
 * Message catalogs live beside the code that shows them: one `defineMessages({ en, fr })` per
 * screen or module, the English catalog naming the keys and the French one required to have
 * every key (a missing translation is a type error, not an English word on a French screen).
 *
 * Placeholders are `{name}`. A key whose English text depends on a count has plural forms as
 * sibling keys `key_one` / `key_other` (French too; French counts 0 and 1 as "one"); call it with
 * `t("key", { count })`.
 */
export type Catalog = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

export interface Messages<T extends Catalog> {
  en: T;
  fr: { readonly [K in keyof T]: string };
}

export function defineMessages<const T extends Catalog>(messages: Messages<T>): Messages<T> {
  return messages;
}

/** Keys of a catalog, with plural siblings (`x_one`/`x_other`) also callable as `x`. */
export type MessageKey<T extends Catalog> =
  | (keyof T & string)
  | (keyof T & string extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never);

export type Translate<T extends Catalog> = (key: MessageKey<T>, params?: Params) => string;

const pluralRules = new Map<Locale, Intl.PluralRules>();
function pluralCategory(locale: Locale, count: number): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(intlLocale(locale));
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

/** A translator for one catalog in one locale. */
export function translator<T extends Catalog>(messages: Messages<T>, locale: Locale): Translate<T> {
  const catalog: Record<string, string> = messages[locale] ?? messages.en;
  return (key, params) => {
    let text = catalog[key];
    if (text === undefined && params && typeof params.count === "number") {
      text = catalog[`${key}_${pluralCategory(locale, params.count)}`] ?? catalog[`${key}_other`];
    }
    if (text === undefined) text = messages.en[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? value.toLocaleString(intlLocale(locale)) : value;
    });
  };
}
