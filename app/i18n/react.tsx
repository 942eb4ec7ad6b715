import { createContext, useContext, useMemo } from "react";
import { DEFAULT_LOCALE, type Locale } from "./locale";
import { translator, type Catalog, type Messages, type Translate } from "./messages";

/** The admin's language, provided once by the app layout (app/routes/app.tsx) from its loader. */
export const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

/** `const t = useMessages(messages)` in a component; `t("key", { count })`. */
export function useMessages<T extends Catalog>(messages: Messages<T>): Translate<T> {
  const locale = useLocale();
  return useMemo(() => translator(messages, locale), [messages, locale]);
}
