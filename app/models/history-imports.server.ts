import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { historyImports, shops, type HistoryImport } from "../../db/schema/index";
import type { Db, ExecuteSql } from "../db.server";
import type { Locale } from "../i18n/locale";
import { historyImportCard, type HistoryImportCard } from "./history-import-view";

/**
 * The shop's history import (one row per shop, the latest import). The row is the lock: at most
 * one import runs per shop, and a re-import replaces only a finished or failed one. Every write
 * names the import it belongs to, so a job of a replaced import changes nothing.
 */

export type { HistoryImport };
export type HistoryPhase = HistoryImport["phase"];

export async function getHistoryImport(db: Db, shop: string): Promise<HistoryImport | undefined> {
  const [row] = await db.select().from(historyImports).where(eq(historyImports.shop, shop));
  return row;
}

/**
 * Starts an import ordering orders created since `since`, unless one is running (then that one
 * is answered, `started: false`). A finished or failed import is replaced.
 */
export async function beginHistoryImport(
  db: Db,
  shop: string,
  since: Date,
): Promise<{ importId: string; started: boolean }> {
  const now = sql`now()`;
  const fresh = {
    importId: randomUUID(),
    status: "running" as const,
    phase: "orders" as const,
    since,
    bulkOperationId: null,
    objectCount: null,
    step: 0,
    linesLoaded: 0,
    orders: 0,
    customers: 0,
    fulfillments: 0,
    inventoryLevels: 0,
    lastError: null,
    startedAt: now,
    finishedAt: null,
    updatedAt: now,
  };
  const [row] = await db
    .insert(historyImports)
    .values({ shop, ...fresh })
    .onConflictDoUpdate({
      target: historyImports.shop,
      set: fresh,
      setWhere: sql`${historyImports.status} <> 'running'`,
    })
    .returning({ importId: historyImports.importId });
  if (row) return { importId: row.importId, started: true };
  const running = await getHistoryImport(db, shop);
  return { importId: running!.importId, started: false };
}

const running = (shop: string, importId: string) =>
  and(
    eq(historyImports.shop, shop),
    eq(historyImports.importId, importId),
    eq(historyImports.status, "running"),
  );

/**
 * Claims the next step number for a job of this import (null: it is no longer running). Only
 * the newest step's job works, so each enqueue that claims one supersedes the jobs before it.
 */
export async function claimNextStep(
  db: Db,
  shop: string,
  importId: string,
): Promise<number | null> {
  const [row] = await db
    .update(historyImports)
    .set({ step: sql`${historyImports.step} + 1` })
    .where(running(shop, importId))
    .returning({ step: historyImports.step });
  return row?.step ?? null;
}

/** The running import whose phase's bulk operation this is (for the finish webhook). */
export async function findImportByBulkOperation(
  db: Db,
  shop: string,
  bulkOperationId: string,
): Promise<HistoryImport | undefined> {
  const [row] = await db
    .select()
    .from(historyImports)
    .where(
      and(
        eq(historyImports.shop, shop),
        eq(historyImports.bulkOperationId, bulkOperationId),
        eq(historyImports.status, "running"),
      ),
    );
  return row;
}

export async function recordBulkOperation(
  db: Db,
  shop: string,
  importId: string,
  phase: HistoryPhase,
  bulkOperationId: string,
): Promise<boolean> {
  const rows = await db
    .update(historyImports)
    .set({ bulkOperationId, objectCount: null, linesLoaded: 0, updatedAt: sql`now()` })
    .where(and(running(shop, importId), eq(historyImports.phase, phase)))
    .returning({ shop: historyImports.shop });
  return rows.length > 0;
}

/** Shopify finished the phase's export: how many objects it holds (the progress bar's total). */
export async function recordObjectCount(
  db: Db,
  shop: string,
  importId: string,
  objectCount: number,
): Promise<void> {
  await db
    .update(historyImports)
    .set({ objectCount, lastError: null, updatedAt: sql`now()` })
    .where(running(shop, importId));
}

/** Thrown inside a batch's transaction when another job already committed past this point. */
export class HistoryImportMoved extends Error {
  constructor() {
    super("the history import moved on without this job");
    this.name = "HistoryImportMoved";
  }
}

/**
 * Records a loaded batch in the transaction that wrote it: the phase's committed line count
 * moves from `fromLine` to `fromLine + lines`. The row lock makes a second loader of the same
 * import wait, then find the count moved and roll its batch back (HistoryImportMoved).
 */
export async function recordBatch(
  executeSql: ExecuteSql,
  shop: string,
  importId: string,
  phase: HistoryPhase,
  fromLine: number,
  batch: { lines: number; orders?: number; fulfillments?: number; inventoryLevels?: number },
): Promise<void> {
  const { rows } = await executeSql(
    `update history_imports set lines_loaded = lines_loaded + $5, orders = orders + $6,
       fulfillments = fulfillments + $7, inventory_levels = inventory_levels + $8, last_error = null, updated_at = now()
     where shop = $1 and import_id = $2 and status = 'running' and phase = $3 and lines_loaded = $4
     returning 1`,
    [
      shop,
      importId,
      phase,
      fromLine,
      batch.lines,
      batch.orders ?? 0,
      batch.fulfillments ?? 0,
      batch.inventoryLevels ?? 0,
    ],
    { prepare: true },
  );
  if (rows.length === 0) throw new HistoryImportMoved();
}

/**
 * The phase's export is loaded: orders move on to stock (counting the customers the import
 * brought), stock finishes the import.
 */
export async function completePhase(
  db: Db,
  shop: string,
  importId: string,
  phase: HistoryPhase,
): Promise<"stock" | "done" | null> {
  if (phase === "orders") {
    const rows = await db
      .update(historyImports)
      .set({
        phase: "stock",
        bulkOperationId: null,
        objectCount: null,
        linesLoaded: 0,
        customers: sql`(select count(distinct o.customer_id)::int from orders o
          where o.shop = ${shop} and o.created_at >= ${historyImports.since})`,
        updatedAt: sql`now()`,
      })
      .where(and(running(shop, importId), eq(historyImports.phase, "orders")))
      .returning({ shop: historyImports.shop });
    return rows.length > 0 ? "stock" : null;
  }
  const rows = await db
    .update(historyImports)
    .set({ status: "done", lastError: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(running(shop, importId), eq(historyImports.phase, "stock")))
    .returning({ shop: historyImports.shop });
  return rows.length > 0 ? "done" : null;
}

/** Why the last attempt failed (it will be retried), or, with `final`, why the import stopped. */
export async function recordHistoryImportError(
  db: Db,
  shop: string,
  importId: string,
  message: string,
  options: { final?: boolean } = {},
): Promise<void> {
  await db
    .update(historyImports)
    .set({
      lastError: message,
      updatedAt: sql`now()`,
      ...(options.final ? { status: "failed" as const, finishedAt: sql`now()` } : {}),
    })
    .where(running(shop, importId));
}

/** The import's jobs gave up: it stopped, with the last reason we gave the merchant (or `error`). */
export async function failHistoryImport(
  db: Db,
  shop: string,
  importId: string,
  error: string,
): Promise<void> {
  await db
    .update(historyImports)
    .set({
      status: "failed",
      lastError: sql`coalesce(${historyImports.lastError}, ${error})`,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(running(shop, importId));
}

/**
 * Home's card for the shop's import (null: none ever started), times in the shop's zone, words
 * in the admin's language.
 */
export async function historyImportCardFor(
  db: Db,
  shop: string,
  now: Date,
  locale: Locale = "en",
): Promise<HistoryImportCard | null> {
  const [row] = await db
    .select({ history: historyImports, timeZone: shops.ianaTimezone })
    .from(historyImports)
    .leftJoin(shops, eq(shops.domain, historyImports.shop))
    .where(eq(historyImports.shop, shop));
  return row ? historyImportCard(row.history, { now, timeZone: row.timeZone }, locale) : null;
}
