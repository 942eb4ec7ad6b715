import { createHash } from "node:crypto";
import { PgBoss, fromPglite } from "pg-boss";
import type { z } from "zod";
import type { Db as IDatabase, JobResult, JobWithMetadata } from "pg-boss";
import { deadLetters } from "../../db/schema/index";
import { CONNECT_TIMEOUT_MS, withSchemaLock, type Database } from "../db.server";
import { systemClock, type Clock } from "../utils/clock";
import {
  forgetJobTask,
  jobKey,
  type EnqueueOptions,
  type Enqueuer,
  type TaskContract,
} from "./contracts";
import type { BatchJob, RetryPolicy, TaskDefinition, TaskHelpers } from "./define-task";
import { errorMessage, isTerminal, RetryableError } from "./errors";
import { log, withLogContext } from "../utils/log.server";
import { ShopVolume } from "./shop-volume";

/** The runner's own lines (retries, deferrals, pg-boss errors) when the caller gives no log. */
const jobsLog = (message: string) => log.warn(message);

/** The shop a job is for, when its task knows (tasks for every shop have none). */
function shopOf(task: TaskDefinition, payload: unknown): string | undefined {
  try {
    return task.shop(payload) ?? undefined;
  } catch {
    return undefined;
  }
}

/** pg-boss wants UUID ids; derive one from the job key so enqueueing the same key twice is a no-op. */
export function jobIdForKey(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** How many jobs a batching task's worker fetches at once (it may get fewer: whatever is queued). */
const BATCH_FETCH_SIZE = 100;
/**
 * How often expired leases are found and queue stats refreshed. The stats pass aggregates the
 * whole job table: every 5 s it showed as periodic stalls in the ingest benchmark.
 */
const MONITOR_INTERVAL_SECONDS = 30;

/** How long after a shop-deleting job's request its own row is removed (it must have finished). */
const FORGET_AFTER_SECONDS = 2;

/**
 * A Retry-After (a vendor's 429, or our own limiter's "next slot in N s") is a wait, not a failed
 * attempt: the job is deferred to a successor that starts after it, at most this many times in a
 * row; beyond that it counts as a failure like any other.
 */
const MAX_DEFERRALS = 10;
/** The key suffix of a deferred job's successor: `<key>:after:<n>`. */
const DEFERRED_KEY = /:after:(\d+)$/;

/** How many times in a row this job has been deferred (0 for a job enqueued as such). */
function deferralsOf(job: JobWithMetadata<object>): number {
  const match = DEFERRED_KEY.exec(job.singletonKey ?? "");
  return match ? Number(match[1]) : 0;
}

/** The job's key without its deferral suffix. */
function baseKey(job: JobWithMetadata<object>): string {
  const key = job.singletonKey ?? job.id;
  return key.replace(DEFERRED_KEY, "");
}

/** After a partial batch, how long a batching worker waits before its next fetch. */
const BATCH_GATHER_MS = 50;

export interface JobQueueOptions {
  /** Overrides every task's retry policy (tests shorten leases and backoff). */
  retryOverrides?: Partial<RetryPolicy>;
  /** How often pg-boss looks for expired leases and due retries (tests shorten it). */
  superviseIntervalSeconds?: number;
  /** How many times in a row a job may be deferred by a Retry-After (tests lower it). */
  maxDeferrals?: number;
  /** Run pg-boss maintenance in this process (default true). */
  supervise?: boolean;
  log?: (message: string) => void;
  /** What "now" is for the tasks (TaskHelpers.clock). */
  clock?: Clock;
  /**
   * How many jobs of one task a shop may enqueue per 10 s in this process before its further
   * jobs queue behind other shops' (SHOP_BURST_JOBS; ShopVolume).
   */
  shopBurstJobs?: number;
}

/** One task's jobs in the queue (JobQueue.backlog()). */
export interface TaskBacklog {
  task: string;
  /** Due now, waiting for a worker. */
  due: number;
  /** Waiting for a later start (retries, deferrals, delayed jobs). */
  scheduled: number;
  /** How long the oldest due job has waited since it became due (0 when none). */
  oldestDueSeconds: number;
}

export interface WorkOptions {
  /** Jobs run at once per task in this process. */
  concurrency: number;
}

/**
 * The typed facade over pg-boss: one queue per task, deterministic job ids, transactional
 * enqueue, and the retry / dead-letter contract (RetryableError vs TerminalError).
 */
export class JobQueue implements Enqueuer {
  private readonly tasks = new Map<string, TaskDefinition>();
  private workerIds: string[] = [];
  private inFlight = 0;
  /** Jobs run at once per task (set by work); a batch's leftovers run one by one within it. */
  private concurrency = 1;
  private readonly volume: ShopVolume;

  private constructor(
    readonly boss: PgBoss,
    readonly database: Database,
    private readonly options: JobQueueOptions,
  ) {
    this.volume = new ShopVolume(options.shopBurstJobs);
  }

  static async start(
    database: Database,
    tasks: TaskDefinition[],
    options: JobQueueOptions = {},
  ): Promise<JobQueue> {
    const common = {
      schema: "pgboss",
      useListenNotify: true,
      // Maintenance (lease expiry, retention, queue stats: an aggregate over the job table) runs
      // where jobs run; a web process with external workers leaves it to them.
      supervise: options.supervise ?? true,
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? 5,
      // Expired leases are found, and queue stats aggregated, once per monitor pass.
      monitorIntervalSeconds: options.superviseIntervalSeconds ?? MONITOR_INTERVAL_SECONDS,
      schedule: false,
    };
    const boss =
      database.kind === "pglite"
        ? new PgBoss({ ...common, db: fromPglite(database.client), backend: "pglite" })
        : new PgBoss({
            ...common,
            // pg-boss wakes workers with LISTEN/NOTIFY, a session feature: never through a pooler.
            connectionString: database.directUrl,
            max: 4,
            // Like the app's pool: a database that never answers fails fast rather than hanging workers.
            connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
          });
    boss.on("error", (error) => (options.log ?? jobsLog)(`[jobs] ${errorMessage(error)}`));
    const queue = new JobQueue(boss, database, options);
    // pg-boss installs or upgrades its schema in start(); with the queues, under the schema lock
    // so processes booting together do it once.
    await withSchemaLock(database, () => queue.setUp(tasks));
    return queue;
  }

  private async setUp(tasks: TaskDefinition[]): Promise<void> {
    const { boss, options } = this;
    await boss.start();
    for (const task of tasks) {
      this.tasks.set(task.name, task);
      const retry = { ...task.retry, ...options.retryOverrides };
      const settings = {
        retryLimit: retry.retryLimit,
        retryDelay: retry.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: retry.retryDelayMaxSeconds,
        expireInSeconds: retry.expireInSeconds,
        notify: true,
      };
      if (await boss.getQueue(task.name)) await boss.updateQueue(task.name, settings);
      else await boss.createQueue(task.name, { ...settings, policy: "standard" });
      // Fill pg-boss's queue cache now: on a cache miss insert() reads the queue through its own
      // connection, which on PGlite (one connection) would wait forever behind our open transaction.
      await boss.insert(task.name, []);
    }
  }

  get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /** The task this queue runs under that name, if any. */
  registeredTask(name: string): TaskDefinition | undefined {
    return this.tasks.get(name);
  }

  private task(name: string): TaskDefinition {
    const task = this.tasks.get(name);
    if (!task) throw new Error(`Unknown task "${name}": register it in app/jobs/tasks.server.ts`);
    return task;
  }

  /** Validates and enqueues one job; returns its id (the same id for the same key). */
  async enqueue<T extends TaskContract>(
    task: T,
    payload: z.input<T["payloadSchema"]>,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const [id] = await this.enqueueMany(task, [payload], options);
    return id!;
  }

  async enqueueMany<T extends TaskContract>(
    task: T,
    payloads: z.input<T["payloadSchema"]>[],
    options: EnqueueOptions = {},
  ): Promise<string[]> {
    const definition = this.task(task.name);
    const jobs = payloads.map((payload) => {
      const data = task.payloadSchema.parse(payload) as object;
      const key = options.key ?? jobKey(task, data);
      const shop = shopOf(definition, data);
      // A shop in a burst gets a lower priority: workers fetch other shops' jobs first.
      const priority = shop === undefined ? 0 : this.volume.next(task.name, shop);
      return {
        id: jobIdForKey(key),
        data,
        singletonKey: key,
        ...(priority !== 0 ? { priority } : {}),
        // pg-boss reads a number as seconds from the database's now().
        ...(options.delaySeconds !== undefined
          ? { startAfter: Math.max(0, Math.ceil(options.delaySeconds)) }
          : options.startAfter !== undefined
            ? { startAfter: options.startAfter }
            : {}),
      };
    });
    if (jobs.length === 0) return [];
    // In the caller's transaction pg-boss's INSERT (fixed text per queue) is prepared once per connection.
    const executeSql = options.executeSql;
    const db: IDatabase | undefined = executeSql
      ? { executeSql: (text, values) => executeSql(text, values, { prepare: true }) }
      : undefined;
    await this.boss.insert(task.name, jobs, db ? { db } : undefined);
    return jobs.map((job) => job.id);
  }

  /** Starts workers for every registered task in this process. */
  async work({ concurrency }: WorkOptions): Promise<void> {
    this.concurrency = concurrency;
    for (const task of this.tasks.values()) {
      const id = await this.boss.work(
        task.name,
        {
          // A task that runs whole batches takes bigger fetches: its cost is per batch, not per job.
          batchSize: task.runBatch
            ? Math.max(concurrency, BATCH_FETCH_SIZE)
            : concurrency * (task.fetchRounds ?? 1),
          includeMetadata: true,
          perJobResults: true,
          // New jobs wake workers through LISTEN/NOTIFY; polling picks up due retries and delayed jobs.
          pollingIntervalSeconds: 1,
          notifyPollingIntervalSeconds: 1,
          burstWhenBatchFull: true,
        },
        (jobs: JobWithMetadata<object>[]) =>
          task.runBatch && jobs.length > 1 ? this.runBatch(task, jobs) : this.runJobs(task, jobs),
      );
      this.workerIds.push(id);
    }
  }

  /**
   * A fetch of a batching task: first attempts go to its runBatch together; what it leaves (and
   * retries, so one poisonous job cannot keep failing everyone's batch) runs one by one.
   */
  private async runBatch(
    task: TaskDefinition,
    jobs: JobWithMetadata<object>[],
  ): Promise<JobResult[]> {
    const batch: BatchJob<unknown>[] = [];
    for (const job of jobs) {
      if (job.retryCount > 0) continue;
      const parsed = task.payloadSchema.safeParse(job.data);
      if (parsed.success) batch.push({ id: job.id, payload: parsed.data });
    }
    let completed = new Set<string>();
    if (batch.length > 1) {
      this.inFlight += batch.length;
      try {
        completed = await task.runBatch!(batch, {
          database: this.database,
          clock: this.clock,
          queue: this,
        });
      } catch (error) {
        (this.options.log ?? jobsLog)(
          `[jobs] ${task.name}: a batch of ${batch.length} failed, running them one by one: ${errorMessage(error)}`,
        );
      } finally {
        this.inFlight -= batch.length;
      }
    }
    // The leftovers (retries, a batch that failed) run one by one.
    const leftovers = jobs.filter((job) => !completed.has(job.id));
    const byId = new Map((await this.runJobs(task, leftovers)).map((r) => [r.id, r]));
    const results: JobResult[] = jobs.map(
      (job) => byId.get(job.id) ?? { id: job.id, status: "completed" },
    );
    // Busy: let the next fetch gather more (its cost is per batch). Quiet times never get here:
    // a lone job runs by itself.
    if (jobs.length < BATCH_FETCH_SIZE)
      await new Promise((resolve) => setTimeout(resolve, BATCH_GATHER_MS));
    return results;
  }

  /**
   * Runs a fetch's jobs at the task's concurrency, not all at once: a hundred jobs at once would
   * queue for the pool's connections and time out waiting.
   */
  private async runJobs(
    task: TaskDefinition,
    jobs: JobWithMetadata<object>[],
  ): Promise<JobResult[]> {
    const results: JobResult[] = new Array(jobs.length);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < jobs.length; i = next++)
        results[i] = await this.runJob(task, jobs[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, lane));
    return results;
  }

  private async runJob(task: TaskDefinition, job: JobWithMetadata<object>): Promise<JobResult> {
    this.inFlight++;
    const deferrals = deferralsOf(job);
    // Attempts keep counting across deferred successors, so the vendor call log reads 1, 2, 3…
    const attempt = deferrals + job.retryCount + 1;
    let payload: unknown = job.data;
    try {
      payload = task.payloadSchema.parse(job.data);
      const parsed = payload;
      // Every line the task logs, at any depth, names the task, the job and the shop.
      await withLogContext({ task: task.name, jobId: job.id, shop: shopOf(task, parsed) }, () =>
        task.run(parsed, this.helpers(job, attempt)),
      );
      return { id: job.id, status: "completed" };
    } catch (error) {
      const terminal = isTerminal(error);
      const message = errorMessage(error);
      const retryAfterSeconds =
        error instanceof RetryableError ? error.retryAfterSeconds : undefined;
      if (
        !terminal &&
        retryAfterSeconds !== undefined &&
        deferrals < (this.options.maxDeferrals ?? MAX_DEFERRALS)
      ) {
        // Enqueued before this job completes: a crash in between reruns this job, and the
        // successor's run is then a repeat that the task's own idempotency absorbs.
        const successor = await this.enqueue(task, payload as never, {
          key: `${baseKey(job)}:after:${deferrals + 1}`,
          delaySeconds: Math.max(1, retryAfterSeconds),
        });
        (this.options.log ?? jobsLog)(
          `[jobs] ${task.name} ${job.singletonKey} deferred ${retryAfterSeconds} s (Retry-After), not counted as a failure: ${message}`,
        );
        return {
          id: job.id,
          status: "completed",
          output: { deferredTo: successor, retryAfterSeconds, reason: message },
        };
      }
      if (!terminal && job.retryCount < job.retryLimit) {
        (this.options.log ?? jobsLog)(
          `[jobs] ${task.name} ${job.singletonKey} attempt ${attempt} failed, will retry: ${message}`,
        );
        return { id: job.id, status: "failed", output: { error: message, attempt } };
      }
      await this.deadLetter(
        task,
        job,
        payload,
        message,
        terminal ? "terminal" : "exhausted",
        attempt,
      );
      return { id: job.id, status: "deadletter", output: { error: message, attempt } };
    } finally {
      this.inFlight--;
    }
  }

  private helpers(job: JobWithMetadata<object>, attempt: number): TaskHelpers {
    return {
      database: this.database,
      clock: this.clock,
      jobId: job.id,
      attempt,
      signal: job.signal,
      queue: this,
      shopJobs: async (shop, action, options) => {
        const affected = await this.forShop(shop, action, job.id, options?.keepTasks);
        if (action === "delete") {
          await this.enqueue(
            forgetJobTask,
            { queue: job.name, jobId: job.id },
            { delaySeconds: FORGET_AFTER_SECONDS },
          );
        }
        return affected;
      },
      forgetFinishedJob: (queue, jobId) => this.forgetFinishedJob(queue, jobId),
    };
  }

  private async deadLetter(
    task: TaskDefinition,
    job: JobWithMetadata<object>,
    payload: unknown,
    error: string,
    errorKind: "terminal" | "exhausted",
    attempts: number,
  ) {
    let shop: string | null = null;
    try {
      shop = task.shop(payload);
    } catch {
      /* payload did not parse; keep shop unknown */
    }
    await this.database.db
      .insert(deadLetters)
      .values({
        shop,
        task: task.name,
        jobKey: job.singletonKey ?? job.id,
        jobId: job.id,
        payload: (payload ?? {}) as object,
        error,
        errorKind,
        attempts,
      })
      .onConflictDoNothing();
    await task.onDeadLetter?.(payload, error, this.helpers(job, attempts));
  }

  /**
   * Cancels a shop's queued jobs (uninstall) or deletes all of them (shop/redact), leaving the
   * job that asks, and every job of `keepTasks`, alone. Returns how many were affected.
   */
  async forShop(
    shop: string,
    action: "cancel" | "delete",
    exceptJobId?: string,
    keepTasks: string[] = [],
  ): Promise<number> {
    let affected = 0;
    for (const name of this.tasks.keys()) {
      if (keepTasks.includes(name)) continue;
      const jobs = await this.boss.findJobs<object>(name, {
        data: { shop },
        ...(action === "cancel" ? { queued: true } : {}),
      });
      const ids = jobs.map((job) => job.id).filter((id) => id !== exceptJobId);
      if (ids.length === 0) continue;
      if (action === "cancel") await this.boss.cancel(name, ids);
      else await this.boss.deleteJob(name, ids);
      affected += ids.length;
    }
    return affected;
  }

  async forgetFinishedJob(
    queue: string,
    jobId: string,
  ): Promise<"deleted" | "unfinished" | "gone"> {
    const job = await this.boss.getJobById(queue, jobId);
    if (!job) return "gone";
    if (job.state === "created" || job.state === "retry" || job.state === "active")
      return "unfinished";
    await this.boss.deleteJob(queue, jobId);
    return "deleted";
  }

  /**
   * Every registered task's waiting jobs, in one query over pg-boss's job table (for /metrics).
   * Its filter is pg-boss's own partial index's, so finished jobs (most of the table at volume)
   * are never read. Ages are the database's: pg-boss stamps start_after with its now().
   */
  async backlog(): Promise<TaskBacklog[]> {
    const { rows } = await this.database.executeSql(
      `select name,
         count(*) filter (where start_after <= now())::int as due,
         count(*) filter (where start_after > now())::int as scheduled,
         coalesce(extract(epoch from now() - min(start_after) filter (where start_after <= now())), 0)::float8 as oldest
       from pgboss.job where state < 'active' and not blocked group by name`,
    );
    const byName = new Map(rows.map((row) => [row.name as string, row]));
    return [...this.tasks.keys()].map((task) => {
      const row = byName.get(task);
      return {
        task,
        due: row?.due ?? 0,
        scheduled: row?.scheduled ?? 0,
        oldestDueSeconds: row ? Number(row.oldest) : 0,
      };
    });
  }

  /**
   * Reaches the queue through pg-boss's own connection: throws if its database does not answer
   * or its schema is missing (for /readyz).
   */
  async ping(): Promise<void> {
    if ((await this.boss.schemaVersion()) === null) throw new Error("the pgboss schema is missing");
  }

  /** Drains: stops fetching, waits for running jobs up to `timeoutMs`, then releases the rest. */
  async stop({ timeoutMs = 20_000 }: { timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }

  get running(): number {
    return this.inFlight;
  }
}
