import type { OfferCopy } from "./config";

/** What the offer page says in one language; null keeps the page's own wording. */
export interface OfferPageCopy {
  headline: string | null;
  body: string | null;
  button: string | null;
}

/** The language of the merchant's copy for a checkout locale: French for fr-*, else English. */
export const copyLanguage = (locale: string | null | undefined): "en" | "fr" =>
  (locale ?? "").toLowerCase().split(/[-_]/)[0] === "fr" ? "fr" : "en";

/**
 * A rule's copy for a shopper's checkout locale (null when the rule words nothing in it). It
 * also reads a settings form's draft (the live preview), where a field may not be text yet.
 */
export function offerPageCopy(
  copy: Partial<Record<keyof OfferCopy, unknown>> | undefined,
  locale: string | null | undefined,
): OfferPageCopy | null {
  if (!copy) return null;
  const fr = copyLanguage(locale) === "fr";
  const text = (value: unknown) =>
    typeof value === "string" && value.trim() !== "" ? value.trim() : null;
  const chosen = {
    headline: text(fr ? copy.headlineFr : copy.headlineEn),
    body: text(fr ? copy.bodyFr : copy.bodyEn),
    button: text(fr ? copy.buttonFr : copy.buttonEn),
  };
  return (chosen.headline ?? chosen.body ?? chosen.button) ? chosen : null;
}

/**
 * What a funnel step's page says: the step's own words (the next offer's or the downsell's), each
 * empty field taking the first offer's words, then the page's own.
 */
export function funnelStepCopy(
  rule:
    | {
        copy?: Partial<Record<keyof OfferCopy, unknown>>;
        nextCopy?: Partial<Record<keyof OfferCopy, unknown>>;
        downsellCopy?: Partial<Record<keyof OfferCopy, unknown>>;
      }
    | undefined,
  step: "offer" | "next" | "downsell",
  locale: string | null | undefined,
): OfferPageCopy | null {
  if (!rule) return null;
  const first = offerPageCopy(rule.copy, locale);
  const own =
    step === "next"
      ? offerPageCopy(rule.nextCopy, locale)
      : step === "downsell"
        ? offerPageCopy(rule.downsellCopy, locale)
        : null;
  if (!own) return first;
  return {
    headline: own.headline ?? first?.headline ?? null,
    body: own.body ?? first?.body ?? null,
    button: own.button ?? first?.button ?? null,
  };
}
