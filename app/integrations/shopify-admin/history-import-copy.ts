import type { Locale } from "../../i18n/locale";
import { defineMessages, type Params } from "../../i18n/messages";
import { storedSentences, type StoredCode } from "../../i18n/stored";

/**
 * Why a history import stopped or is retrying, as Home's card says it: stored in English on the
 * import's row by its jobs (`storedImportError`), shown in the admin's language
 * (`importErrorText`). Shopify's own words (a refusal's detail) stay as Shopify wrote them.
 */
const messages = defineMessages({
  en: {
    orders: "orders",
    stock: "stock levels",
    cancelled: "The export of your {what} was cancelled in Shopify before it finished.",
    expired: "Shopify's export of your {what} expired before Switchboard could read it.",
    accessDenied:
      "Shopify did not let Switchboard read your {what}: the app is missing a permission. Approve the app's access in Shopify, then retry.",
    timeout: "Shopify took too long to export your {what}.",
    shopifyError: "Shopify could not export your {what} (an error on Shopify's side).",
    refused: "Shopify refused to export your {what}: {detail}",
    expiredReading:
      "Shopify's export of your {what} expired before Switchboard finished reading it.",
    unreadable: "Shopify's export of your {what} could not be read ({detail}).",
    busy: "Shopify is still busy with another export; Switchboard will try again.",
    noSession:
      "Switchboard has no access to your store right now. Open the app from Shopify admin, then retry.",
    noAnswer: "Shopify did not answer while importing your {what} ({detail}).",
    noOperation: "no operation was created",
    exportGone: "Shopify no longer knows the export {id}",
  },
  fr: {
    orders: "commandes",
    stock: "niveaux de stock",
    cancelled: "L’export de vos {what} a été annulé dans Shopify avant la fin.",
    expired: "L’export de vos {what} par Shopify a expiré avant que Switchboard puisse le lire.",
    accessDenied:
      "Shopify n’a pas laissé Switchboard lire vos {what} : il manque une autorisation à l’application. Approuvez l’accès de l’application dans Shopify, puis réessayez.",
    timeout: "Shopify a mis trop de temps à exporter vos {what}.",
    shopifyError: "Shopify n’a pas pu exporter vos {what} (une erreur du côté de Shopify).",
    refused: "Shopify a refusé d’exporter vos {what} : {detail}",
    expiredReading:
      "L’export de vos {what} par Shopify a expiré avant que Switchboard ait fini de le lire.",
    unreadable: "L’export de vos {what} par Shopify n’a pas pu être lu ({detail}).",
    busy: "Shopify est encore occupé par un autre export ; Switchboard réessaiera.",
    noSession:
      "Switchboard n’a pas accès à votre boutique pour le moment. Ouvrez l’application depuis l’admin Shopify, puis réessayez.",
    noAnswer: "Shopify n’a pas répondu pendant l’importation de vos {what} ({detail}).",
    noOperation: "aucune opération n’a été créée",
    exportGone: "Shopify ne connaît plus l’export {id}",
  },
});

const sentences = storedSentences(messages);
export type ImportErrorCode = StoredCode<(typeof messages)["en"]>;

/** The English an import stores for `code`. */
export function storedImportError(code: ImportErrorCode, params?: Params): string {
  return sentences.stored(code, params);
}

/** A stored import error in the admin's language (as stored when it is none of ours). */
export function importErrorText(stored: string, locale: Locale): string {
  return sentences.shown(stored, locale) ?? stored;
}
