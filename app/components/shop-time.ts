import { createContext, useContext } from "react";

/**
 * Times as the merchant reads them: in the shop's time zone (Shop.ianaTimezone, from the
 * install's shop lookup), the same on the server's render and in the browser, whatever zone
 * either runs in. A screen's loader passes the zone; its component provides it (ShopTimeZone).
 */
export const formatTime = (value: string, timeZone: string) =>
  new Date(value).toLocaleString("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" });

export const formatDate = (value: string, timeZone: string) =>
  new Date(value).toLocaleDateString("en-US", { timeZone, dateStyle: "medium" });

/** The shop's IANA time zone; UTC until Shopify has told us it. */
export const ShopTimeZone = createContext("UTC");

export function useFormatTime() {
  const timeZone = useContext(ShopTimeZone);
  return (value: string) => formatTime(value, timeZone);
}

export function useFormatDate() {
  const timeZone = useContext(ShopTimeZone);
  return (value: string) => formatDate(value, timeZone);
}
