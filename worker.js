// `npm run worker`: job workers as their own process (PostgreSQL only), scaled apart from web.
// With HEALTH_PORT set it also serves /healthz and /readyz there for the orchestrator's probes,
// and /metrics for Prometheus.
import { bootErrorMessage } from "./scripts/boot-error.js";
import { loadBuild } from "./scripts/build.js";
import { createProbeServer } from "./scripts/http-front.js";

let build;
let runtime;
try {
  // Importing the build reads the environment, so a bad configuration fails here too.
  build = await loadBuild();
  runtime = await build.entry.module.runWorker();
} catch (error) {
  // Plain text on stderr: the one line an operator reads when a process will not start.
  console.error(`[worker] ${bootErrorMessage(error)}`);
  process.exit(1);
}

let stopping = false;
// HEALTH_PORT was validated at boot (app/env.server.ts).
const probes = process.env.HEALTH_PORT
  ? createProbeServer({
      liveness: build.entry.module.liveness,
      readiness: () =>
        stopping
          ? {
              status: 503,
              headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
              body: JSON.stringify({ status: "unavailable", reason: "shutting down" }),
            }
          : build.entry.module.readiness(runtime),
      metrics: (req) =>
        build.entry.module.metrics(runtime, {
          token: process.env.METRICS_TOKEN || undefined,
          authorization: req.headers.authorization,
        }),
    }).listen(Number(process.env.HEALTH_PORT), () => {
      build.entry.module.log.info(
        `[worker] health probes on http://localhost:${process.env.HEALTH_PORT}/readyz`,
      );
    })
  : undefined;

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  build.entry.module.log.info(
    `[worker] ${signal}: finishing in-flight jobs (others are released)…`,
  );
  probes?.close();
  probes?.closeAllConnections();
  await runtime.stop({ timeoutMs: 20_000 });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
