import { createContext, useContext, useMemo } from "react";
import { shopTime, type ShopTime, type ShopTimeSettings } from "../utils/shop-time";

/**
 * The shop's time on screens (app/utils/shop-time.ts does the formatting). A screen's loader
 * returns `shopTimeSettings(…)` (zone, locale and the loader's now, so relative times read the
 * same on the server's render and in the browser); its component provides it (ShopTimeContext).
 */
export interface ShopTimeValue extends ShopTimeSettings {
  /** The loader's now (ISO): what "3 minutes ago" is relative to. */
  now: string;
}

export const ShopTimeContext = createContext<ShopTimeValue>({
  timeZone: "UTC",
  locale: null,
  now: "1970-01-01T00:00:00.000Z",
});

/** What a loader returns for ShopTimeContext. */
export const shopTimeSettings = (
  timeZone: string | null | undefined,
  now: Date,
  locale?: string | null,
): ShopTimeValue => ({
  timeZone: timeZone ?? null,
  locale: locale ?? null,
  now: now.toISOString(),
});

export interface ShopTimeHook extends ShopTime {
  /** `when` against the loader's now: "3 minutes ago" while recent, else a date-time. */
  ago(at: Date | string): string;
}

export function useShopTime(): ShopTimeHook {
  const value = useContext(ShopTimeContext);
  return useMemo(() => {
    const time = shopTime(value);
    return { ...time, ago: (at: Date | string) => time.when(at, value.now) };
  }, [value]);
}

/** An instant as a date-time in the shop's zone, relative while recent. */
export function useFormatTime() {
  return useShopTime().ago;
}

/** An instant's day in the shop's zone. */
export function useFormatDate() {
  return useShopTime().date;
}
