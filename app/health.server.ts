import type { Database } from "./db.server";
import type { JobQueue } from "./jobs/queue.server";
import { log } from "./utils/log.server";

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
