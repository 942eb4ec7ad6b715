import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db.server";
import type { SegmentMemberView, SegmentRule } from "../recipes/engine/define-recipe";

const DAY_MS = 86_400_000;

interface MemberRow extends Record<string, unknown> {
  customer_id: string | null;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  lifetime_spend: string | number | null;
  order_count: number | null;
  last_order_at: string | Date | null;
}

/** The customers-table condition of a rule over customers (`c`). */
function customerCondition(rule: Exclude<SegmentRule, { type: "open-ticket" }>, now: Date): SQL {
  if (rule.type === "customers") {
    const either: SQL[] = [];
    if (rule.minLifetimeSpend && rule.minLifetimeSpend > 0)
      either.push(sql`c.lifetime_spend >= ${rule.minLifetimeSpend}`);
    if (rule.minOrders && rule.minOrders > 0) either.push(sql`c.order_count >= ${rule.minOrders}`);
    // A rule with neither threshold selects nobody rather than everybody.
    return either.length ? sql`(${sql.join(either, sql` or `)})` : sql`false`;
  }
  const before = new Date(now.getTime() - rule.minDays * DAY_MS).toISOString();
  const lapsed = sql`c.last_order_at <= ${before}`;
  if (rule.maxDays === undefined) return lapsed;
  const after = new Date(now.getTime() - rule.maxDays * DAY_MS).toISOString();
  return sql`${lapsed} and c.last_order_at > ${after}`;
}

/**
 * Everyone a segment rule selects in the shop's read model, one row per lower-cased email
 * (customers without an email are left out; two customers sharing one count once, the most
 * recently active first). Set-based: one statement however big the store.
 */
export async function segmentMembers(
  db: Db,
  shop: string,
  rule: SegmentRule,
  now: Date,
): Promise<SegmentMemberView[]> {
  const columns = sql`c.id::text as customer_id, c.first_name, c.last_name, c.phone,
    c.lifetime_spend, c.order_count, c.last_order_at`;
  const query =
    rule.type === "open-ticket"
      ? sql`select distinct on (t.customer_email) t.customer_email as email, ${columns}
          from gorgias_tickets t
          left join customers c on c.shop = t.shop and lower(c.email) = t.customer_email
          where t.shop = ${shop} and t.status = 'open' and t.customer_email <> ''
          order by t.customer_email, c.last_order_at desc nulls last`
      : sql`select distinct on (lower(c.email)) lower(c.email) as email, ${columns}
          from customers c
          where c.shop = ${shop} and c.email is not null and c.email <> ''
            and ${customerCondition(rule, now)}
          order by lower(c.email), c.last_order_at desc nulls last`;
  const { rows } = (await db.execute<MemberRow>(query)) as unknown as { rows: MemberRow[] };
  return rows.map((r) => ({
    customerId: r.customer_id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    lifetimeSpend: Number(r.lifetime_spend ?? 0),
    orderCount: Number(r.order_count ?? 0),
    lastOrderAt: r.last_order_at === null ? null : new Date(r.last_order_at),
  }));
}
