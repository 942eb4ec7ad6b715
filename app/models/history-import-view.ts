import type { HistoryImport } from "../../db/schema/history-imports";
import { shopTime } from "../utils/shop-time";

/**
 * What Home says about the history import, computed from its row: a progress bar, the counts,
 * an estimate while it runs, the outcome when it ended. Times in the shop's time zone.
 */
export interface HistoryImportCard {
  status: HistoryImport["status"];
  /** 0–100. */
  progress: number;
  headline: string;
  detail: string | null;
  counts: { label: string; value: number }[];
  /** Running: about how long is left, once there is a pace to go by. */
  eta: string | null;
  /** Failed: why; running: why the last attempt failed (it is retried). */
  error: string | null;
  /** A re-import may start (nothing is running). */
  canReimport: boolean;
}

const DAY_MS = 86_400_000;
/** Share of the bar for the orders phase; stock levels are a small read after it. */
const ORDERS_SHARE = 0.9;

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

function duration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return "less than a minute";
  if (minutes < 90) return `about ${minutes} minutes`;
  return `about ${Math.round(minutes / 60)} hours`;
}

/** Fraction done: the orders phase fills most of the bar, the stock phase the rest. */
function fractionDone(row: HistoryImport): number {
  const phaseShare =
    row.objectCount && row.objectCount > 0 ? Math.min(1, row.linesLoaded / row.objectCount) : 0;
  return row.phase === "orders"
    ? ORDERS_SHARE * phaseShare
    : ORDERS_SHARE + (1 - ORDERS_SHARE) * phaseShare;
}

export function historyImportCard(
  row: HistoryImport,
  options: { now: Date; timeZone: string | null },
): HistoryImportCard {
  const time = shopTime({ timeZone: options.timeZone });
  const days = Math.round((row.startedAt.getTime() - row.since.getTime()) / DAY_MS);
  const window = `the last ${count(days, "day")}`;
  const counts = [
    { label: "Orders", value: row.orders },
    { label: "Customers", value: row.customers },
    { label: "Stock levels", value: row.inventoryLevels },
  ];
  if (row.status === "done") {
    return {
      status: "done",
      progress: 100,
      headline: `Imported ${count(row.orders, "order")} from ${window}`,
      detail: `${count(row.customers, "customer")} and ${count(row.inventoryLevels, "stock level")}, finished ${time.when(row.finishedAt ?? row.updatedAt, options.now)}.`,
      counts,
      eta: null,
      error: null,
      canReimport: true,
    };
  }
  if (row.status === "failed") {
    return {
      status: "failed",
      progress: Math.round(fractionDone(row) * 100),
      headline: "The history import stopped",
      detail:
        row.orders > 0
          ? `${count(row.orders, "order")} from ${window} were imported before it stopped; retrying imports the rest and keeps what is newer.`
          : `No order from ${window} was imported.`,
      counts,
      eta: null,
      error: row.lastError ?? "Shopify did not say why.",
      canReimport: true,
    };
  }
  const fraction = fractionDone(row);
  const elapsed = options.now.getTime() - row.startedAt.getTime();
  const since = time.date(row.since);
  let detail: string;
  if (row.phase === "orders" && (row.objectCount === null || row.linesLoaded === 0))
    detail = `Shopify is preparing your orders since ${since}.`;
  else if (row.phase === "orders")
    detail = `${count(row.orders, "order")} since ${since} imported so far.`;
  else
    detail = `All ${count(row.orders, "order")} since ${since} are in; now reading your stock levels.`;
  return {
    status: "running",
    progress: Math.round(fraction * 100),
    headline: `Importing your store's history (${window})`,
    detail,
    counts,
    // The pace so far, once there is some: Shopify's preparation time is part of it.
    eta:
      fraction >= 0.05 && elapsed > 0
        ? `${duration((elapsed * (1 - fraction)) / fraction)} left`
        : null,
    error: row.lastError,
    canReimport: false,
  };
}
