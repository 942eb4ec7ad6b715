import { eq, sql } from "drizzle-orm";
import { shops } from "../../db/schema/index";
import type { Db } from "../db.server";

/** Records an install or reinstall; keeps the row (and its settings) across reinstalls. */
export async function recordInstall(
  db: Db,
  domain: string,
  details: { name?: string; plan?: string; currency?: string } = {},
) {
  await db
    .insert(shops)
    .values({ domain, ...details })
    .onConflictDoUpdate({
      target: shops.domain,
      set: {
        ...details,
        installedAt: sql`case when ${shops.uninstalledAt} is null then ${shops.installedAt} else now() end`,
        uninstalledAt: null,
        updatedAt: sql`now()`,
      },
    });
}

export async function findShop(db: Db, domain: string) {
  const [shop] = await db.select().from(shops).where(eq(shops.domain, domain));
  return shop;
}
