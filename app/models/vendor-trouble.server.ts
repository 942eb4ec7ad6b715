import { sql } from "drizzle-orm";
import type { Db } from "../db.server";

/** How far back the Integrations card looks for a vendor failing right now. */
export const TROUBLE_WINDOW_MS = 60 * 60 * 1000;

export interface VendorTrouble {
  /** Calls in the window that failed (no answer, a server error, a rate limit or a refused key). */
  failed: number;
  calls: number;
  lastFailureAt: string;
}

/**
 * A vendor failing now, from the calls deliveries made to it in the last hour: reported only
 * while its latest call failed (a vendor that answered again since is well, whatever came
 * before). Null when it is well or was not called.
 */
export async function vendorTrouble(
  db: Db,
  shop: string,
  vendor: "klaviyo" | "gorgias",
  now: Date,
): Promise<VendorTrouble | null> {
  const since = new Date(now.getTime() - TROUBLE_WINDOW_MS).toISOString();
  const failing = sql`(http_status is null or http_status >= 500 or http_status in (401, 403, 429))`;
  const { rows } = (await db.execute(sql`
    select count(*)::int as calls,
      (count(*) filter (where ${failing}))::int as failed,
      max(at) filter (where ${failing}) as last_failure_at,
      max(at) filter (where not ${failing}) as last_success_at
    from delivery_attempts
    where shop = ${shop} and vendor = ${vendor} and at > ${since}
      -- Deliveries' calls only: a key checked while connecting fails by design when mistyped.
      and delivery_id is not null`)) as unknown as {
    rows: {
      calls: number;
      failed: number;
      last_failure_at: string | Date | null;
      last_success_at: string | Date | null;
    }[];
  };
  const row = rows[0];
  if (!row || !row.failed || !row.last_failure_at) return null;
  const lastFailure = new Date(row.last_failure_at);
  if (row.last_success_at && new Date(row.last_success_at) > lastFailure) return null;
  return {
    failed: Number(row.failed),
    calls: Number(row.calls),
    lastFailureAt: lastFailure.toISOString(),
  };
}
