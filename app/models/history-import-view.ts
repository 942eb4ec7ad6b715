import type { HistoryImport } from "../../db/schema/history-imports";
import { intlLocale, type Locale } from "../i18n/locale";
import { defineMessages, translator } from "../i18n/messages";
import { RECENT_MS, shopTime } from "../utils/shop-time";
import { importErrorText } from "../integrations/shopify-admin/history-import-copy";

/**
 * What Home says about the history import, computed from its row: a progress bar, the counts,
 * an estimate while it runs, the outcome when it ended. Times in the shop's time zone, words in
 * the admin's language (`locale`, English by default). The reason an import failed is stored
 * (in English) by the import's jobs and reads in the admin's language.
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

const messages = defineMessages({
  en: {
    orders_one: "{count} order",
    orders_other: "{count} orders",
    customers_one: "{count} customer",
    customers_other: "{count} customers",
    stockLevels_one: "{count} stock level",
    stockLevels_other: "{count} stock levels",
    window_one: "the last {count} day",
    window_other: "the last {count} days",
    fromWindow_one: "from the last {count} day",
    fromWindow_other: "from the last {count} days",
    ordersLabel: "Orders",
    customersLabel: "Customers",
    stockLabel: "Stock levels",
    doneHeadline_one: "Imported {orders} {window}",
    doneHeadline_other: "Imported {orders} {window}",
    doneDetail: "{customers} and {stock}, finished {when}.",
    failedHeadline: "The history import stopped",
    failedSome_one:
      "{orders} {window} were imported before it stopped; retrying imports the rest and keeps what is newer.",
    failedSome_other:
      "{orders} {window} were imported before it stopped; retrying imports the rest and keeps what is newer.",
    failedNone: "No order {window} was imported.",
    noReason: "Shopify did not say why.",
    preparing: "Shopify is preparing your orders since {since}.",
    soFar_one: "{orders} since {since} imported so far.",
    soFar_other: "{orders} since {since} imported so far.",
    allIn: "All {orders} since {since} are in; now reading your stock levels.",
    runningHeadline: "Importing your store's history ({window})",
    lessThanMinute: "less than a minute left",
    minutes: "about {count} minutes left",
    hours: "about {count} hours left",
  },
  fr: {
    orders_one: "{count} commande",
    orders_other: "{count} commandes",
    customers_one: "{count} client",
    customers_other: "{count} clients",
    stockLevels_one: "{count} niveau de stock",
    stockLevels_other: "{count} niveaux de stock",
    window_one: "dernier jour",
    window_other: "{count} derniers jours",
    fromWindow_one: "du dernier jour",
    fromWindow_other: "des {count} derniers jours",
    ordersLabel: "Commandes",
    customersLabel: "Clients",
    stockLabel: "Niveaux de stock",
    doneHeadline_one: "{orders} {window} importée",
    doneHeadline_other: "{orders} {window} importées",
    doneDetail: "{customers} et {stock} ; importation terminée {when}.",
    failedHeadline: "L’importation de l’historique s’est interrompue",
    failedSome_one:
      "{orders} {window} importée avant l’interruption ; réessayer importe le reste et garde ce qui est plus récent.",
    failedSome_other:
      "{orders} {window} importées avant l’interruption ; réessayer importe le reste et garde ce qui est plus récent.",
    failedNone: "Aucune commande {window} n’a été importée.",
    noReason: "Shopify n’a pas indiqué pourquoi.",
    preparing: "Shopify prépare vos commandes depuis le {since}.",
    soFar_one: "{orders} depuis le {since} importée jusqu’ici.",
    soFar_other: "{orders} depuis le {since} importées jusqu’ici.",
    allIn:
      "Toutes les commandes depuis le {since} sont importées ({orders}) ; lecture de vos niveaux de stock en cours.",
    runningHeadline: "Importation de l’historique de votre boutique ({window})",
    lessThanMinute: "moins d’une minute restante",
    minutes: "environ {count} minutes restantes",
    hours: "environ {count} heures restantes",
  },
});

type Text = ReturnType<typeof translator<(typeof messages)["en"]>>;

function duration(ms: number, t: Text): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return t("lessThanMinute");
  if (minutes < 90) return t("minutes", { count: minutes });
  return t("hours", { count: Math.round(minutes / 60) });
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
  locale: Locale = "en",
): HistoryImportCard {
  const t = translator(messages, locale);
  const time = shopTime({ timeZone: options.timeZone, locale: intlLocale(locale) });
  const days = Math.round((row.startedAt.getTime() - row.since.getTime()) / DAY_MS);
  const window = t("window", { count: days });
  const fromWindow = t("fromWindow", { count: days });
  const orders = t("orders", { count: row.orders });
  const counts = [
    { label: t("ordersLabel"), value: row.orders },
    { label: t("customersLabel"), value: row.customers },
    { label: t("stockLabel"), value: row.inventoryLevels },
  ];
  if (row.status === "done") {
    const finished = row.finishedAt ?? row.updatedAt;
    // "finished 3 minutes ago" / "finished Dec 5, …"; French says "le 5 déc. …" for a date.
    const recent = Math.abs(finished.getTime() - options.now.getTime()) < RECENT_MS;
    const when =
      locale === "fr" && !recent
        ? `le ${time.dateTime(finished)}`
        : time.when(finished, options.now);
    return {
      status: "done",
      progress: 100,
      headline: t("doneHeadline", { count: row.orders, orders, window: fromWindow }),
      detail: t("doneDetail", {
        customers: t("customers", { count: row.customers }),
        stock: t("stockLevels", { count: row.inventoryLevels }),
        when,
      }),
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
      headline: t("failedHeadline"),
      detail:
        row.orders > 0
          ? t("failedSome", { count: row.orders, orders, window: fromWindow })
          : t("failedNone", { window: fromWindow }),
      counts,
      eta: null,
      error: row.lastError ? importErrorText(row.lastError, locale) : t("noReason"),
      canReimport: true,
    };
  }
  const fraction = fractionDone(row);
  const elapsed = options.now.getTime() - row.startedAt.getTime();
  const since = time.date(row.since);
  let detail: string;
  if (row.phase === "orders" && (row.objectCount === null || row.linesLoaded === 0))
    detail = t("preparing", { since });
  else if (row.phase === "orders") detail = t("soFar", { count: row.orders, orders, since });
  else detail = t("allIn", { orders, since });
  return {
    status: "running",
    progress: Math.round(fraction * 100),
    headline: t("runningHeadline", { window }),
    detail,
    counts,
    // The pace so far, once there is some: Shopify's preparation time is part of it.
    eta:
      fraction >= 0.05 && elapsed > 0 ? duration((elapsed * (1 - fraction)) / fraction, t) : null,
    error: row.lastError ? importErrorText(row.lastError, locale) : null,
    canReimport: false,
  };
}
