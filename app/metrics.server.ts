import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The process's Prometheus registry and every instrument in it, served at /metrics
 * (app/health.server.ts). Labels stay low-cardinality and carry no shop or customer data:
 * vendor, outcome, task, topic, status, phase only. What each metric means: docs/metrics.md.
 */
export const registry = new Registry();

// CPU, memory, event-loop lag, GC and handles of this process.
collectDefaultMetrics({ register: registry });

/** Shopify gives a webhook 5 s; the ack is verify + one durable INSERT, so most land in ms. */
export const webhookAckSeconds = new Histogram({
  name: "switchboard_webhook_ack_seconds",
  help: "Time from a webhook's body being read to its answer (stored: 200, rejected: 4xx, unavailable: 503)",
  labelNames: ["topic", "outcome"] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const deliveriesTotal = new Counter({
  name: "switchboard_deliveries_total",
  help: "Delivery attempts finished, by vendor and outcome (succeeded, retry, deferred by a Retry-After, held while the vendor is disconnected, failed for good)",
  labelNames: ["vendor", "outcome"] as const,
  registers: [registry],
});

export const rateLimitWaitsTotal = new Counter({
  name: "switchboard_rate_limit_waits_total",
  help: "Vendor calls held by a shop's rate budget: waited inline, or deferred (job rescheduled) when the wait was too long",
  labelNames: ["vendor", "outcome"] as const,
  registers: [registry],
});

export const rateLimitWaitSeconds = new Histogram({
  name: "switchboard_rate_limit_wait_seconds",
  help: "How long a vendor call waited inline for a slot in a shop's rate budget",
  labelNames: ["vendor"] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
  registers: [registry],
});

// Read from the database at scrape time (app/health.server.ts), not counted in this process:
// every process reports the same whole-queue figures.

export const queueDepth = new Gauge({
  name: "switchboard_queue_depth",
  help: "Jobs due now and waiting for a worker, per task",
  labelNames: ["task"] as const,
  registers: [registry],
});

export const queueOldestJobAgeSeconds = new Gauge({
  name: "switchboard_queue_oldest_job_age_seconds",
  help: "How long the oldest job due now has been waiting for a worker, per task (0 when none)",
  labelNames: ["task"] as const,
  registers: [registry],
});

export const queueScheduledJobs = new Gauge({
  name: "switchboard_queue_scheduled_jobs",
  help: "Jobs waiting for a later start (retries, Retry-After deferrals, delayed steps), per task",
  labelNames: ["task"] as const,
  registers: [registry],
});

/** This process's own count (set at scrape time): summed over processes, the jobs running now. */
export const jobsRunning = new Gauge({
  name: "switchboard_jobs_running",
  help: "Jobs this process is running now",
  registers: [registry],
});

export const historyImports = new Gauge({
  name: "switchboard_history_imports",
  help: "Stores' history imports by status (running, done, failed)",
  labelNames: ["status"] as const,
  registers: [registry],
});

export const historyImportLinesLoaded = new Gauge({
  name: "switchboard_history_import_lines_loaded",
  help: "Records loaded so far by the running history imports, per phase (orders, stock)",
  labelNames: ["phase"] as const,
  registers: [registry],
});

export const historyImportLinesExpected = new Gauge({
  name: "switchboard_history_import_lines_expected",
  help: "Records Shopify reported for the running history imports whose export is ready, per phase",
  labelNames: ["phase"] as const,
  registers: [registry],
});
