import type { Db } from "../../db.server";
import { importGorgiasTicketsTask, type Enqueuer } from "../../jobs/contracts";
import {
  recordTicketState,
  ticketTimes,
  type TicketState,
} from "../../models/gorgias-tickets.server";
import {
  beginTicketImport,
  closeKnownTickets,
  getTicketImport,
  recordTicketImportError,
  recordTicketImportPage,
  restartTicketImportPages,
} from "../../models/gorgias-ticket-imports.server";
import { recordVendorCalls } from "../../models/deliveries.server";
import { getIntegration, markIntegrationError } from "../../models/integrations.server";
import { handOffTicketChange } from "../../recipes/hand-off.server";
import { errorMessage } from "../../jobs/errors";
import { log } from "../../utils/log.server";
import {
  isVendorError,
  VendorTerminalError,
  type VendorCall,
  type VendorError,
} from "../http.server";
import { gorgiasClientFor } from "../delivery/execute.server";
import type { GorgiasTicketSummary } from "./schemas";

/**
 * Connecting Gorgias imports the tickets that are open right now, so the open-ticket guard and
 * the open-ticket-suppression recipe know about them before any ticket changes. It pages through
 * the helpdesk's tickets (Gorgias has no status filter on the list), records the open ones with
 * the same "newer state wins" rule as the webhook (a call that arrived mid-import is never
 * overwritten by the older listing), and saves the next page's cursor after every page.
 */

/**
 * Starts the shop's import in the background, unless one is already running (`restart`: start
 * over anyway, e.g. for another helpdesk). Cheap: the request that connects does not wait for it.
 */
export async function startTicketImport(
  db: Db,
  queue: Enqueuer,
  shop: string,
  options: { restart?: boolean } = {},
): Promise<{ importId: string; started: boolean }> {
  const begun = await beginTicketImport(db, shop, options);
  // Same key for the same import: enqueuing again while it runs adds nothing.
  await queue.enqueue(importGorgiasTicketsTask, { shop, importId: begun.importId, step: 0 });
  return begun;
}

export interface ImportStepOptions {
  /** Pages to read before handing over to a follow-up job (keeps each job short). */
  maxPages: number;
  /** Used for a ticket Gorgias lists without updated_datetime. */
  now: Date;
  attempt: number;
  signal?: AbortSignal;
}

export type ImportStepResult = "done" | "more" | "superseded";

function isOpen(ticket: GorgiasTicketSummary): boolean {
  return ticket.status === "open" && !ticket.spam && !ticket.trashed_datetime;
}

function stateOf(ticket: GorgiasTicketSummary, now: Date): TicketState | null {
  const email = ticket.customer?.email?.trim().toLowerCase();
  if (!email || !email.includes("@")) return null;
  const stated = ticket.updated_datetime ? new Date(ticket.updated_datetime) : null;
  const updatedAt = stated && !Number.isNaN(stated.getTime()) ? stated : now;
  const open = isOpen(ticket);
  return {
    ticketId: ticket.id,
    email,
    status: open ? "open" : "closed",
    updatedAt,
    times: ticketTimes(ticket, {
      resolved: ticket.status === "closed" && !ticket.spam && !ticket.trashed_datetime,
      updatedAt,
    }),
  };
}

/** What the merchant reads on the Gorgias card when a page could not be read. */
export function importFailureMessage(error: VendorError): string {
  switch (error.failure) {
    case "unauthorized":
    case "forbidden":
      return `Gorgias stopped accepting the API key (${error.detail}). Disconnect and connect again with a working key.`;
    case "timeout":
    case "unreachable":
    case "rate-limited":
    case "server-error":
      return `Gorgias did not answer (${error.detail}).`;
    default:
      return `Gorgias refused to list tickets: ${error.detail}`;
  }
}

/**
 * Reads up to `maxPages` pages of the import `importId` from its saved cursor. Retryable vendor
 * errors are thrown (the job retries and resumes at the saved cursor); a terminal one fails the
 * import with the reason and is thrown too.
 */
export async function runTicketImportStep(
  db: Db,
  queue: Enqueuer,
  shop: string,
  importId: string,
  options: ImportStepOptions,
): Promise<ImportStepResult> {
  const integration = await getIntegration(db, shop, "gorgias");
  let progress = await getTicketImport(db, shop);
  if (!integration || progress?.importId !== importId || progress.status !== "running") {
    return "superseded";
  }
  const calls: VendorCall[] = [];
  const client = gorgiasClientFor(db, integration, { calls, signal: options.signal });
  let cursor = progress.cursor;
  try {
    for (let page = 0; page < options.maxPages; page++) {
      let listed;
      try {
        listed = await client.listTicketsPage(cursor);
      } catch (error) {
        // A saved cursor Gorgias no longer takes (it expired): start over; re-reading is harmless.
        if (
          cursor &&
          error instanceof VendorTerminalError &&
          error.status === 400 &&
          /\bcursor\b/i.test(error.detail)
        ) {
          log.warn(
            `[gorgias] ${shop}: the saved ticket cursor was refused; importing from the start`,
          );
          await restartTicketImportPages(db, shop, importId);
          cursor = null;
          continue;
        }
        throw error;
      }
      const states = listed.tickets.flatMap((t) => stateOf(t, options.now) ?? []);
      const open = states.filter((s) => s.status === "open");
      const changed: TicketState[] = [];
      for (const state of open) {
        if (await recordTicketState(db, shop, state)) changed.push(state);
      }
      changed.push(
        ...(await closeKnownTickets(
          db,
          shop,
          states.filter((s) => s.status === "closed"),
        )),
      );
      for (const state of changed) await handOffTicketChange(queue, db, shop, state);
      const current = await recordTicketImportPage(db, shop, importId, {
        nextCursor: listed.nextCursor,
        openTickets: open.length,
      });
      if (!current) return "superseded";
      if (listed.nextCursor === null) {
        progress = await getTicketImport(db, shop);
        log.info(`[gorgias] ${shop}: imported ${progress?.openTickets ?? 0} open tickets`);
        return "done";
      }
      cursor = listed.nextCursor;
    }
    return "more";
  } catch (error) {
    if (!isVendorError(error)) throw error;
    const terminal = error instanceof VendorTerminalError;
    await recordTicketImportError(db, shop, importId, importFailureMessage(error), {
      final: terminal,
    });
    if (terminal && (error.failure === "unauthorized" || error.failure === "forbidden")) {
      await markIntegrationError(db, shop, "gorgias", importFailureMessage(error));
    }
    throw error;
  } finally {
    await recordVendorCalls(
      db,
      { shop, vendor: "gorgias", deliveryId: null, attempt: options.attempt },
      calls,
    ).catch((error) =>
      log.warn(`[gorgias] ${shop}: could not record ticket import calls: ${errorMessage(error)}`),
    );
  }
}
