import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import type { Locale } from "../../i18n/locale";
import { translator } from "../../i18n/messages";
import { messages } from "./messages";

export interface LoginErrors {
  shop?: string;
}

export function loginErrorMessage(
  loginErrors: { shop?: LoginErrorType } | undefined,
  locale: Locale = "en",
): LoginErrors {
  const t = translator(messages, locale);
  if (loginErrors?.shop === LoginErrorType.MissingShop) return { shop: t("missingShop") };
  if (loginErrors?.shop === LoginErrorType.InvalidShop) return { shop: t("invalidShop") };
  return {};
}
