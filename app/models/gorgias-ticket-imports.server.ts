import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { gorgiasTicketImports, gorgiasTickets } from "../../db/schema/index";
import type { Db } from "../db.server";
import type { TicketState } from "./gorgias-tickets.server";

/**
 * The import of a shop's open Gorgias tickets (one row per shop: the latest import). Every
 * write names the import it belongs to, so a job of a superseded import changes nothing.
 */

export type TicketImport = typeof gorgiasTicketImports.$inferSelect;

/** What the Gorgias card says about the import. */
export interface TicketImportView {
  status: "running" | "done" | "failed";
  openTickets: number;
  /** Running: why the last attempt failed (it is retried); failed: why it stopped. */
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export function ticketImportView(row: TicketImport): TicketImportView {
  return {
    status: row.status,
    openTickets: row.openTickets,
    error: row.lastError,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export async function getTicketImport(db: Db, shop: string): Promise<TicketImport | undefined> {
  const [row] = await db
    .select()
    .from(gorgiasTicketImports)
    .where(eq(gorgiasTicketImports.shop, shop));
  return row;
}

/**
 * Starts an import for the shop, or keeps the one already running (unless `restart`, e.g. the
 * shop connected another helpdesk). Returns the import to run.
 */
export async function beginTicketImport(
  db: Db,
  shop: string,
  options: { restart?: boolean } = {},
): Promise<{ importId: string; started: boolean }> {
  const existing = await getTicketImport(db, shop);
  if (existing?.status === "running" && !options.restart) {
    return { importId: existing.importId, started: false };
  }
  const now = sql`now()`;
  const fresh = {
    importId: randomUUID(),
    status: "running" as const,
    cursor: null,
    pages: 0,
    openTickets: 0,
    lastError: null,
    startedAt: now,
    finishedAt: null,
    updatedAt: now,
  };
  const [row] = await db
    .insert(gorgiasTicketImports)
    .values({ shop, ...fresh })
    .onConflictDoUpdate({ target: gorgiasTicketImports.shop, set: fresh })
    .returning({ importId: gorgiasTicketImports.importId });
  return { importId: row!.importId, started: true };
}

const current = (shop: string, importId: string) =>
  and(
    eq(gorgiasTicketImports.shop, shop),
    eq(gorgiasTicketImports.importId, importId),
    eq(gorgiasTicketImports.status, "running"),
  );

/**
 * One page is in: saves the cursor of the next page (null: that was the last, the import is
 * done). Returns false when the import is no longer the shop's running one.
 */
export async function recordTicketImportPage(
  db: Db,
  shop: string,
  importId: string,
  page: { nextCursor: string | null; openTickets: number },
): Promise<boolean> {
  const done = page.nextCursor === null;
  const rows = await db
    .update(gorgiasTicketImports)
    .set({
      cursor: page.nextCursor,
      pages: sql`${gorgiasTicketImports.pages} + 1`,
      openTickets: sql`${gorgiasTicketImports.openTickets} + ${page.openTickets}`,
      lastError: null,
      updatedAt: sql`now()`,
      ...(done ? { status: "done" as const, finishedAt: sql`now()` } : {}),
    })
    .where(current(shop, importId))
    .returning({ shop: gorgiasTicketImports.shop });
  return rows.length > 0;
}

/** A stored cursor Gorgias no longer accepts: start this import over from the first page. */
export async function restartTicketImportPages(db: Db, shop: string, importId: string) {
  await db
    .update(gorgiasTicketImports)
    .set({ cursor: null, pages: 0, openTickets: 0, updatedAt: sql`now()` })
    .where(current(shop, importId));
}

/** Why the last attempt failed (it will be retried), or, with `final`, why the import stopped. */
export async function recordTicketImportError(
  db: Db,
  shop: string,
  importId: string,
  message: string,
  options: { final?: boolean } = {},
): Promise<void> {
  await db
    .update(gorgiasTicketImports)
    .set({
      lastError: message,
      updatedAt: sql`now()`,
      ...(options.final ? { status: "failed" as const, finishedAt: sql`now()` } : {}),
    })
    .where(current(shop, importId));
}

/** The import's jobs gave up: it stopped, with the last reason we gave the merchant (or `error`). */
export async function failTicketImport(
  db: Db,
  shop: string,
  importId: string,
  error: string,
): Promise<void> {
  await db
    .update(gorgiasTicketImports)
    .set({
      status: "failed",
      lastError: sql`coalesce(${gorgiasTicketImports.lastError}, ${error})`,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(current(shop, importId));
}

export async function deleteTicketImport(db: Db, shop: string): Promise<void> {
  await db.delete(gorgiasTicketImports).where(eq(gorgiasTicketImports.shop, shop));
}

/**
 * Tickets Gorgias lists as closed (or spam, trashed) close the rows we already hold for them,
 * unless those hold a newer state; tickets we never heard of are not stored (only open ones
 * matter). Returns the states that changed a row.
 */
export async function closeKnownTickets(
  db: Db,
  shop: string,
  states: TicketState[],
): Promise<TicketState[]> {
  if (states.length === 0) return [];
  const known = await db
    .select({ ticketId: gorgiasTickets.ticketId })
    .from(gorgiasTickets)
    .where(
      and(
        eq(gorgiasTickets.shop, shop),
        inArray(
          gorgiasTickets.ticketId,
          states.map((s) => s.ticketId),
        ),
      ),
    );
  const ids = new Set(known.map((k) => k.ticketId));
  const changed: TicketState[] = [];
  for (const state of states.filter((s) => ids.has(s.ticketId))) {
    const rows = await db
      .update(gorgiasTickets)
      .set({
        status: "closed",
        sourceUpdatedAt: state.updatedAt,
        receivedAt: sql`now()`,
        sourceCreatedAt: sql`coalesce(${state.times?.createdAt?.toISOString() ?? null}::timestamptz, ${gorgiasTickets.sourceCreatedAt})`,
        firstAgentResponseAt: sql`least(${gorgiasTickets.firstAgentResponseAt}, ${state.times?.agentReplyAt?.toISOString() ?? null}::timestamptz)`,
        closedAt: state.times?.closedAt ?? null,
      })
      .where(
        and(
          eq(gorgiasTickets.shop, shop),
          eq(gorgiasTickets.ticketId, state.ticketId),
          sql`${gorgiasTickets.sourceUpdatedAt} <= ${state.updatedAt.toISOString()}`,
          sql`${gorgiasTickets.status} <> 'closed'`,
        ),
      )
      .returning({ ticketId: gorgiasTickets.ticketId });
    if (rows.length > 0) changed.push(state);
  }
  return changed;
}
