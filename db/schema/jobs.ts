import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Jobs that failed for good: a terminal error, or a retryable one that used up its retries.
 * The job's payload and last error are kept so staff can read why and replay it.
 */
export const deadLetters = pgTable(
  "dead_letters",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop"),
    task: text("task").notNull(),
    jobKey: text("job_key").notNull(),
    jobId: text("job_id").notNull().unique(),
    payload: jsonb("payload").notNull(),
    error: text("error").notNull(),
    errorKind: text("error_kind", { enum: ["terminal", "exhausted"] }).notNull(),
    attempts: integer("attempts").notNull(),
    failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
    replayedAt: timestamp("replayed_at", { withTimezone: true }),
    replayJobId: text("replay_job_id"),
  },
  (table) => [index("dead_letters_shop_failed_idx").on(table.shop, table.failedAt.desc())],
);
