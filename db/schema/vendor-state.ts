import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Gorgias tickets as the helpdesk last told us (HTTP integration calls), one row per ticket.
 * A customer "has an open ticket" when any of their rows is open. `source_updated_at` is the
 * ticket's updated_datetime: an older call never overwrites a newer state.
 */
export const gorgiasTickets = pgTable(
  "gorgias_tickets",
  {
    shop: text("shop").notNull(),
    ticketId: bigint("ticket_id", { mode: "number" }).notNull(),
    /** Lower-cased. */
    customerEmail: text("customer_email").notNull(),
    status: text("status", { enum: ["open", "closed"] }).notNull(),
    sourceUpdatedAt: ts("source_updated_at").notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    /** The ticket's created_datetime in Gorgias: when the customer wrote in. */
    sourceCreatedAt: ts("source_created_at"),
    /**
     * The earliest agent reply we heard of (ticket-message-created calls for a public message from
     * the helpdesk): kept across calls, whatever their order. Null for tickets the helpdesk
     * started, and until someone answers.
     */
    firstAgentResponseAt: ts("first_agent_response_at"),
    /** The ticket's closed_datetime while it is closed (not spam or trash); cleared when reopened. */
    closedAt: ts("closed_at"),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.ticketId] }),
    index("gorgias_tickets_shop_email_idx").on(table.shop, table.customerEmail),
    // The gap report's tickets updated in a window.
    index("gorgias_tickets_shop_updated_idx").on(table.shop, table.sourceUpdatedAt),
    // The gap report's first responses and resolutions in a window.
    index("gorgias_tickets_shop_first_response_idx")
      .on(table.shop, table.firstAgentResponseAt)
      .where(sql`${table.firstAgentResponseAt} is not null`),
    index("gorgias_tickets_shop_closed_idx")
      .on(table.shop, table.closedAt)
      .where(sql`${table.closedAt} is not null`),
  ],
);

/**
 * Klaviyo lists we found or created, by name. A row with no list_id is a claim: one worker is
 * creating the list, others wait, so concurrent deliveries never create the same list twice.
 */
export const klaviyoLists = pgTable(
  "klaviyo_lists",
  {
    shop: text("shop").notNull(),
    name: text("name").notNull(),
    listId: text("list_id"),
    claimedAt: ts("claimed_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.name] })],
);

/**
 * Who segment sync last put on a Klaviyo list, so the next sync sends only the difference.
 * `profile_id` is Klaviyo's id when we learnt it (needed to remove the profile later).
 */
export const klaviyoListMembers = pgTable(
  "klaviyo_list_members",
  {
    shop: text("shop").notNull(),
    listId: text("list_id").notNull(),
    /** Lower-cased. */
    email: text("email").notNull(),
    profileId: text("profile_id"),
    syncedAt: ts("synced_at").notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.listId, table.email] }),
    index("klaviyo_list_members_shop_email_idx").on(table.shop, table.email),
  ],
);

/**
 * The import of a shop's open Gorgias tickets that connecting starts (one row per shop, the
 * latest import). `import_id` is random per import: a job of an older import finds it changed
 * and stops. `cursor` is Gorgias's next-page cursor, saved after each page, so a restarted job
 * continues where the last one stopped. Disconnecting deletes the row.
 */
export const gorgiasTicketImports = pgTable("gorgias_ticket_imports", {
  shop: text("shop").primaryKey(),
  importId: text("import_id").notNull(),
  status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
  cursor: text("cursor"),
  pages: integer("pages").notNull().default(0),
  /** Open tickets (with a customer email) found so far. */
  openTickets: integer("open_tickets").notNull().default(0),
  /** Why it failed, or why the last attempt did while it retries; merchant language. */
  lastError: text("last_error"),
  startedAt: ts("started_at").notNull().defaultNow(),
  finishedAt: ts("finished_at"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
