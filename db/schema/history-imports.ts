import { bigint, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The store's history import (Shopify Bulk Operations), one row per shop: at most one import
 * runs per shop, and a re-import replaces the row. The row is the import's checkpoint: after a
 * crash or restart the task resumes from `phase`, `bulk_operation_id` and `lines_loaded` (JSONL
 * lines of the current phase already committed to the read model).
 */
export const historyImports = pgTable("history_imports", {
  shop: text("shop").primaryKey(),
  importId: text("import_id").notNull(),
  status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
  /** orders (orders with customers, line items, fulfillments, refunds), then stock (variants and inventory levels). */
  phase: text("phase", { enum: ["orders", "stock"] })
    .notNull()
    .default("orders"),
  /** Orders created at or after this instant are imported (default: 365 days before the start). */
  since: ts("since").notNull(),
  /** The phase's Shopify bulk operation (gid), once started. */
  bulkOperationId: text("bulk_operation_id"),
  /** Objects Shopify reports in the phase's result (for progress), once it finished. */
  objectCount: bigint("object_count", { mode: "number" }),
  /**
   * The newest step enqueued for this import: only that job works, so the poll that the
   * bulk_operations/finish webhook overtook ends without doing anything.
   */
  step: integer("step").notNull().default(0),
  /** JSONL lines of the current phase already loaded and committed. */
  linesLoaded: bigint("lines_loaded", { mode: "number" }).notNull().default(0),
  orders: integer("orders").notNull().default(0),
  customers: integer("customers").notNull().default(0),
  fulfillments: integer("fulfillments").notNull().default(0),
  inventoryLevels: integer("inventory_levels").notNull().default(0),
  /** Why it failed, or why the last attempt did while it retries; merchant language. */
  lastError: text("last_error"),
  startedAt: ts("started_at").notNull().defaultNow(),
  finishedAt: ts("finished_at"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export type HistoryImport = typeof historyImports.$inferSelect;
