// Production server: `npm start`. Loads the build (`npm run build`; outside production it is
// built when missing or stale), boots the runtime (migrations, job queue,
// in-process workers unless WORKERS=external), then serves Remix on PORT (default 3000).
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { bootErrorMessage } from "./scripts/boot-error.js";
import { createHttpFront } from "./scripts/http-front.js";
import { loadBuild } from "./scripts/build.js";

let build;
let runtime;
try {
  // Importing the build reads the environment, so a bad configuration fails here too.
  build = await loadBuild();
  runtime = await build.entry.module.boot();
} catch (error) {
  // Plain text on stderr: the one line an operator reads when a process will not start.
  console.error(`[start] ${bootErrorMessage(error)}`);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Webhook answers are empty; compressing pages only.
app.use(
  compression({
    filter: (req, res) =>
      !req.path.toLowerCase().startsWith("/webhooks/") && compression.filter(req, res),
  }),
);
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const SHUTTING_DOWN = {
  status: 503,
  headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  body: JSON.stringify({ status: "unavailable", reason: "shutting down" }),
};
// Both within the 30 s a container host usually allows between SIGTERM and SIGKILL.
/** In-flight requests get this long to finish before their connections are cut. */
const REQUEST_DRAIN_MS = 10_000;
/** Then running jobs get this long; the rest are released to another worker. */
const JOB_DRAIN_MS = 15_000;

let stopping = false;
const server = createHttpFront({
  acceptWebhook: build.entry.module.acceptWebhook,
  acceptPostPurchase: build.entry.module.acceptPostPurchase,
  probes: {
    liveness: build.entry.module.liveness,
    // Draining: the load balancer should stop sending here before the port closes.
    readiness: () => (stopping ? SHUTTING_DOWN : build.entry.module.readiness(runtime)),
    metrics: (req) =>
      build.entry.module.metrics(runtime, {
        token: process.env.METRICS_TOKEN || undefined,
        authorization: req.headers.authorization,
      }),
  },
  app,
});
const port = Number(process.env.PORT || 3000);
server.listen(port, () => {
  build.entry.module.log.info(`[start] Switchboard listening on http://localhost:${port}`);
});

/**
 * SIGTERM: stop accepting connections, let in-flight requests finish (they still have the
 * database and the queue), close keep-alive connections as they go idle, then drain the jobs.
 */
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  build.entry.module.log.info(`[start] ${signal}: finishing in-flight requests and jobs…`);
  const closed = new Promise((resolve) => server.close(resolve));
  // A keep-alive connection becomes idle once its request is answered; close it then.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => server.closeAllConnections(), REQUEST_DRAIN_MS);
  server.closeIdleConnections();
  await closed;
  clearInterval(idle);
  clearTimeout(cut);
  try {
    await runtime.stop({ timeoutMs: JOB_DRAIN_MS });
  } catch (error) {
    build.entry.module.log.error(
      `[start] stopping the job queue failed: ${bootErrorMessage(error)}`,
    );
    process.exit(1);
  }
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
