import type { z } from "zod";
import type { Database } from "../db.server";
import type { Clock } from "../utils/clock";
import type { Enqueuer, TaskContract } from "./contracts";

export interface TaskHelpers {
  database: Database;
  /** The runtime's clock: what "now" is for this job. */
  clock: Clock;
  /**
   * Enqueue follow-up jobs by contract (deterministic keys make a retried parent harmless), in a
   * transaction of the task's own (`executeSql`) or later (`startAfter`).
   */
  queue: Enqueuer;
  jobId: string;
  /**
   * Cancel a shop's queued jobs, or delete all its jobs; the running job's own row is deleted
   * a moment after it has finished (forget-job).
   */
  shopJobs(
    shop: string,
    action: "cancel" | "delete",
    options?: { keepTasks?: string[] },
  ): Promise<number>;
  /** Deletes a job's row if it has finished (completed, failed for good or cancelled). */
  forgetFinishedJob(queue: string, jobId: string): Promise<"deleted" | "unfinished" | "gone">;
  /** 1 on the first try. */
  attempt: number;
  /** Aborted when the worker is shutting down and did not finish in time. */
  signal: AbortSignal;
}

export interface BatchHelpers {
  database: Database;
  clock: Clock;
  /** Enqueue follow-up jobs, inside the batch's own transaction (`executeSql`: they exist only if it commits). */
  queue: Enqueuer;
}

export interface BatchJob<Payload> {
  id: string;
  payload: Payload;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retryLimit: number;
  /** First backoff in seconds; doubles each retry, with jitter. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** Lease: a job active longer than this (its worker died) is run again. */
  expireInSeconds: number;
}

/** A task's contract (app/jobs/contracts.ts) with its executor. */
export interface TaskDefinition<Schema extends z.ZodType = z.ZodType> extends TaskContract<Schema> {
  retry: RetryPolicy;
  run(payload: z.output<Schema>, helpers: TaskHelpers): Promise<void>;
  /**
   * Runs many first-attempt jobs of this task at once (a worker's whole fetch), for tasks whose
   * cost is round trips and commits rather than work. Returns the ids of the jobs it completed;
   * the rest — not its kind, or all of them when it throws — run one by one through `run`, with
   * the usual retries and dead letters.
   */
  runBatch?(jobs: BatchJob<z.output<Schema>>[], helpers: BatchHelpers): Promise<Set<string>>;
  /**
   * How many rounds of the worker's concurrency one fetch takes (default 1). For short jobs, far
   * inside their lease: the queue's fetch and complete cost per statement, not per job, so a
   * busy worker spends them on several rounds at once. The jobs still run `concurrency` at a time.
   */
  fetchRounds?: number;
  /** Called before a dead-lettered job is replayed, to reopen whatever its failure closed. */
  beforeReplay?(payload: unknown, database: Database): Promise<void>;
  /** Called once when a job of this task is dead-lettered (after the dead_letters row exists). */
  onDeadLetter?(payload: unknown, error: string, helpers: TaskHelpers): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retryLimit: 8,
  retryDelaySeconds: 2,
  retryDelayMaxSeconds: 15 * 60,
  expireInSeconds: 60,
};

export function defineTask<Schema extends z.ZodType>(
  task: Omit<TaskDefinition<Schema>, "retry"> & { retry?: Partial<RetryPolicy> },
): TaskDefinition<Schema> {
  return { ...task, retry: { ...DEFAULT_RETRY, ...task.retry } };
}
