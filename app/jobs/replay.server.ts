import { and, eq, isNull, sql } from "drizzle-orm";
import { deadLetters } from "../../db/schema/index";
import type { JobQueue } from "./queue.server";

/** Why a dead-lettered job cannot be run again, in words for the Activity screen. */
export class ReplayError extends Error {}

/**
 * Runs a dead-lettered job again under a new key (the original key's job is spent), after
 * letting its task reopen what the failure closed. Scoped by shop: another shop's id is "not found".
 */
export async function replayDeadLetter(queue: JobQueue, shop: string, id: number): Promise<string> {
  const db = queue.database.db;
  const [letter] = await db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.id, id), eq(deadLetters.shop, shop)));
  if (!letter) throw new ReplayError("That failed job no longer exists.");
  if (letter.replayedAt) throw new ReplayError("That job was already retried.");
  const task = queue.registeredTask(letter.task);
  if (!task) throw new ReplayError(`This server no longer runs "${letter.task}" jobs.`);
  const parsed = task.payloadSchema.safeParse(letter.payload);
  if (!parsed.success)
    throw new ReplayError("The job's saved input is no longer valid, so it can't be retried.");
  const claimed = await db
    .update(deadLetters)
    .set({ replayedAt: sql`now()` })
    .where(and(eq(deadLetters.id, id), isNull(deadLetters.replayedAt)))
    .returning({ id: deadLetters.id });
  if (claimed.length === 0) throw new ReplayError("That job was already retried.");
  await task.beforeReplay?.(parsed.data, queue.database);
  const jobId = await queue.enqueue(task, parsed.data, {
    key: `${letter.jobKey}:replay:${letter.id}`,
  });
  await db.update(deadLetters).set({ replayJobId: jobId }).where(eq(deadLetters.id, id));
  return jobId;
}
