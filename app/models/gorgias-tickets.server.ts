import { and, eq, sql } from "drizzle-orm";
import { gorgiasTickets } from "../../db/schema/index";
import type { Db } from "../db.server";

export interface TicketState {
  ticketId: number;
  email: string;
  status: "open" | "closed";
  /** The ticket's updated_datetime in Gorgias. */
  updatedAt: Date;
  /** What the call said about the ticket's timing; absent from calls that carry none. */
  times?: TicketTimes;
}

/** A ticket's timing as one call or listing shows it (the gap report's response and resolution times). */
export interface TicketTimes {
  /** created_datetime: when the customer wrote in. */
  createdAt: Date | null;
  /** An agent's reply this call is about (ticket-message-created: a public message from the helpdesk). */
  agentReplyAt: Date | null;
  /** closed_datetime while the ticket is closed (not spam or trash); null otherwise. */
  closedAt: Date | null;
}

/** Gorgias's ticket fields for its timing, as the API lists them or the webhook form renders them. */
export interface TicketTimeFields {
  created_datetime?: string | null;
  closed_datetime?: string | null;
  /** Whether the helpdesk started the ticket (nobody waits for a first reply then). */
  from_agent?: boolean | null;
  /** The message a ticket-message-created call is about. */
  message?: { from_agent: boolean; channel: string | null; created_datetime: string | null } | null;
}

/** A Gorgias datetime ("2026-03-02T11:09:13.002432+00:00"), or null when absent or unreadable. */
export function gorgiasTime(value: string | null | undefined): Date | null {
  if (!value || value === "None" || value === "null") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The timing a ticket's fields show: `resolved` says it is closed as resolved (closed, not spam
 * or trash). A closed ticket without closed_datetime is dated by its last update.
 */
export function ticketTimes(
  fields: TicketTimeFields,
  state: { resolved: boolean; updatedAt: Date },
): TicketTimes {
  const message = fields.message;
  // Only a call about a message says who wrote it: the ticket's last_message_datetime counts
  // internal notes too, which answer nobody.
  const agentReplyAt =
    !fields.from_agent && message?.from_agent && message.channel !== "internal-note"
      ? gorgiasTime(message.created_datetime)
      : null;
  return {
    createdAt: gorgiasTime(fields.created_datetime),
    agentReplyAt,
    closedAt: state.resolved ? (gorgiasTime(fields.closed_datetime) ?? state.updatedAt) : null,
  };
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
  const times = state.times;
  const rows = await db
    .insert(gorgiasTickets)
    .values({
      shop,
      ticketId: state.ticketId,
      customerEmail: email,
      status: state.status,
      sourceUpdatedAt: state.updatedAt,
      sourceCreatedAt: times?.createdAt ?? null,
      firstAgentResponseAt: times?.agentReplyAt ?? null,
      closedAt: times?.closedAt ?? null,
    })
    .onConflictDoUpdate({
      target: [gorgiasTickets.shop, gorgiasTickets.ticketId],
      set: {
        customerEmail: email,
        status: state.status,
        sourceUpdatedAt: state.updatedAt,
        receivedAt: sql`now()`,
        sourceCreatedAt: sql`coalesce(excluded.source_created_at, ${gorgiasTickets.sourceCreatedAt})`,
        // The earliest reply seen (least ignores nulls).
        firstAgentResponseAt: sql`least(${gorgiasTickets.firstAgentResponseAt}, excluded.first_agent_response_at)`,
        // Reopened: no longer resolved. A call without timing leaves a closed ticket's time alone.
        closedAt:
          state.status === "open" || times
            ? sql`excluded.closed_at`
            : sql`${gorgiasTickets.closedAt}`,
      },
      setWhere: sql`${gorgiasTickets.sourceUpdatedAt} <= excluded.source_updated_at`,
    })
    .returning({ ticketId: gorgiasTickets.ticketId });
  if (rows.length === 0 && times) await recordEarlierTimes(db, shop, state.ticketId, times);
  return rows.length > 0;
}

/**
 * An older call than the state we hold still dates the ticket: its creation when we had none, and
 * an agent reply earlier than the first we saw (calls arrive out of order).
 */
async function recordEarlierTimes(db: Db, shop: string, ticketId: number, times: TicketTimes) {
  const reply = times.agentReplyAt?.toISOString() ?? null;
  const created = times.createdAt?.toISOString() ?? null;
  if (reply === null && created === null) return;
  await db
    .update(gorgiasTickets)
    .set({
      sourceCreatedAt: sql`coalesce(${gorgiasTickets.sourceCreatedAt}, ${created}::timestamptz)`,
      firstAgentResponseAt: sql`least(${gorgiasTickets.firstAgentResponseAt}, ${reply}::timestamptz)`,
    })
    .where(
      and(
        eq(gorgiasTickets.shop, shop),
        eq(gorgiasTickets.ticketId, ticketId),
        sql`((${reply}::timestamptz is not null and (${gorgiasTickets.firstAgentResponseAt} is null or ${gorgiasTickets.firstAgentResponseAt} > ${reply}::timestamptz))
          or (${created}::timestamptz is not null and ${gorgiasTickets.sourceCreatedAt} is null))`,
      ),
    );
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
