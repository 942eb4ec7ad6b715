import type { Database, ExecuteSql } from "../db.server";
import { withTransaction } from "../db.server";
import type { Enqueuer } from "../jobs/contracts";
import { processWebhookTask } from "../jobs/contracts";
import type { VerifiedWebhook } from "./verify.server";

export type IngestOutcome = "stored" | "duplicate";

interface Pending {
  webhook: VerifiedWebhook;
  /** null when the body is valid JSON. */
  parseError: string | null;
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;
/**
 * Under load, ack transactions start at most this often, so each one carries the deliveries that
 * arrived meanwhile: at 500/s that halves the commits, and with them a quarter of PostgreSQL's
 * and the web process's CPU per webhook, for at most this much extra wait. A delivery at a quiet
 * time (no transaction started this recently) is written at once.
 */
export const MIN_ACK_SPACING_MS = 3;

/**
 * Stores accepted webhooks durably, each with its processing job, before Shopify gets its 200.
 *
 * Deliveries that arrive while a write is in flight, or within MIN_ACK_SPACING_MS of the last
 * one's start, are grouped into the next transaction (group commit): at quiet times every
 * delivery is its own transaction, and on Black Friday one commit — one fsync, one multi-row
 * INSERT, one pg-boss insert — acknowledges dozens.
 * A webhook id seen before is dropped by the unique index and answered as a duplicate.
 */
export class WebhookIngest {
  private pending: Pending[] = [];
  private flushing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastStartedAt = -Infinity;

  constructor(
    private readonly database: Database,
    private readonly queue: Enqueuer,
  ) {}

  write(webhook: VerifiedWebhook): Promise<IngestOutcome> {
    let parseError: string | null = null;
    try {
      JSON.parse(webhook.rawBody);
    } catch (error) {
      parseError = `Body is not valid JSON: ${(error as Error).message}`;
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ webhook, parseError, resolve, reject });
      this.schedule();
    });
  }

  /** Starts the next transaction now, or when MIN_ACK_SPACING_MS has passed since the last began. */
  private schedule(): void {
    if (this.flushing || this.timer !== undefined || this.pending.length === 0) return;
    const wait = this.lastStartedAt + MIN_ACK_SPACING_MS - performance.now();
    if (wait <= 0) {
      void this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    this.lastStartedAt = performance.now();
    const batch = this.pending.splice(0, MAX_BATCH);
    try {
      const stored = await this.store(batch);
      for (const item of batch)
        item.resolve(stored.has(item.webhook.webhookId) ? "stored" : "duplicate");
    } catch (error) {
      if (isUnstorableData(error) || isInternalError(error)) {
        // A body PostgreSQL can't hold as jsonb (\u0000, a lone surrogate, 1e1000000, nesting
        // deeper than its stack) must not fail its neighbours, nor itself get 503 forever.
        await Promise.all(batch.map((item) => this.storeAlone(item)));
      } else {
        for (const item of batch) item.reject(error);
      }
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  /**
   * Stores one delivery on its own; a body PostgreSQL refuses as jsonb is kept raw as `rejected`
   * with the reason (Shopify gets its 200: retrying would never succeed).
   */
  private async storeAlone(item: Pending): Promise<void> {
    try {
      const stored = await this.store([item]).catch((error) => {
        // PGlite reports nesting past its stack as an internal error rather than 54001.
        const tooDeep =
          isInternalError(error) && nestingDepth(item.webhook.rawBody) > MAX_STORABLE_DEPTH;
        if (!isUnstorableData(error) && !tooDeep) throw error;
        const reason = tooDeep
          ? `it nests deeper than ${MAX_STORABLE_DEPTH} levels`
          : (error as Error).message;
        return this.store([{ ...item, parseError: `Body cannot be stored as JSON: ${reason}` }]);
      });
      item.resolve(stored.has(item.webhook.webhookId) ? "stored" : "duplicate");
    } catch (error) {
      item.reject(error);
    }
  }

  /** One transaction: insert the batch's new events and enqueue a job for each valid one. */
  private store(batch: Pending[]): Promise<Set<string>> {
    // On the connections kept for acks: workers busy on every other one must not delay Shopify.
    return withTransaction(
      this.database,
      async (executeSql) => {
        const rows = await insertEvents(executeSql, batch);
        const stored = new Set(rows.map((row) => row.webhook_id as string));
        const toProcess = rows.filter((row) => row.status === "received");
        if (toProcess.length > 0) {
          await this.queue.enqueueMany(
            processWebhookTask,
            toProcess.map((row) => ({
              eventId: Number(row.id),
              shop: row.shop,
              topic: row.topic,
              webhookId: row.webhook_id,
            })),
            { executeSql },
          );
        }
        return stored;
      },
      { lane: "ack" },
    );
  }
}

/** Builds one jsonb document of the whole batch; valid bodies are spliced in raw (no re-serialising). */
async function insertEvents(executeSql: ExecuteSql, batch: Pending[]) {
  const records = batch.map(({ webhook, parseError }) => {
    const head = JSON.stringify({
      shop: webhook.shop,
      topic: webhook.topic,
      webhook_id: webhook.webhookId,
      event_id: webhook.eventId,
      triggered_at: webhook.triggeredAt?.toISOString() ?? null,
      api_version: webhook.apiVersion,
      raw_body: parseError ? storableText(webhook.rawBody) : null,
      status: parseError ? "rejected" : "received",
      error: parseError,
    });
    return `${head.slice(0, -1)},"payload":${parseError ? "null" : webhook.rawBody}}`;
  });
  const { rows } = await executeSql(
    `insert into webhook_events (shop, topic, webhook_id, event_id, triggered_at, api_version, payload, raw_body, status, error)
     select shop, topic, webhook_id, event_id, triggered_at, api_version, payload, raw_body, status, error
     from jsonb_to_recordset($1::jsonb) as e(shop text, topic text, webhook_id text, event_id text, triggered_at timestamptz,
       api_version text, payload jsonb, raw_body text, status text, error text)
     on conflict (webhook_id) do nothing
     returning id, shop, topic, webhook_id, status`,
    [`[${records.join(",")}]`],
    { prepare: true },
  );
  return rows;
}

/** The SQLSTATE of a database error (the driver's, or the one a query wrapper keeps as its cause). */
function sqlState(error: unknown): string | undefined {
  return (
    (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code
  );
}

function isInternalError(error: unknown): boolean {
  return sqlState(error) === "XX000";
}

/** Shopify's payloads nest a handful of levels; far past this, a database's parser gives up. */
const MAX_STORABLE_DEPTH = 1_000;

/** How deeply JSON text nests arrays and objects (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Raw text PostgreSQL's text type can hold: a NUL byte becomes the visible escape `\u0000` and
 * a lone surrogate U+FFFD. Only rejected bodies are kept raw, for a person to read.
 */
function storableText(text: string): string {
  return text.replaceAll("\u0000", "\\u0000").replace(LONE_SURROGATE, "\ufffd");
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * What the body itself causes, so retrying cannot help: SQLSTATE class 22 (data exception: NUL in
 * a string, a lone surrogate, a number out of range) or 54001 (statement too complex: nesting
 * deeper than PostgreSQL's stack limit).
 */
function isUnstorableData(error: unknown): boolean {
  const code = sqlState(error);
  return typeof code === "string" && (code.startsWith("22") || code === "54001");
}

/**
 * Enqueues processing for stored events still waiting ("received"). Normally each already has
 * its job (same deterministic id, so this is a no-op); after a crash between storing an event and
 * its job, or a job purged while its event waited, this puts the work back. Run at worker start.
 */
export async function requeueWaitingEvents(database: Database, queue: Enqueuer): Promise<number> {
  let total = 0;
  let afterId = 0;
  for (;;) {
    const { rows } = await database.executeSql(
      `select id, shop, topic, webhook_id from webhook_events where status = 'received' and id > $1 order by id limit 500`,
      [afterId],
    );
    if (rows.length === 0) return total;
    await queue.enqueueMany(
      processWebhookTask,
      rows.map((row) => ({
        eventId: Number(row.id),
        shop: row.shop,
        topic: row.topic,
        webhookId: row.webhook_id,
      })),
    );
    total += rows.length;
    afterId = Number(rows[rows.length - 1].id);
  }
}
