import en from "../locales/en.json";
import fr from "../locales/fr.json";

export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const CATALOGS: Record<string, Catalog> = { en, fr };

export interface Translator {
  locale: string;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  money(amount: string | number, currency: string): string;
}

/**
 * Strings for the buyer's checkout locale ("fr-CA" → fr), English otherwise. The post-purchase
 * API has no translation helper, so the catalogs ship in the bundle.
 */
export function createTranslator(locale: string | undefined): Translator {
  const tag = locale || "en";
  const catalog = CATALOGS[tag.toLowerCase().split(/[-_]/)[0] ?? "en"] ?? en;
  return {
    locale: tag,
    t(key, values = {}) {
      return (catalog[key] ?? en[key]).replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
        name in values ? String(values[name]) : whole,
      );
    },
    money(amount, currency) {
      const value = Number(amount);
      try {
        return new Intl.NumberFormat(tag, { style: "currency", currency }).format(value);
      } catch {
        return `${value.toFixed(2)} ${currency}`;
      }
    },
  };
}

/** 299 → "4:59"; an hour or more → "1:00:00". */
export function countdownTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours > 0 ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${minutes}:${two(s % 60)}`;
}
