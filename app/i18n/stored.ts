import type { Locale } from "./locale";
import { translator, type Catalog, type Messages, type Params } from "./messages";

/**
 * Sentences the app stores in English (a run's reasons, why an import failed) and shows in the
 * admin's language. Code writes one from its catalog key (`stored`); a screen recognises the
 * stored text by that key's English template and says it again in the admin's language
 * (`shown`), so nothing stored changes and rows written before still read translated.
 */
export interface StoredSentences<Code extends string> {
  stored(code: Code, params?: Params): string;
  /** The stored sentence in `locale`; null when it is none of the catalog's. */
  shown(stored: string, locale: Locale, param?: (value: string) => string): string | null;
}

/** Plural siblings (`x_one`, `x_other`) are one code, `x`, stored with `count`. */
export type StoredCode<T extends Catalog> = {
  [K in keyof T & string]: K extends `${infer Base}_${"one" | "other"}` ? Base : K;
}[keyof T & string];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `param` translates a captured parameter (a nested sentence, a date); by default a parameter
 * that is itself one of the catalog's sentences is translated and anything else kept as stored.
 */
export function storedSentences<T extends Catalog>(
  messages: Messages<T>,
): StoredSentences<StoredCode<T>> {
  // Longer templates first, so "…; still paused" wins over its prefix.
  const patterns = Object.keys(messages.en)
    .map((key) => {
      const names: string[] = [];
      const source = escapeRegExp(messages.en[key]!).replace(/\\\{(\w+)\\\}/g, (_, name) => {
        names.push(name as string);
        return name === "count" ? "(\\d[\\d,]*)" : "(.+?)";
      });
      return { key, names, pattern: new RegExp(`^${source}$`), length: source.length };
    })
    .sort((a, b) => b.length - a.length);

  const shown = (
    stored: string,
    locale: Locale,
    param: (value: string) => string = (value) => value,
  ): string | null => {
    if (locale === "en") return null;
    for (const { key, names, pattern } of patterns) {
      const match = pattern.exec(stored);
      if (!match) continue;
      const params: Record<string, string | number> = {};
      names.forEach((name, i) => {
        const value = match[i + 1]!;
        params[name] =
          name === "count"
            ? Number(value.replace(/,/g, ""))
            : (shown(value, locale, param) ?? param(value));
      });
      return translator(messages, locale)(key.replace(/_(one|other)$/, "") as never, params);
    }
    return null;
  };
  return {
    stored: (code, params) => translator(messages, "en")(code as never, params),
    shown,
  };
}
