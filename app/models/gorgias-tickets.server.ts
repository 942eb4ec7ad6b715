import { and, eq, sql } from "drizzle-orm";
import { gorgiasTickets } from "../../db/schema/index";
import type { Db } from "../db.server";

export interface TicketState {
  ticketId: number;
  email: string;
  status: "open" | "closed";
  /** The ticket's updated_datetime in Gorgias. */
  updatedAt: Date;
}

/**
 * Stores what Gorgias said about a ticket, unless we already hold a newer state of it (calls
 * can arrive out of order). Returns whether the row changed.
 */
export async function recordTicketState(
  db: Db,
  shop: string,
  state: TicketState,
): Promise<boolean> {
  const email = state.email.trim().toLowerCase();
  const rows = await db
    .insert(gorgiasTickets)
    .values({
      shop,
      ticketId: state.ticketId,
      customerEmail: email,
      status: state.status,
      sourceUpdatedAt: state.updatedAt,
    })
    .onConflictDoUpdate({
      target: [gorgiasTickets.shop, gorgiasTickets.ticketId],
      set: {
        customerEmail: email,
        status: state.status,
        sourceUpdatedAt: state.updatedAt,
        receivedAt: sql`now()`,
      },
      setWhere: sql`${gorgiasTickets.sourceUpdatedAt} <= excluded.source_updated_at`,
    })
    .returning({ ticketId: gorgiasTickets.ticketId });
  return rows.length > 0;
}

/** Whether the customer has a ticket open in the shop's Gorgias: the recipes' suppression guard. */
export async function hasOpenTicket(db: Db, shop: string, email: string): Promise<boolean> {
  const rows = await db
    .select({ ticketId: gorgiasTickets.ticketId })
    .from(gorgiasTickets)
    .where(
      and(
        eq(gorgiasTickets.shop, shop),
        eq(gorgiasTickets.customerEmail, email.trim().toLowerCase()),
        eq(gorgiasTickets.status, "open"),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Ids of the customer's open tickets, newest first. */
export async function openTicketIds(db: Db, shop: string, email: string): Promise<number[]> {
  const rows = await db
    .select({ ticketId: gorgiasTickets.ticketId })
    .from(gorgiasTickets)
    .where(
      and(
        eq(gorgiasTickets.shop, shop),
        eq(gorgiasTickets.customerEmail, email.trim().toLowerCase()),
        eq(gorgiasTickets.status, "open"),
      ),
    )
    .orderBy(sql`${gorgiasTickets.sourceUpdatedAt} desc`);
  return rows.map((r) => r.ticketId);
}
