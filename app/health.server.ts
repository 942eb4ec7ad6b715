import type { Database } from "./db.server";
import type { JobQueue } from "./jobs/queue.server";
import {
  historyImportLinesExpected,
  historyImportLinesLoaded,
  historyImports,
  jobsRunning,
  queueDepth,
  queueOldestJobAgeSeconds,
  queueScheduledJobs,
  registry,
} from "./metrics.server";
import { log } from "./utils/log.server";
import { sameSecret } from "./utils/same-secret.server";

/** What the HTTP front writes for a probe: { status, headers, body }. */
export interface ProbeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A probe that waits longer than a load balancer's check interval is worse than a 503. */
export const READINESS_TIMEOUT_MS = 2_000;

const answer = (status: number, body: object): ProbeAnswer => ({
  status,
  headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  body: JSON.stringify(body),
});

/** /healthz: the process is alive and its event loop turns. No database, so a database outage does not restart every process. */
export const liveness = (): ProbeAnswer => answer(200, { status: "ok" });

/** Resolves when `check` does, rejects when it fails or takes longer than `timeoutMs`. */
async function within(check: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A reason fit for an unauthenticated endpoint: the error's first line and code, no connection string. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = (error.message.split("\n")[0] || "failed").replace(
    /postgres(ql)?:\/\/\S+/g,
    "[url]",
  );
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * /readyz: the database answers and the job queue (pg-boss, through its own connection) is
 * reachable. 503 with the first failing part as the reason, so a load balancer stops routing
 * here and an operator sees why.
 */
export async function readiness(
  runtime: { database: Pick<Database, "executeSql">; queue: Pick<JobQueue, "ping"> },
  { timeoutMs = READINESS_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<ProbeAnswer> {
  const checks = [
    ["database", () => runtime.database.executeSql("select 1")],
    ["queue", () => runtime.queue.ping()],
  ] as const;
  for (const [part, check] of checks) {
    try {
      await within(check, timeoutMs);
    } catch (error) {
      const reason = `${part}: ${reasonOf(error)}`;
      log.warn(`[health] not ready: ${reason}`);
      return answer(503, { status: "unavailable", reason });
    }
  }
  return answer(200, { status: "ready" });
}

const SCRAPE_GAUGES = [
  queueDepth,
  queueOldestJobAgeSeconds,
  queueScheduledJobs,
  historyImports,
  historyImportLinesLoaded,
  historyImportLinesExpected,
];

/** Sets the gauges read from the database: the queue's backlog per task and import progress. */
async function readDatabaseGauges(runtime: {
  database: Pick<Database, "executeSql">;
  queue: Pick<JobQueue, "backlog">;
}): Promise<void> {
  const backlog = await runtime.queue.backlog();
  // Across every shop on purpose: an operator's totals, with no shop in any label.
  const imports = await runtime.database.executeSql(
    `select status, phase, count(*)::int as imports,
       coalesce(sum(lines_loaded), 0)::float8 as loaded,
       coalesce(sum(object_count), 0)::float8 as expected
     from history_imports group by status, phase`,
  );
  for (const gauge of SCRAPE_GAUGES) gauge.reset();
  for (const { task, due, scheduled, oldestDueSeconds } of backlog) {
    queueDepth.set({ task }, due);
    queueScheduledJobs.set({ task }, scheduled);
    queueOldestJobAgeSeconds.set({ task }, oldestDueSeconds);
  }
  for (const status of ["running", "done", "failed"]) historyImports.set({ status }, 0);
  for (const phase of ["orders", "stock"]) {
    historyImportLinesLoaded.set({ phase }, 0);
    historyImportLinesExpected.set({ phase }, 0);
  }
  for (const row of imports.rows) {
    historyImports.inc({ status: row.status }, row.imports);
    if (row.status !== "running") continue;
    historyImportLinesLoaded.inc({ phase: row.phase }, Number(row.loaded));
    historyImportLinesExpected.inc({ phase: row.phase }, Number(row.expected));
  }
}

/**
 * /metrics in Prometheus's text format: this process's counters and histograms, its Node.js
 * process metrics, and the queue and import gauges read from the database now. If the database
 * does not answer in time the gauges are left out (not stale figures an autoscaler would act on)
 * and the rest is still served.
 */
export async function metrics(
  runtime: {
    database: Pick<Database, "executeSql">;
    queue: Pick<JobQueue, "backlog" | "running">;
  },
  {
    timeoutMs = READINESS_TIMEOUT_MS,
    token,
    authorization,
  }: {
    timeoutMs?: number;
    /** METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`. */
    token?: string;
    /** The scrape's Authorization header. */
    authorization?: string;
  } = {},
): Promise<ProbeAnswer> {
  if (token && !sameSecret(authorization ?? "", `Bearer ${token}`)) {
    return {
      status: 401,
      headers: { "Content-Type": "text/plain", "WWW-Authenticate": 'Bearer realm="metrics"' },
      body: "Unauthorized",
    };
  }
  jobsRunning.set(runtime.queue.running);
  try {
    await within(() => readDatabaseGauges(runtime), timeoutMs);
  } catch (error) {
    for (const gauge of SCRAPE_GAUGES) gauge.reset();
    log.warn(`[metrics] queue and import gauges left out: ${reasonOf(error)}`);
  }
  return {
    status: 200,
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
    body: await registry.metrics(),
  };
}
