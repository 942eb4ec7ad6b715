import { sql } from "drizzle-orm";
import type { Db } from "../db.server";
import { LIMITS_WITHOUT_PROTECTED_DATA } from "../recipes/protected-data";

/**
 * Whether Shopify is withholding protected customer data (name, email, phone, address) from
 * this app, read from what the shop's own orders brought: a customer Shopify sent with no
 * name, email or phone at all was withheld (Shopify keeps no customer without one of them).
 * Only the most recent orders count, so the answer follows a change of access.
 */

/** How many of the newest orders with a customer account are looked at. */
export const RECENT_ORDERS = 50;

export interface ProtectedDataStatus {
  /** Recent orders with a customer account (at most RECENT_ORDERS). */
  ordersWithCustomer: number;
  /** Of those, how many came with the customer's name, email and phone withheld. */
  withheld: number;
  /** The newest of the withheld orders (`#1042`), if any. */
  latestWithheldOrder: string | null;
}

export async function protectedDataStatus(db: Db, shop: string): Promise<ProtectedDataStatus> {
  const { rows } = (await db.execute(sql`
    with recent as (
      select o.name, o.created_at,
        (c.email is null and c.first_name is null and c.last_name is null and c.phone is null) as withheld
      from orders o
      join customers c on c.shop = o.shop and c.id = o.customer_id
      where o.shop = ${shop} and o.customer_id is not null
      order by o.created_at desc
      limit ${RECENT_ORDERS}
    )
    select count(*)::int as orders_with_customer,
      (count(*) filter (where withheld))::int as withheld,
      (select name from recent where withheld order by created_at desc limit 1) as latest_withheld_order
    from recent`)) as unknown as {
    rows: {
      orders_with_customer: number;
      withheld: number;
      latest_withheld_order: string | null;
    }[];
  };
  const row = rows[0];
  return {
    ordersWithCustomer: Number(row?.orders_with_customer ?? 0),
    withheld: Number(row?.withheld ?? 0),
    latestWithheldOrder: row?.latest_withheld_order ?? null,
  };
}

/** What Home says about it: nothing when nothing is withheld. */
export interface ProtectedDataNotice {
  title: string;
  what: string;
  /** Switched-on recipes that lose something, each with what it does without the data. */
  limited: { title: string; without: string }[];
  /** What the merchant can do. */
  action: string;
}

/** "3 of your last 50 orders with a customer account", "Your last order with a customer account". */
function share({ withheld, ordersWithCustomer }: ProtectedDataStatus): string {
  if (withheld < ordersWithCustomer)
    return `${withheld} of your last ${ordersWithCustomer} orders with a customer account`;
  return withheld === 1
    ? "Your last order with a customer account"
    : `All of your last ${withheld} orders with a customer account`;
}

export function protectedDataNotice(
  status: ProtectedDataStatus,
  enabledRecipes: readonly { id: string; title: string }[],
): ProtectedDataNotice | null {
  if (status.withheld === 0) return null;
  const latest = status.latestWithheldOrder ? ` (most recently ${status.latestWithheldOrder})` : "";
  return {
    title: "Shopify is withholding your customers' names and emails from Switchboard",
    what: `${share(status)}${latest} arrived without the customer's name, email or phone, because this app has not been granted access to Shopify's protected customer data. Recipes cannot write to those customers.`,
    limited: enabledRecipes
      .filter((r) => Object.hasOwn(LIMITS_WITHOUT_PROTECTED_DATA, r.id))
      .map((r) => ({ title: r.title, without: LIMITS_WITHOUT_PROTECTED_DATA[r.id]! })),
    action: `Access is requested by the app's developer in the Shopify Partner Dashboard (Apps → Switchboard → API access → Protected customer data access: name, email and phone) and approved by Shopify; new orders arrive complete from then on.`,
  };
}
