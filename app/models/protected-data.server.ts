import { sql } from "drizzle-orm";
import type { Db } from "../db.server";
import type { Locale } from "../i18n/locale";
import { defineMessages, translator } from "../i18n/messages";
import type { AnyRecipe } from "../recipes/engine/define-recipe";
import { LIMITS_WITHOUT_PROTECTED_DATA } from "../recipes/protected-data";
import { recipeText } from "../recipes/recipe-text";

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
      -- "nulls last" as the (shop, created_at desc) index is built, so the newest are read from it.
      order by o.created_at desc nulls last
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

/** What Home says about it. */
export interface ProtectedDataNotice {
  title: string;
  what: string;
  /** Switched-on recipes that lose something, each with what it does without the data. */
  limited: { title: string; without: string }[];
  /** What the merchant can do. */
  action: string;
}

const messages = defineMessages({
  en: {
    title: "Shopify is withholding your customers' names and emails from Switchboard",
    some: "{withheld} of your last {total} orders with a customer account",
    last: "Your last order with a customer account",
    all: "All of your last {withheld} orders with a customer account",
    latest: " (most recently {order})",
    what_one:
      "{share}{latest} arrived without the customer's name, email or phone, because this app has not been granted access to Shopify's protected customer data. Recipes cannot write to those customers.",
    what_other:
      "{share}{latest} arrived without the customer's name, email or phone, because this app has not been granted access to Shopify's protected customer data. Recipes cannot write to those customers.",
    action:
      "Access is requested by the app's developer in the Shopify Partner Dashboard (Apps → Switchboard → API access → Protected customer data access: name, email and phone) and approved by Shopify; new orders arrive complete from then on.",
  },
  fr: {
    title: "Shopify ne transmet pas à Switchboard les noms et e-mails de vos clients",
    some: "{withheld} de vos {total} dernières commandes avec un compte client",
    last: "Votre dernière commande avec un compte client",
    all: "Vos {withheld} dernières commandes avec un compte client",
    latest: " (la plus récente : {order})",
    what_one:
      "{share}{latest} est arrivée sans le nom, l’e-mail ni le téléphone du client, car cette application n’a pas obtenu l’accès aux données client protégées de Shopify. Les recettes ne peuvent pas écrire à ces clients.",
    what_other:
      "{share}{latest} sont arrivées sans le nom, l’e-mail ni le téléphone du client, car cette application n’a pas obtenu l’accès aux données client protégées de Shopify. Les recettes ne peuvent pas écrire à ces clients.",
    action:
      "L’accès est demandé par le développeur de l’application dans le Partner Dashboard de Shopify (Applications → Switchboard → Accès API → Accès aux données client protégées : nom, e-mail et téléphone), puis approuvé par Shopify ; les nouvelles commandes arrivent alors complètes.",
  },
});

/**
 * What Home says about it, in the admin's language: nothing when nothing is withheld. The
 * recipes are the switched-on ones, named as `recipeText` names them.
 */
export function protectedDataNotice(
  status: ProtectedDataStatus,
  enabledRecipes: readonly Pick<AnyRecipe, "id" | "title" | "summary" | "fr">[],
  locale: Locale = "en",
): ProtectedDataNotice | null {
  if (status.withheld === 0) return null;
  const t = translator(messages, locale);
  const { withheld, ordersWithCustomer: total } = status;
  // "3 of your last 50 orders with a customer account", "Your last order with a customer account".
  const share =
    withheld < total
      ? t("some", { withheld, total })
      : withheld === 1
        ? t("last")
        : t("all", { withheld });
  const latest = status.latestWithheldOrder
    ? t("latest", { order: status.latestWithheldOrder })
    : "";
  return {
    title: t("title"),
    what: t("what", { count: withheld, share, latest }),
    limited: enabledRecipes
      .filter((r) => Object.hasOwn(LIMITS_WITHOUT_PROTECTED_DATA, r.id))
      .map((r) => ({
        title: recipeText(r, locale).title,
        without: LIMITS_WITHOUT_PROTECTED_DATA[r.id]![locale],
      })),
    action: t("action"),
  };
}
