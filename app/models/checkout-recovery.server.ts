import type { ExecuteSql } from "../db.server";

/**
 * Checkout recovery over a window, from the read model's checkouts and the
 * abandoned-checkout-recovery recipe's memory of its outreach (what the gap report's
 * "checkout recovery rate" reads):
 * - abandoned: checkouts started in the window with no order within `abandonAfterHours` of the
 *   customer's last change (ordered later, or not at all by `now`);
 * - recovered: those of them an order was placed from, later;
 * - reached: those the recipe followed up on (a Klaviyo event, a ticket note or a ticket);
 * - recoveredAfterOutreach: ordered after that follow-up.
 * Counted the same whether or not the recipe is switched on, so a store without it has a rate too.
 */
export interface CheckoutRecovery {
  abandoned: number;
  recovered: number;
  reached: number;
  recoveredAfterOutreach: number;
}

export async function checkoutRecovery(
  executeSql: ExecuteSql,
  shop: string,
  { since, now, abandonAfterHours }: { since: Date; now: Date; abandonAfterHours: number },
): Promise<CheckoutRecovery> {
  const { rows } = await executeSql(
    `with abandoned as (
       select c.token, c.ordered_at from checkouts c
       where c.shop = $1 and c.created_at >= $2::timestamptz and c.created_at < $3::timestamptz
         and coalesce(c.ordered_at, $3::timestamptz) >= c.last_activity_at + make_interval(hours => $4::int)
     )
     select count(*)::int as abandoned,
       count(a.ordered_at)::int as recovered,
       count(s.subject)::int as reached,
       count(*) filter (where a.ordered_at >= (s.value ->> 'at')::timestamptz)::int as recovered_after_outreach
     from abandoned a
     left join recipe_state s on s.shop = $1 and s.recipe_id = 'abandoned-checkout-recovery'
       and s.subject = 'checkout:' || a.token`,
    [shop, since.toISOString(), now.toISOString(), abandonAfterHours],
    { prepare: true },
  );
  const row = rows[0] ?? {};
  return {
    abandoned: Number(row.abandoned ?? 0),
    recovered: Number(row.recovered ?? 0),
    reached: Number(row.reached ?? 0),
    recoveredAfterOutreach: Number(row.recovered_after_outreach ?? 0),
  };
}
