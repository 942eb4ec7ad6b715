import { sql } from "drizzle-orm";
import type { Db } from "../db.server";
import { forgetShopOfferSettings } from "../post-purchase/decide.server";
import { configSchema, type UpsellConfig } from "../recipes/post-purchase-upsell/config";
import { getRecipeSettings, saveRecipeConfig } from "./recipe-settings.server";
import { experimentOf, type Arm } from "../recipes/post-purchase-upsell/experiment";
import {
  compareVersions,
  differenceOfMeans,
  FOLLOW_ON_DAYS,
  meanOf,
  type UpsellTestResult,
  type ValueSample,
  type VersionResult,
} from "../recipes/post-purchase-upsell/experiment-stats";

/**
 * The upsell's A/B tests, per rule that runs one, over a window: per version (A, B, holdout)
 * the buyers assigned, how many accepted and were charged, the charged upsell revenue and the
 * value per buyer — charged upsell revenue plus what the customer ordered in the 30 days after
 * (not the purchase's own order, which Shopify creates within the hour), so a holdout buyer
 * counts what they would have spent anyway (FOLLOW_ON_DAYS). Then B against A (app/recipes/post-purchase-upsell/
 * experiment-stats.ts) and each version against the holdout: the incremental value per buyer
 * with its 95 % interval. Money in the shop's currency.
 */

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] =>
  ((result as { rows?: Row[] }).rows ?? (result as Row[])) as Row[];

export async function upsellTests(
  db: Db,
  shop: string,
  config: Pick<UpsellConfig, "rules"> | null,
  window: { start: Date; end: Date },
): Promise<UpsellTestResult[]> {
  const current = new Map(
    (config?.rules ?? []).flatMap((rule, index) => {
      const experiment = experimentOf(rule);
      return experiment ? [[experiment.key, { rule, index, experiment }] as const] : [];
    }),
  );
  const rows = rowsOf(
    await db.execute(sql`
      with buyers as (
        select o.reference_id, max(o.customer_id) as customer_id, max(o.arm) as arm, min(o.shown_at) as at, o.experiment_key as key,
               bool_or(o.status = 'accepted') as accepted,
               bool_or(o.charged_at is not null) as charged,
               coalesce(sum(o.charged_revenue) filter (where o.charged_at is not null), 0) as upsell,
               max(o.title) as title,
               max(o.discount_type) as discount_type, max(o.discount_value) as discount_value
        from upsell_offers o
        where o.shop = ${shop} and o.experiment_key is not null
          and o.shown_at >= ${window.start} and o.shown_at < ${window.end}
        group by o.experiment_key, o.reference_id
        union all
        select h.reference_id, h.customer_id, 'holdout', h.held_at, h.experiment_key, false, false, 0, null, null, null
        from upsell_holdouts h
        where h.shop = ${shop} and h.held_at >= ${window.start} and h.held_at < ${window.end}
      ),
      valued as (
        select b.*, b.upsell + coalesce((
          select sum(x.total_price) from orders x
          where x.shop = ${shop} and x.customer_id = b.customer_id and x.cancelled_at is null
            and x.created_at > b.at + interval '1 hour'
            and x.created_at <= b.at + make_interval(days => ${FOLLOW_ON_DAYS})
        ), 0) as value
        from buyers b
      )
      select key, arm, count(*)::int as buyers,
             count(*) filter (where accepted)::int as accepted,
             count(*) filter (where charged)::int as charged,
             sum(upsell)::text as revenue,
             sum(value)::text as value_sum,
             sum(value * value)::text as value_squares,
             min(at) as first_at,
             mode() within group (order by title) as title,
             mode() within group (order by discount_type) as discount_type,
             mode() within group (order by discount_value) as discount_value
      from valued
      group by key, arm`),
  );

  const titles = await variantTitles(
    db,
    shop,
    [...current.values()].flatMap(({ rule, experiment }) => [
      rule.offerVariantId,
      ...(experiment.versionB ? [experiment.versionB.variantId] : []),
    ]),
  );
  const byKey = new Map<string, Row[]>();
  for (const row of rows) {
    const key = String(row.key);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const keys = [...new Set([...current.keys(), ...byKey.keys()])];
  return keys
    .map((key): UpsellTestResult => {
      const now = current.get(key);
      const found = byKey.get(key) ?? [];
      const arms: Arm[] = now
        ? [
            "A",
            ...(now.experiment.testShare > 0 ? (["B"] as const) : []),
            ...(now.experiment.holdoutShare > 0 ? (["holdout"] as const) : []),
          ]
        : (["A", "B", "holdout"] as const).filter((arm) => found.some((r) => r.arm === arm));
      const samples = new Map<Arm, ValueSample>();
      const versions = arms.map((arm): VersionResult => {
        const row = found.find((r) => r.arm === arm);
        const buyers = Number(row?.buyers ?? 0);
        const sample = {
          buyers,
          sum: Number(row?.value_sum ?? 0),
          sumOfSquares: Number(row?.value_squares ?? 0),
        };
        samples.set(arm, sample);
        const accepted = Number(row?.accepted ?? 0);
        return {
          arm,
          offer: arm === "holdout" ? null : offerOf(arm, row, now, titles),
          buyers,
          accepted,
          charged: Number(row?.charged ?? 0),
          conversion: arm === "holdout" || buyers === 0 ? null : accepted / buyers,
          revenue: Number(row?.revenue ?? 0),
          valuePerBuyer: meanOf(sample),
        };
      });
      const holdout = samples.get("holdout");
      const firstAt = found
        .map((r) => (r.first_at ? new Date(r.first_at as string) : null))
        .filter((d): d is Date => d !== null)
        .sort((a, b) => a.getTime() - b.getTime())[0];
      return {
        key,
        ruleIndex: now?.index ?? null,
        ruleName: now?.rule.name ?? "",
        running: now !== undefined,
        testShare: now?.experiment.testShare ?? 0,
        holdoutShare: now?.experiment.holdoutShare ?? 0,
        firstBuyerAt: firstAt ? firstAt.toISOString() : null,
        versions,
        verdict:
          samples.has("A") && samples.has("B")
            ? compareVersions(samples.get("A")!, samples.get("B")!)
            : null,
        incremental: holdout
          ? (["A", "B"] as const)
              .filter((arm) => samples.has(arm))
              .map((arm) => ({ arm, difference: differenceOfMeans(samples.get(arm)!, holdout) }))
          : [],
      };
    })
    .sort(
      (a, b) => Number(b.running) - Number(a.running) || (a.ruleIndex ?? 99) - (b.ruleIndex ?? 99),
    );
}

/** A version's offer: as shown to buyers when it has been, else as the rule sets it. */
function offerOf(
  arm: "A" | "B",
  row: Row | undefined,
  now:
    | {
        rule: UpsellConfig["rules"][number];
        experiment: NonNullable<ReturnType<typeof experimentOf>>;
      }
    | undefined,
  titles: Map<string, string>,
): VersionResult["offer"] {
  const configured = now
    ? arm === "B" && now.experiment.versionB
      ? now.experiment.versionB
      : { variantId: now.rule.offerVariantId, discount: now.rule.discount }
    : null;
  const discountType = row?.discount_type as "percentage" | "fixed_amount" | null | undefined;
  return {
    title:
      (row?.title as string | null | undefined) ??
      (configured ? (titles.get(configured.variantId) ?? null) : null),
    discount: discountType
      ? { type: discountType, value: Number(row!.discount_value) }
      : configured && configured.discount.value > 0
        ? { type: configured.discount.type, value: configured.discount.value }
        : null,
  };
}

/** "Ceramic mug – Blue" by variant, from the read model. */
async function variantTitles(db: Db, shop: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf(
    await db.execute(sql`
      select v.id::text as id, p.title as product_title, v.title as variant_title
      from variants v left join product_facts p on p.shop = v.shop and p.product_id = v.product_id
      where v.shop = ${shop} and v.id = any(${`{${ids.join(",")}}`}::bigint[])`),
  );
  return new Map(
    rows
      .map((r) => {
        const product = r.product_title as string | null;
        const variant = r.variant_title as string | null;
        const named = variant && variant !== "Default Title" ? variant : null;
        return [
          String(r.id),
          product ? (named ? `${product} – ${named}` : product) : (named ?? ""),
        ] as const;
      })
      .filter(([, title]) => title !== ""),
  );
}

export type KeepVersionResult =
  | { ok: true; ruleIndex: number; ruleName: string; arm: "A" | "B" }
  | { ok: false; reason: "changed" | "invalid" };

/**
 * Ends a rule's A/B test by keeping one version: B's variant and discount become the rule's
 * offer (or A stays), and the split and holdout go, so every shopper sees the kept offer. Refused
 * when the rule's test is no longer the one the merchant looked at (someone changed it since).
 */
export async function keepTestVersion(
  db: Db,
  shop: string,
  key: string,
  arm: "A" | "B",
): Promise<KeepVersionResult> {
  const row = await getRecipeSettings(db, shop, "post-purchase-upsell");
  const parsed = configSchema.safeParse(row?.config ?? {});
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const index = parsed.data.rules.findIndex((rule) => experimentOf(rule)?.key === key);
  const rule = parsed.data.rules[index];
  const experiment = rule ? experimentOf(rule) : null;
  if (!rule || !experiment || (arm === "B" && !experiment.versionB))
    return { ok: false, reason: "changed" };
  const kept = {
    ...rule,
    ...(arm === "B" && experiment.versionB
      ? {
          offerVariantId: experiment.versionB.variantId,
          discount: experiment.versionB.discount,
          // B's variant could be the fallback: a fallback must differ from the offer.
          fallbackVariantId:
            rule.fallbackVariantId === experiment.versionB.variantId
              ? undefined
              : rule.fallbackVariantId,
        }
      : {}),
    testShare: 0,
    testVariantId: undefined,
    holdoutShare: 0,
  };
  const rules = parsed.data.rules.map((r, i) => (i === index ? kept : r));
  const next = configSchema.safeParse({ ...parsed.data, rules });
  if (!next.success) return { ok: false, reason: "invalid" };
  await saveRecipeConfig(db, shop, "post-purchase-upsell", next.data);
  forgetShopOfferSettings(shop);
  return { ok: true, ruleIndex: index, ruleName: rule.name, arm };
}
