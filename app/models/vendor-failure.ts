import type { Locale } from "../i18n/locale";
import { defineMessages, translator } from "../i18n/messages";

/** A vendor call's failure said to a merchant (Activity's failed jobs and deliveries being retried). */
const messages = defineMessages({
  en: {
    vendorServerError: "its servers answered with an error",
    vendorRateLimited: "it kept asking us to slow down",
    vendorTimeout: "it did not answer in time",
    vendorUnreachable: "it could not be reached",
    vendorUnauthorized: "it no longer accepts the key; reconnect it on Integrations",
    vendorForbidden: "the key is not allowed to do this; check its permissions on Integrations",
    vendorNotFound: "what it was asked to change no longer exists there",
    vendorRefused: "it did not accept what was sent ({detail})",
  },
  fr: {
    vendorServerError: "ses serveurs ont répondu par une erreur",
    vendorRateLimited: "il nous a demandé de ralentir à chaque fois",
    vendorTimeout: "il n’a pas répondu à temps",
    vendorUnreachable: "il était injoignable",
    vendorUnauthorized: "il n’accepte plus la clé ; reconnectez-le dans Intégrations",
    vendorForbidden:
      "la clé n’a pas le droit de le faire ; vérifiez ses autorisations dans Intégrations",
    vendorNotFound: "ce qu’on lui demandait de modifier n’existe plus chez lui",
    vendorRefused: "il n’a pas accepté ce qui a été envoyé ({detail})",
  },
});

/** How the vendor clients word a failed call (app/integrations/http.server.ts). */
const VENDOR_FAILURE = /^(?:Klaviyo|Gorgias|Shopify) \S+ failed(?: (\d{3}))?: (.*)$/s;

/**
 * A vendor call's failure in plain words ("its servers answered with an error"); the error as
 * stored (operation, status, the vendor's words) stays in the technical details. Anything else
 * (our own words) is said as it is.
 */
export function plainFailure(error: string, locale: Locale = "en"): string {
  const t = translator(messages, locale);
  const match = VENDOR_FAILURE.exec(error);
  if (!match) return error;
  const status = match[1] ? Number(match[1]) : null;
  const detail = match[2]!;
  if (status === null)
    return /^no answer within/.test(detail) ? t("vendorTimeout") : t("vendorUnreachable");
  if (status >= 500) return t("vendorServerError");
  if (status === 429) return t("vendorRateLimited");
  if (status === 401) return t("vendorUnauthorized");
  if (status === 403) return t("vendorForbidden");
  if (status === 404 || status === 410) return t("vendorNotFound");
  return t("vendorRefused", { detail });
}
