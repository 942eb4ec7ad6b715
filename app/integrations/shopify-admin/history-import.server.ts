import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { withTransaction, type Database, type Db, type ExecuteSql } from "../../db.server";
import { importShopifyHistoryTask, type Enqueuer } from "../../jobs/contracts";
import { errorMessage } from "../../jobs/errors";
import { storedImportError } from "./history-import-copy";
import {
  loadOrderBatch,
  loadStockBatch,
  refreshImportedAggregates,
  type ImportedVariant,
} from "../../models/history-load.server";
import {
  beginHistoryImport,
  claimNextStep,
  completePhase,
  findImportByBulkOperation,
  getHistoryImport,
  HistoryImportMoved,
  recordBatch,
  recordBulkOperation,
  recordHistoryImportError,
  recordObjectCount,
  type HistoryPhase,
} from "../../models/history-imports.server";
import { log } from "../../utils/log.server";
import type { BulkOperationStatus as AdminBulkOperationStatus } from "../../types/admin.types";
import { adminRequest, AdminRequestError } from "./client.server";
import { HISTORY_STOCK_BULK_QUERY, historyOrdersBulkQuery } from "./graphql/HistoryBulkQueries";
import { historyRecords, HistoryLineError, orderLines, stockLines } from "./history-jsonl";

/**
 * The store's history import: for each phase (orders, then stock) start a Shopify bulk
 * operation, wait for it (the bulk_operations/finish webhook wakes the import at once; a delayed
 * step polls otherwise), then stream its JSONL into the read model in batches. Each batch
 * commits with its line count in history_imports, so a crash or restart resumes right after the
 * last committed batch. The import never hands anything to the recipes: history is not news.
 */

const DAY_MS = 86_400_000;
/** Orders per transaction: big enough to amortise the round trips, small enough to keep locks short. */
export const HISTORY_ORDER_BATCH = 1_000;
/** Variants per transaction (each with its levels). */
export const HISTORY_STOCK_BATCH = 2_000;
/** Seconds between polls of a running bulk operation when no finish webhook has come. */
export const HISTORY_POLL_SECONDS = 10;

/** Shopify's BulkOperationStatus values, as strings (the generated enum's values). */
export type BulkOperationStatus = `${AdminBulkOperationStatus}`;

export interface BulkOperationState {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: number;
  /** The JSONL's address once COMPLETED; null when the result is empty. */
  url: string | null;
}

/** Shopify's Bulk Operations API, as the import uses it (tests and the bench may pass their own). */
export interface BulkOperationsApi {
  runQuery(shop: string, query: string): Promise<{ id: string }>;
  status(shop: string, id: string): Promise<BulkOperationState>;
  /** The result's lines, streamed. Throws BulkResultGone when the URL no longer answers. */
  lines(url: string, signal?: AbortSignal): AsyncIterable<string>;
}

/** Shopify refused the bulk operation itself (userErrors): retrying the same query cannot help. */
export class BulkOperationRefused extends Error {
  constructor(readonly detail: string) {
    super(`Shopify refused the bulk operation: ${detail}`);
    this.name = "BulkOperationRefused";
  }
}

/** Shopify has already run a bulk query for this app and shop: try again once it finished. */
export class BulkOperationBusy extends Error {
  constructor(detail: string) {
    super(`Shopify is running another export for this app: ${detail}`);
    this.name = "BulkOperationBusy";
  }
}

/** The result URL expired (Shopify keeps it a week) or was withdrawn. */
export class BulkResultGone extends Error {
  constructor(readonly status: number) {
    super(`Shopify's export file answered ${status}`);
    this.name = "BulkResultGone";
  }
}

const RUN_QUERY = `#graphql
  mutation SwitchboardBulkRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }`;

const BULK_OPERATION = `#graphql
  query SwitchboardBulkOperation($id: ID!) {
    node(id: $id) {
      ... on BulkOperation { id status errorCode objectCount url }
    }
  }`;

/** The Admin API through the app's offline session, and the JSONL over HTTP. */
export function shopifyBulkOperations(fetchImpl: typeof fetch = fetch): BulkOperationsApi {
  return {
    async runQuery(shop, query) {
      const { data } = await adminRequest(shop, RUN_QUERY, { query }, { estimatedCost: 10 });
      const bulkOperation = data.bulkOperationRunQuery?.bulkOperation ?? null;
      const userErrors = data.bulkOperationRunQuery?.userErrors ?? [];
      if (userErrors.length > 0 || !bulkOperation) {
        const detail =
          userErrors.map((e) => e.message).join("; ") || storedImportError("noOperation");
        if (
          userErrors.some(
            (e) => e.code === "OPERATION_IN_PROGRESS" || /in progress/i.test(e.message),
          )
        )
          throw new BulkOperationBusy(detail);
        throw new BulkOperationRefused(detail);
      }
      return { id: bulkOperation.id };
    },
    async status(shop, id) {
      const { data } = await adminRequest(shop, BULK_OPERATION, { id }, { estimatedCost: 1 });
      if (!data.node) throw new BulkOperationRefused(storedImportError("exportGone", { id }));
      const { status, errorCode, objectCount, url } = data.node;
      // objectCount is an UnsignedInt64, sent as a string.
      return {
        id: data.node.id,
        status,
        errorCode: errorCode ?? null,
        objectCount: Number(objectCount),
        url: url ?? null,
      };
    },
    async *lines(url, signal) {
      const response = await fetchImpl(url, { signal });
      if (response.status === 403 || response.status === 404 || response.status === 410)
        throw new BulkResultGone(response.status);
      if (!response.ok || !response.body)
        throw new Error(`Shopify's export file answered ${response.status}`);
      const reader = createInterface({
        input: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream),
        crlfDelay: Infinity,
      });
      yield* reader;
    },
  };
}

const WHAT: Record<HistoryPhase, string> = {
  orders: storedImportError("orders"),
  stock: storedImportError("stock"),
};

/** What the merchant reads on Home when a bulk operation did not finish. */
export function bulkFailureMessage(phase: HistoryPhase, op: BulkOperationState): string {
  const what = WHAT[phase];
  switch (op.status) {
    case "CANCELED":
    case "CANCELING":
      return storedImportError("cancelled", { what });
    case "EXPIRED":
      return storedImportError("expired", { what });
    default:
      switch (op.errorCode) {
        case "ACCESS_DENIED":
          return storedImportError("accessDenied", { what });
        case "TIMEOUT":
          return storedImportError("timeout", { what });
        default:
          return storedImportError("shopifyError", { what });
      }
  }
}

/** What the merchant reads when a call to Shopify failed; `final` when retrying cannot help. */
function callFailure(phase: HistoryPhase, error: unknown): { message: string; final: boolean } {
  const what = WHAT[phase];
  if (error instanceof BulkOperationRefused)
    return { message: storedImportError("refused", { what, detail: error.detail }), final: true };
  if (error instanceof BulkResultGone)
    return {
      message: storedImportError("expiredReading", { what }),
      final: true,
    };
  if (error instanceof HistoryLineError)
    return {
      message: storedImportError("unreadable", { what, detail: error.message }),
      final: true,
    };
  if (error instanceof BulkOperationBusy)
    return {
      message: storedImportError("busy"),
      final: false,
    };
  if (error instanceof AdminRequestError) {
    if (error.failure === "no-session")
      return {
        message: storedImportError("noSession"),
        final: true,
      };
    if (error.failure === "graphql")
      return {
        message: storedImportError("refused", { what, detail: error.message }),
        final: true,
      };
  }
  return {
    message: storedImportError("noAnswer", { what, detail: errorMessage(error) }),
    final: false,
  };
}

export interface StartHistoryImportOptions {
  /** Days of orders to import (HISTORY_IMPORT_DAYS). */
  days: number;
}

/**
 * Starts the shop's history import in the background (the install hook and the re-import
 * action call it), unless one is running: that one is answered with `started: false`. A
 * finished or failed import is replaced. Cheap: nothing waits for Shopify here.
 */
export async function startHistoryImport(
  db: Db,
  queue: Enqueuer,
  shop: string,
  now: Date,
  options: StartHistoryImportOptions,
): Promise<{ importId: string; started: boolean }> {
  const since = new Date(now.getTime() - options.days * DAY_MS);
  const begun = await beginHistoryImport(db, shop, since);
  if (begun.started) await enqueueNextStep(db, queue, shop, begun.importId);
  return begun;
}

/** Enqueues the import's next step (now, or after `delaySeconds`), superseding earlier ones. */
async function enqueueNextStep(
  db: Db,
  queue: Enqueuer,
  shop: string,
  importId: string,
  delaySeconds?: number,
): Promise<void> {
  const step = await claimNextStep(db, shop, importId);
  if (step === null) return;
  await queue.enqueue(
    importShopifyHistoryTask,
    { shop, importId, step },
    delaySeconds ? { delaySeconds } : undefined,
  );
}

/**
 * bulk_operations/finish: wakes the import whose phase this operation is, at once (its delayed
 * poll then finds itself superseded). An operation that is not an import's is ignored.
 */
export async function wakeHistoryImport(
  db: Db,
  queue: Enqueuer,
  shop: string,
  bulkOperationId: string,
): Promise<boolean> {
  const row = await findImportByBulkOperation(db, shop, bulkOperationId);
  if (!row) return false;
  await enqueueNextStep(db, queue, shop, row.importId);
  return true;
}

export interface HistoryStepOptions {
  api: BulkOperationsApi;
  signal?: AbortSignal;
  orderBatch?: number;
  stockBatch?: number;
  pollSeconds?: number;
  /** Loading time per job before handing over to a fresh job (keeps each within its lease). */
  maxLoadMs?: number;
}

export type HistoryStepResult =
  "superseded" | "waiting" | "more" | "next-phase" | "done" | "failed";

/** Per job: a 1,000,000-order store hands over a few times; each job stays well inside its lease. */
export const HISTORY_MAX_LOAD_MS = 120_000;

/**
 * One step of the import `importId`. Retryable failures are recorded (Home shows them while it
 * retries) and thrown, so the job retries and resumes from the checkpoint; a final one fails the
 * import with the reason.
 */
export async function runHistoryImportStep(
  database: Database,
  queue: Enqueuer,
  payload: { shop: string; importId: string; step: number },
  options: HistoryStepOptions,
): Promise<HistoryStepResult> {
  const { db } = database;
  const { shop, importId } = payload;
  const row = await getHistoryImport(db, shop);
  if (!row || row.importId !== importId || row.status !== "running") return "superseded";
  // A newer step was enqueued (the finish webhook overtook this poll): that job does the work.
  if (payload.step < row.step) return "superseded";
  const phase = row.phase;
  try {
    if (!row.bulkOperationId) {
      const query =
        phase === "orders" ? historyOrdersBulkQuery(row.since) : HISTORY_STOCK_BULK_QUERY;
      const { id } = await options.api.runQuery(shop, query);
      if (!(await recordBulkOperation(db, shop, importId, phase, id))) return "superseded";
      log.info(`[history] ${shop}: started the ${phase} export ${id}`);
      await enqueueNextStep(db, queue, shop, importId, options.pollSeconds ?? HISTORY_POLL_SECONDS);
      return "waiting";
    }
    const op = await options.api.status(shop, row.bulkOperationId);
    if (op.status === "CREATED" || op.status === "RUNNING") {
      await enqueueNextStep(db, queue, shop, importId, options.pollSeconds ?? HISTORY_POLL_SECONDS);
      return "waiting";
    }
    if (op.status !== "COMPLETED") {
      const message = bulkFailureMessage(phase, op);
      log.warn(
        `[history] ${shop}: the ${phase} export ${op.id} ended ${op.status} (${op.errorCode ?? "no code"})`,
      );
      await recordHistoryImportError(db, shop, importId, message, { final: true });
      return "failed";
    }
    if (row.objectCount === null) await recordObjectCount(db, shop, importId, op.objectCount);
    if (op.url) {
      const loaded = await loadPhase(
        database,
        shop,
        importId,
        phase,
        row.linesLoaded,
        op.url,
        options,
      );
      if (loaded === "more") {
        await enqueueNextStep(db, queue, shop, importId);
        return "more";
      }
    }
    if (phase === "orders")
      await withTransaction(database, (executeSql) => refreshImportedAggregates(executeSql, shop));
    const next = await completePhase(db, shop, importId, phase);
    if (next === "stock") {
      await enqueueNextStep(db, queue, shop, importId);
      return "next-phase";
    }
    if (next === "done") {
      log.info(`[history] ${shop}: history import ${importId} done`);
      return "done";
    }
    return "superseded";
  } catch (error) {
    if (error instanceof HistoryImportMoved) return "superseded";
    const failure = callFailure(phase, error);
    await recordHistoryImportError(db, shop, importId, failure.message, { final: failure.final });
    if (failure.final) return "failed";
    throw error;
  }
}

/**
 * Streams the phase's JSONL from the first line not yet committed and loads it batch by batch.
 * Returns false when another job moved the import on.
 */
async function loadPhase(
  database: Database,
  shop: string,
  importId: string,
  phase: HistoryPhase,
  linesLoaded: number,
  url: string,
  options: HistoryStepOptions,
): Promise<"loaded" | "more"> {
  const deadline = performance.now() + (options.maxLoadMs ?? HISTORY_MAX_LOAD_MS);
  const lines = skipLines(options.api.lines(url, options.signal), linesLoaded);
  if (phase === "orders") {
    return loadInBatches(database, shop, importId, phase, linesLoaded, deadline, {
      records: historyRecords(lines, linesLoaded + 1, orderLines),
      batchSize: options.orderBatch ?? HISTORY_ORDER_BATCH,
      counts: (batch) => ({
        orders: batch.length,
        fulfillments: batch.reduce((n, r) => n + r.fulfillments.length, 0),
      }),
      load: loadOrderBatch,
    });
  }
  return loadInBatches(database, shop, importId, phase, linesLoaded, deadline, {
    records: historyRecords(lines, linesLoaded + 1, stockLines),
    batchSize: options.stockBatch ?? HISTORY_STOCK_BATCH,
    counts: (batch) => ({
      inventoryLevels: batch.reduce((n, v) => n + (v?.levels.length ?? 0), 0),
    }),
    load: (executeSql, s, batch) =>
      loadStockBatch(
        executeSql,
        s,
        batch.filter((v): v is ImportedVariant => v !== null),
      ),
  });
}

/**
 * Commits records `batchSize` at a time: each transaction first moves the checkpoint (which
 * locks it, so a second loader of the same import waits and then stops), then writes the batch.
 * One batch is written while the next is read and parsed, so the database and the parser work
 * at the same time; the transactions themselves still commit one after another, in line order.
 */
async function loadInBatches<T>(
  database: Database,
  shop: string,
  importId: string,
  phase: HistoryPhase,
  linesLoaded: number,
  deadline: number,
  plan: {
    records: AsyncIterable<{ records: T[]; lines: number }>;
    batchSize: number;
    counts: (batch: T[]) => { orders?: number; fulfillments?: number; inventoryLevels?: number };
    load: (executeSql: ExecuteSql, shop: string, batch: T[]) => Promise<unknown>;
  },
): Promise<"loaded" | "more"> {
  const commit = (records: T[], from: number, lines: number) =>
    withTransaction(database, async (executeSql) => {
      // The checkpoint commits with the batch, so a commit lost in a crash loses both together
      // and the import reloads that batch: no need to wait for the WAL flush.
      await executeSql("set local synchronous_commit = off");
      await recordBatch(executeSql, shop, importId, phase, from, {
        lines,
        ...plan.counts(records),
      });
      await plan.load(executeSql, shop, records);
    });
  // The batch being written (a settled promise before the first): awaited before the next
  // starts, so the transactions commit one after another.
  let writing: Promise<void> = Promise.resolve();
  let nextLine = linesLoaded;
  let batch: T[] = [];
  let batchLines = 0;
  const startBatch = () => {
    writing = commit(batch, nextLine, batchLines);
    // A failure while the next batch is being parsed is not unhandled: it is awaited below.
    writing.catch(() => {});
    nextLine += batchLines;
    batch = [];
    batchLines = 0;
  };
  try {
    for await (const { records, lines } of plan.records) {
      batch.push(...records);
      batchLines += lines;
      if (batch.length >= plan.batchSize) {
        await writing;
        startBatch();
        if (performance.now() > deadline) {
          await writing;
          return "more";
        }
      }
    }
    await writing;
    if (batchLines > 0) {
      startBatch();
      await writing;
    }
    return "loaded";
  } finally {
    // Leaving on a read or parse failure: the batch being written still ends before the job does.
    await writing.catch(() => {});
  }
}

/** The lines after the first `count` (already committed by an earlier attempt). */
async function* skipLines(lines: AsyncIterable<string>, count: number): AsyncGenerator<string> {
  let seen = 0;
  for await (const line of lines) {
    if (seen++ < count) continue;
    yield line;
  }
}
