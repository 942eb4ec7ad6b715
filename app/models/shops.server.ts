import { eq, sql } from "drizzle-orm";
import { shops, type Shop } from "../../db/schema/index";
import type { Db } from "../db.server";
import { shopTime, type ShopTime } from "../utils/shop-time";

/** What Shopify tells the app about a shop (Shop.name, currencyCode, ianaTimezone, plan). */
export interface ShopDetails {
  name: string;
  /** ISO 4217, e.g. "EUR". */
  currency: string;
  /** IANA, e.g. "Europe/Berlin". */
  ianaTimezone: string;
  /** The plan's display name, e.g. "Shopify Plus". */
  plan: string;
}

/**
 * Records an install or reinstall at `now`; keeps the row (and its settings) across reinstalls.
 * A reinstall (the row says uninstalled) renews installedAt; details left out keep what the row
 * had (an install whose shop lookup failed does not erase what an earlier one learned).
 */
export async function recordInstall(
  db: Db,
  domain: string,
  now: Date,
  details: Partial<ShopDetails> = {},
): Promise<Shop> {
  const [row] = await db
    .insert(shops)
    .values({ domain, ...details, installedAt: now, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: shops.domain,
      set: {
        ...details,
        installedAt: sql`case when ${shops.uninstalledAt} is null then ${shops.installedAt} else ${now} end`,
        uninstalledAt: null,
        updatedAt: now,
      },
    })
    .returning();
  return row!;
}

/** Fills in what the shop lookup returned (after an install whose lookup failed). */
export async function recordShopDetails(db: Db, domain: string, details: ShopDetails, now: Date) {
  await db
    .update(shops)
    .set({ ...details, updatedAt: now })
    .where(eq(shops.domain, domain));
}

export async function findShop(db: Db, domain: string) {
  const [shop] = await db.select().from(shops).where(eq(shops.domain, domain));
  return shop;
}

/** The shop's IANA time zone, when Shopify told us one (null: not yet). */
export async function shopTimeZoneOf(db: Db, domain: string): Promise<string | null> {
  const [row] = await db
    .select({ zone: shops.ianaTimezone })
    .from(shops)
    .where(eq(shops.domain, domain));
  return row?.zone || null;
}

/** How the shop reads times (app/utils/shop-time.ts): its zone, UTC until Shopify told us one. */
export async function shopTimeOf(db: Db, domain: string): Promise<ShopTime> {
  return shopTime({ timeZone: await shopTimeZoneOf(db, domain) });
}
