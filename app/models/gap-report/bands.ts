import type { Present } from "./copy";
import type { GmvBand, WindowDays, ZoneId } from "./types";

/**
 * GMV bands and the typical zone score of a store in each: Switchboard's stated assumption
 * (docs/gap-report.md, "Bands"), not a survey. Bounds are in the shop's own currency, not
 * converted: a store's band is read from its annualised revenue as Shopify reports it.
 */
export const BANDS: readonly {
  id: GmvBand["id"];
  /** Annual GMV from which a store is in this band. */
  from: number;
  typical: Record<ZoneId, number>;
}[] = [
  {
    id: "under-1m",
    from: 0,
    typical: {
      "order-to-cash": 1.0,
      "inventory-fulfillment": 0.8,
      "customer-service": 0.6,
      "post-purchase-marketing": 0.7,
    },
  },
  {
    id: "1m-5m",
    from: 1_000_000,
    typical: {
      "order-to-cash": 1.4,
      "inventory-fulfillment": 1.2,
      "customer-service": 1.0,
      "post-purchase-marketing": 1.1,
    },
  },
  {
    id: "5m-15m",
    from: 5_000_000,
    typical: {
      "order-to-cash": 1.8,
      "inventory-fulfillment": 1.6,
      "customer-service": 1.5,
      "post-purchase-marketing": 1.6,
    },
  },
  {
    id: "15m-50m",
    from: 15_000_000,
    typical: {
      "order-to-cash": 2.2,
      "inventory-fulfillment": 2.0,
      "customer-service": 1.9,
      "post-purchase-marketing": 2.1,
    },
  },
  {
    id: "over-50m",
    from: 50_000_000,
    typical: {
      "order-to-cash": 2.5,
      "inventory-fulfillment": 2.4,
      "customer-service": 2.3,
      "post-purchase-marketing": 2.5,
    },
  },
];

/** The band of the window's revenue annualised (× 365 / window days), labelled in the report's language. */
export function bandOf(revenue: number, windowDays: WindowDays, p: Present): GmvBand {
  const annualGmv = (revenue * 365) / windowDays;
  const band = [...BANDS].reverse().find((b) => annualGmv >= b.from) ?? BANDS[0]!;
  // The currency's symbol as the language writes it ("$", "€", "CA$").
  const symbol = p.money(0).replace(/[\d.,\s\u00a0\u202f]/g, "");
  return {
    id: band.id,
    label: p.t(`band.${band.id}`, { currency: symbol }),
    annualGmv,
    annualGmvDisplay: p.money(annualGmv),
    basis: p.t("band.basis", { revenue: p.money(revenue), days: windowDays }),
  };
}

export function typicalScore(band: GmvBand["id"], zone: ZoneId): number {
  return (BANDS.find((b) => b.id === band) ?? BANDS[0]!).typical[zone];
}
